/* The seller's pages: apply to sell, save / edit / submit a lot, delete a draft — all through the JSON API
   with the CSRF header (Paimai.api). Amounts are typed in yuan and sent as integer fen, parsed as text
   (no floats); times are typed in Beijing time and sent with their +08:00 offset (aware). */
(function () {
  'use strict';
  var P = window.Paimai;
  var WORDS = {};
  try { WORDS = JSON.parse(document.getElementById('sell-i18n').textContent); } catch (e) { WORDS = {}; }
  var LANG = document.documentElement.getAttribute('data-lang') === 'en' ? 'en' : 'zh';

  function w(key) {
    var entry = WORDS[key];
    return entry ? (entry[LANG] || entry.zh) : P.t(key);
  }

  /* "1,234.5" -> 123450, "0" -> 0 (a deposit or fee may be zero); "" -> undefined; nonsense -> null. */
  function fen(text) {
    var s = String(text || '').replace(/[¥￥,，\s]/g, '');
    if (s === '') { return undefined; }
    var m = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(s);
    if (!m) { return null; }
    var cents = m[2] || '';
    if (cents.length === 1) { cents += '0'; }
    return Number(m[1]) * 100 + Number(cents || 0);
  }

  /* "2026-12-04T10:00" typed in Beijing time -> "2026-12-04T10:00:00+08:00". */
  function beijing(value) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value || '')) { return null; }
    return value + ':00+08:00';
  }

  function lotBody(form) {
    var get = function (name) { return form.elements[name] ? form.elements[name].value : ''; };
    var body = {
      title: get('title').trim(),
      category: get('category'),
      kind: get('kind'),
      description: get('description'),
      location: get('location').trim(),
      return_policy: get('return_policy'),
      withdrawal_allowed: form.elements.withdrawal_allowed.checked,
      starts_at: beijing(get('starts_at')),
      ends_at: beijing(get('ends_at'))
    };
    if (body.kind === 'judicial' && form.querySelector('[data-judicial-fields]')) {
      ['court_name', 'case_number', 'announcement', 'bidder_notice', 'as_is_notice', 'contact', 'viewing'].forEach(function (name) {
        body[name] = get(name);
      });
    }
    var bad = [];
    ['start_price', 'increment', 'deposit', 'reserve_price', 'appraisal', 'withdrawal_fee'].forEach(function (name) {
      var value = fen(get(name));
      if (value === null) { bad.push(name); return; }
      if (value === undefined) {
        if (name === 'reserve_price' || name === 'appraisal') { body[name] = null; }
        return;
      }
      body[name] = value;
    });
    var minutes = get('extension_minutes');
    if (minutes !== '') {
      if (!/^\d{1,2}$/.test(minutes)) { bad.push('extension_minutes'); } else { body.extension_seconds = Number(minutes) * 60; }
    }
    if (!body.title || !body.category || !body.starts_at || !body.ends_at ||
        body.start_price === undefined || body.increment === undefined || body.deposit === undefined) {
      return { missing: true };
    }
    return { body: body, bad: bad };
  }

  function mark(form, names) {
    var fields = form.querySelectorAll('[name]');
    for (var i = 0; i < fields.length; i++) {
      fields[i].removeAttribute('aria-invalid');
      if (names.indexOf(fields[i].name) >= 0) { fields[i].setAttribute('aria-invalid', 'true'); }
    }
  }

  function fieldsOf(data) {
    var error = data && data.error;
    var names = [];
    (error && error.fields || []).forEach(function (f) {
      var loc = f.loc || f.field || f;
      var name = Array.isArray(loc) ? loc[loc.length - 1] : String(loc);
      names.push(name === 'extension_seconds' ? 'extension_minutes' : name);
    });
    return names;
  }

  function lotForm(form) {
    var message = form.querySelector('[data-message]');
    var judicialFields = form.querySelector('[data-judicial-fields]');
    if (judicialFields && form.elements.kind) {
      form.elements.kind.addEventListener('change', function () {
        P.show(judicialFields, form.elements.kind.value === 'judicial');
      });
    }
    var lotId = form.getAttribute('data-lot-id');
    var busy = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) { return; }
      var action = (event.submitter && event.submitter.getAttribute('data-action')) || 'save';
      var parsed = lotBody(form);
      if (parsed.missing) { P.say(message, w('fields_required'), 'error'); return; }
      if (parsed.bad.length) { mark(form, parsed.bad); P.say(message, w('amount_invalid'), 'error'); return; }
      mark(form, []);
      var body = parsed.body;
      busy = true;
      P.say(message, P.t('working'), 'info');
      var saving;
      if (lotId) {
        saving = P.api('PATCH', '/lots/' + lotId, body);
      } else {
        if (body.reserve_price === null) { delete body.reserve_price; }
        if (body.appraisal === null) { delete body.appraisal; }
        body.submit = action === 'submit';
        saving = P.api('POST', '/lots', body);
      }
      saving.then(function (result) {
        if (!result.ok || !lotId || action !== 'submit') { return result; }
        return P.api('POST', '/lots/' + lotId + '/submit');
      }).then(function (result) {
        busy = false;
        if (!result.ok) {
          mark(form, fieldsOf(result.data));
          P.say(message, P.errorText(result.data), 'error');
          message.scrollIntoView({ block: 'nearest' });
          return;
        }
        P.say(message, w(action === 'submit' ? 'sell_submitted' : 'sell_saved'), 'success');
        var id = lotId || (result.data && result.data.id);
        window.location.assign(action === 'submit' ? '/sell/lots' : '/sell/lots/' + id + '/edit');
      });
    });
  }

  function applyForm(form) {
    var message = form.querySelector('[data-message]');
    function showKind() {
      var kind = form.querySelector('input[name="kind"]:checked').value;
      var parts = form.querySelectorAll('[data-for-kind]');
      for (var i = 0; i < parts.length; i++) { P.show(parts[i], parts[i].getAttribute('data-for-kind') === kind); }
    }
    var radios = form.querySelectorAll('input[name="kind"]');
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener('change', showKind); }
    showKind();
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var kind = form.querySelector('input[name="kind"]:checked').value;
      var body = {
        kind: kind,
        name: form.elements.name.value.trim(),
        contact_phone: form.elements.contact_phone.value.trim(),
        licence_number: kind === 'business' ? form.elements.licence_number.value.trim() : '',
        court_name: kind === 'court' ? form.elements.court_name.value.trim() : '',
        description: form.elements.description.value
      };
      if (!body.name || !body.contact_phone || (kind === 'business' && !body.licence_number) ||
          (kind === 'court' && !body.court_name)) {
        P.say(message, w('fields_required'), 'error');
        return;
      }
      P.api('POST', '/me/seller-application', body).then(function (result) {
        if (!result.ok) { P.say(message, P.errorText(result.data), 'error'); return; }
        P.say(message, w('sell_applied'), 'success');
        window.location.reload();
      });
    });
  }

  function deleteButtons() {
    var message = document.querySelector('.sell > [data-message]');
    var buttons = document.querySelectorAll('[data-delete-lot]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) {
        var id = event.currentTarget.getAttribute('data-delete-lot');
        P.api('DELETE', '/lots/' + id).then(function (result) {
          if (!result.ok) { P.say(message, P.errorText(result.data), 'error'); return; }
          P.say(message, w('sell_deleted'), 'success');
          window.location.reload();
        });
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var lot = document.getElementById('lot-form');
    if (lot) { lotForm(lot); }
    var apply = document.getElementById('apply-form');
    if (apply) { applyForm(apply); }
    deleteButtons();
  });
})();
