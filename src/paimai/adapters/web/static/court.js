/* The court's desk (/sell/lots/{id}/court): register or remove a priority buyer through the JSON API; on
   success the page is read again from the server, where the truth (and the rule on when) lives. */
(function () {
  'use strict';
  var P = window.Paimai;
  var words = {};
  try { words = JSON.parse(document.getElementById('court-i18n').textContent); } catch (e) { words = {}; }
  var LANG = document.documentElement.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  function word(key) {
    var entry = words[key];
    return entry ? (entry[LANG] || entry.zh) : P.t(key);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var desk = document.querySelector('[data-court-lot]');
    if (!desk) { return; }
    var lotId = desk.getAttribute('data-court-lot');
    var box = desk.querySelector('[data-message]');
    var form = desk.querySelector('form[data-register-holder]');
    if (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var username = (form.elements.username.value || '').trim();
        var rank = parseInt(form.elements.rank.value, 10);
        if (!username || !(rank >= 1)) { P.say(box, word('court_holder_needed'), 'error'); return; }
        var button = form.querySelector('button');
        button.disabled = true;
        P.say(box, P.t('working'), 'info');
        P.api('POST', '/lots/' + lotId + '/priority-holders',
              { username: username, rank: rank, basis: form.elements.basis.value }).then(function (result) {
          if (!result.ok) { button.disabled = false; P.say(box, P.errorText(result.data), 'error'); return; }
          window.location.reload();
        });
      });
    }
    desk.addEventListener('click', function (event) {
      var button = event.target.closest ? event.target.closest('[data-remove-holder]') : null;
      if (!button) { return; }
      if (!window.confirm(word('court_remove_confirm'))) { return; }
      button.disabled = true;
      P.api('DELETE', '/lots/' + lotId + '/priority-holders/' + button.getAttribute('data-remove-holder')).then(function (result) {
        if (!result.ok) { button.disabled = false; P.say(box, P.errorText(result.data), 'error'); return; }
        window.location.reload();
      });
    });
  });
})();
