/* Documents for the application to sell: upload images or PDFs (one request each) and list them — with the
   file's name for those picked on this page, "document N" for others (the server keeps no names; this browser remembers the ones it sent). */
(function () {
  'use strict';
  var P = window.Paimai;

  function documents(box) {
    var list = box.querySelector('[data-doc-list]');
    var message = box.querySelector('[data-docs-message]');
    var input = box.querySelector('[data-doc-input]');
    var w = function (name) { return box.getAttribute('data-w-' + name) || ''; };
    // the names of the files picked in this browser (the server keeps none), kept across reloads
    var names = {};
    try { names = JSON.parse(window.localStorage.getItem('paimai_doc_names') || '{}') || {}; } catch (e) { names = {}; }
    function remember(id, name) {
      names[id] = name;
      try { window.localStorage.setItem('paimai_doc_names', JSON.stringify(names)); } catch (e) { /* private mode */ }
    }

    function kb(size) { return Math.max(1, Math.round(size / 1024)) + ' KB'; }

    function draw(items) {
      list.textContent = '';
      if (!items.length) { list.appendChild(P.el('li', 'muted', w('none'))); return; }
      items.forEach(function (doc) {
        var li = P.el('li', 'doc');
        li.setAttribute('data-document-id', String(doc.id));
        var a = P.el('a', '', names[doc.id] || (w('document') + ' ' + doc.id));
        a.href = doc.url;
        li.appendChild(a);
        li.appendChild(P.el('span', 'muted', ' ' + (doc.content_type === 'application/pdf' ? 'PDF' : doc.content_type.replace('image/', '').toUpperCase()) + ' · ' + kb(doc.size)));
        list.appendChild(li);
      });
    }

    function load() {
      return P.api('GET', '/me/seller-application/documents').then(function (result) {
        if (result.ok && result.data) { draw(result.data.items || []); }
      });
    }

    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files);
      if (!files.length) { return; }
      var refusals = [];
      var chain = Promise.resolve();
      files.forEach(function (file, n) {
        chain = chain.then(function () {
          P.say(message, w('uploading') + ' ' + (n + 1) + '/' + files.length, 'info');
          return window.PaimaiUpload('/me/seller-application/documents', file).then(function (result) {
            if (!result.ok) { refusals.push(file.name + (document.documentElement.getAttribute('data-lang') === 'en' ? ': ' : '：') + P.errorText(result.data)); return; }
            remember(result.data.id, file.name);
          });
        });
      });
      chain.then(load).then(function () {
        input.value = '';
        if (refusals.length) { P.say(message, refusals.join(' · '), 'error'); }
        else { P.say(message, w('done'), 'success'); }
      });
    });
    load();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.querySelector('[data-docs]');
    if (box) { documents(box); }
  });
})();
