/* Orders (RULES §6): every step is one JSON API call with the CSRF header, and an Idempotency-Key when it
   moves money; a step that needs thought (paying, refusing, a refund) asks for a confirmation first.
   On success the page is re-read from the server, which is where the order's truth lives. */
(function () {
  'use strict';
  var P = window.Paimai;
  try {
    var words = JSON.parse(document.getElementById('orders-i18n').textContent);
    Object.keys(words).forEach(function (key) { P.i18n[key] = words[key]; });
  } catch (e) { /* the page still works with the keys showing */ }

  var MONEY = { 'pay': 1, 'confirm-receipt': 1, 'close-request/accept': 1, 'refund-request': 1,
                'refund-request/accept': 1, 'undeliverable': 1, 'refuse': 1, 'resolve': 1, 'second-chance': 1 };

  function root() { return document.querySelector('[data-order]'); }

  function message() {
    var box = document.querySelector('[data-actions] [data-message]') || document.querySelector('[data-message]');
    return box;
  }

  function buttons(disabled) {
    var all = document.querySelectorAll('[data-actions] button, [data-offer-action]');
    for (var i = 0; i < all.length; i++) { all[i].disabled = disabled; }
  }

  function done(target) {
    var here = window.location.pathname;
    window.location.assign(target || (here + '?done=1'));
  }

  function post(path, body, idempotent, after) {
    buttons(true);
    P.say(message(), P.t('ord_working'), 'info');
    return P.api('POST', path, body, { idempotent: idempotent }).then(function (result) {
      if (!result.ok) {
        buttons(false);
        P.say(message(), P.errorText(result.data), 'error');
        return;
      }
      P.say(message(), P.t('ord_done'), 'success');
      after(result.data);
    });
  }

  function orderStep(step, body) {
    var order = root().getAttribute('data-order');
    var path = step === 'resolve' ? '/staff/orders/' + order + '/resolve' : '/orders/' + order + '/' + step;
    post(path, body, !!MONEY[step], function () { done(); });
  }

  /* A two-step confirmation in the page (no window.confirm: it blocks and cannot be styled). */
  var pending = null;

  function askFirst(text, go) {
    var box = document.querySelector('[data-confirm-box]');
    if (!box) { go(); return; }
    pending = go;
    box.querySelector('[data-confirm-text]').textContent = text + '？';
    box.hidden = false;
    box.querySelector('[data-confirm-go]').focus();
  }

  function bodyOf(button) {
    var raw = button.getAttribute('data-body');
    if (!raw) { return undefined; }
    try { return JSON.parse(raw); } catch (e) { return undefined; }
  }

  function formBody(form) {
    var body = {};
    var fields = form.querySelectorAll('input[name], select[name], textarea[name]');
    for (var i = 0; i < fields.length; i++) { body[fields[i].name] = fields[i].value.trim(); }
    return body;
  }

  function markRead(event) {
    event.preventDefault();
    P.api('POST', '/me/notifications/read', {}).then(function (result) {
      if (!result.ok) { return; }
      var items = document.querySelectorAll('[data-notifications] li.unread');
      for (var i = 0; i < items.length; i++) { items[i].className = 'read'; }
      var hide = document.querySelectorAll('[data-unread], [data-mark-read], .unread-dot');
      for (var j = 0; j < hide.length; j++) { hide[j].hidden = true; }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var flash = document.querySelector('[data-flash]');
    if (flash && window.history && window.history.replaceState) {
      window.history.replaceState(null, '', window.location.pathname);  // a reload does not repeat the flash
    }
    var box = document.querySelector('[data-confirm-box]');
    if (box) {
      box.querySelector('[data-confirm-go]').addEventListener('click', function () {
        box.hidden = true;
        var go = pending;
        pending = null;
        if (go) { go(); }
      });
      box.querySelector('[data-confirm-cancel]').addEventListener('click', function () {
        box.hidden = true;
        pending = null;
      });
    }

    var steps = document.querySelectorAll('[data-order-action]');
    for (var i = 0; i < steps.length; i++) {
      steps[i].addEventListener('click', function (event) {
        var button = event.currentTarget;
        var step = button.getAttribute('data-order-action');
        var go = function () { orderStep(step, bodyOf(button)); };
        var confirmText = button.getAttribute('data-confirm');
        if (confirmText) { askFirst(confirmText, go); } else { go(); }
      });
    }

    var forms = document.querySelectorAll('[data-order-form]');
    for (var f = 0; f < forms.length; f++) {
      forms[f].addEventListener('submit', function (event) {
        event.preventDefault();
        var form = event.currentTarget;
        var step = form.getAttribute('data-order-form');
        var body = formBody(form);
        if (step === 'ship' && (!body.carrier || !body.tracking_no)) {
          P.say(message(), P.t('ord_fill_shipping'), 'error');
          return;
        }
        var go = function () { orderStep(step, body); };
        var submit = form.querySelector('[data-confirm]');
        if (submit) { askFirst(submit.getAttribute('data-confirm'), go); } else { go(); }
      });
    }

    var offers = document.querySelectorAll('[data-offer-action]');
    for (var o = 0; o < offers.length; o++) {
      offers[o].addEventListener('click', function (event) {
        var button = event.currentTarget;
        var offer = button.getAttribute('data-offer-id');
        var accept = button.getAttribute('data-offer-action') === 'accept';
        post('/offers/' + offer + '/' + (accept ? 'accept' : 'decline'), {}, accept, function (data) {
          done(accept && data && data.order ? '/orders/' + data.order.id + '?done=1' : window.location.pathname);
        });
      });
    }

    var read = document.querySelector('[data-mark-read]');
    if (read) { read.addEventListener('click', markRead); }
  });
})();
