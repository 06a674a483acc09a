/* The lot form's photo gallery: upload several photos (one request each, in the order picked), move them
   left or right, make one the cover (the first), delete. Every change goes through the media API, and the
   list is redrawn from the gallery the API answers with; a refusal is shown in the page's language. */
(function () {
  'use strict';
  var P = window.Paimai;

  function gallery(box) {
    var lotId = box.getAttribute('data-lot-id');
    var editable = box.getAttribute('data-editable') === 'true';
    var list = box.querySelector('[data-photo-list]');
    var message = box.querySelector('[data-photos-message]');
    var input = box.querySelector('[data-photo-input]');
    var w = function (name) { return box.getAttribute('data-w-' + name) || ''; };
    var ids = [];
    var busy = false;
    var items = list.querySelectorAll('[data-image-id]');
    for (var i = 0; i < items.length; i++) { ids.push(Number(items[i].getAttribute('data-image-id'))); }

    function button(label, text, onClick, disabled) {
      var b = P.el('button', 'btn btn-ghost btn-small', text);
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.title = label;
      b.disabled = !!disabled;
      b.addEventListener('click', onClick);
      return b;
    }

    function draw(images) {
      ids = images.map(function (image) { return image.id; });
      list.textContent = '';
      var none = box.querySelector('[data-photos-none]');
      if (none) { none.hidden = images.length > 0; }
      images.forEach(function (image, index) {
        var li = P.el('li', 'photo');
        li.setAttribute('data-image-id', String(image.id));
        var img = document.createElement('img');
        img.src = image.thumb_url;
        img.alt = '#' + (index + 1);
        img.width = 160;
        img.height = 120;
        li.appendChild(img);
        if (index === 0) {
          var cover = P.el('span', 'tag photo-cover', w('cover'));
          cover.setAttribute('data-cover', '');
          li.appendChild(cover);
        }
        if (editable) { li.appendChild(tools(index)); }
        list.appendChild(li);
      });
    }

    function tools(index) {
      var bar = P.el('div', 'photo-tools');
      var last = ids.length - 1;
      bar.appendChild(button(w('left'), '←', function () { move(index, index - 1); }, index === 0));
      bar.appendChild(button(w('right'), '→', function () { move(index, index + 1); }, index === last));
      if (index > 0) {
        var c = button(w('make-cover'), w('make-cover'), function () { move(index, 0); });
        c.setAttribute('data-make-cover', '');
        bar.appendChild(c);
      }
      var d = button(w('delete'), '✕', function () { remove(ids[index]); });
      d.setAttribute('data-delete-photo', '');
      bar.appendChild(d);
      return bar;
    }

    function settle(result) {
      busy = false;
      if (!result.ok) { P.say(message, P.errorText(result.data), 'error'); return false; }
      P.say(message, '', 'info');
      if (result.data && result.data.images) { draw(result.data.images); }
      return true;
    }

    function move(from, to) {
      if (busy || to < 0 || to >= ids.length) { return; }
      var order = ids.slice();
      var moved = order.splice(from, 1)[0];
      order.splice(to, 0, moved);
      busy = true;
      P.api('POST', '/lots/' + lotId + '/images/order', { image_ids: order }).then(settle);
    }

    function remove(id) {
      if (busy) { return; }
      busy = true;
      P.api('DELETE', '/lots/' + lotId + '/images/' + id).then(settle);
    }

    function upload(files) {
      var refusals = [];
      var chain = Promise.resolve();
      busy = true;
      files.forEach(function (file, n) {
        chain = chain.then(function () {
          P.say(message, w('uploading') + ' ' + (n + 1) + '/' + files.length, 'info');
          return window.PaimaiUpload('/lots/' + lotId + '/images', file).then(function (result) {
            if (!result.ok) { refusals.push(file.name + (document.documentElement.getAttribute('data-lang') === 'en' ? ': ' : '：') + P.errorText(result.data)); return; }
            if (result.data && result.data.images) { draw(result.data.images); }
          });
        });
      });
      return chain.then(function () {
        busy = false;
        input.value = '';
        if (refusals.length) { P.say(message, refusals.join(' · '), 'error'); }
        else { P.say(message, w('done'), 'success'); }
      });
    }

    if (editable) {
      // the server drew the thumbnails; add the tools now that the script runs
      var lis = list.querySelectorAll('[data-image-id]');
      for (var j = 0; j < lis.length; j++) { lis[j].appendChild(tools(j)); }
      if (input) {
        input.addEventListener('change', function () {
          if (busy || !input.files.length) { return; }
          upload(Array.prototype.slice.call(input.files));
        });
      }
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.querySelector('[data-photos]');
    if (box) { gallery(box); }
  });
})();
