/* paimai pages: shared helpers. Money is integer fen end to end; times are shown in Beijing time
   and every countdown runs on the server's clock (offset = server time - browser time). */
(function () {
  'use strict';

  var I18N = {};
  try {
    I18N = JSON.parse(document.getElementById('paimai-i18n').textContent);
  } catch (e) { /* no catalogue: keys show themselves */ }
  var LANG = document.documentElement.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var BEIJING_MS = 8 * 3600 * 1000;

  function t(key) {
    var entry = I18N[key];
    return entry ? (entry[LANG] || entry.zh) : key;
  }

  /* 123456 -> "¥1,234.56", using integer division only. */
  function yuan(fen) {
    if (fen === null || fen === undefined) { return '—'; }
    var n = Math.trunc(Number(fen));
    var sign = n < 0 ? '-' : '';
    n = Math.abs(n);
    var whole = Math.floor(n / 100);
    var cents = n % 100;
    var digits = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return sign + '¥' + digits + '.' + (cents < 10 ? '0' : '') + cents;
  }

  /* 123456 -> "1234.56" for an editable field. */
  function yuanPlain(fen) {
    var n = Math.trunc(Number(fen));
    var cents = n % 100;
    return Math.floor(n / 100) + '.' + (cents < 10 ? '0' : '') + cents;
  }

  /* "1,234.5" -> 123450; anything else (negative, 3 decimals, letters) -> null. No floats. */
  function parseYuan(text) {
    var s = String(text || '').replace(/[¥￥,，\s]/g, '');
    var m = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(s);
    if (!m) { return null; }
    var cents = (m[2] || '').length === 1 ? Number(m[2]) * 10 : Number(m[2] || 0);
    var fen = Number(m[1]) * 100 + cents;
    return fen > 0 ? fen : null;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* ISO time -> Beijing time: "full" YYYY-MM-DD HH:MM:SS, "short" MM-DD HH:MM:SS, "clock" HH:MM:SS. */
  function bjt(iso, style) {
    if (!iso) { return '—'; }
    var ms = typeof iso === 'number' ? iso : Date.parse(iso);
    if (isNaN(ms)) { return '—'; }
    var d = new Date(ms + BEIJING_MS);
    var clock = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
    if (style === 'clock') { return clock; }
    var day = pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    if (style === 'short') { return day + ' ' + clock; }
    return d.getUTCFullYear() + '-' + day + ' ' + clock;
  }

  /* <time class="stamp"><span class="d">MM-DD</span> <span class="c">HH:MM:SS</span></time>, as the templates. */
  function stamp(iso, withYear) {
    var node = document.createElement('time');
    node.className = 'stamp';
    node.setAttribute('datetime', iso || '');
    var full = bjt(iso, 'full');
    var day = document.createElement('span');
    day.className = 'd';
    day.textContent = full === '—' ? '' : (withYear ? full.slice(0, 10) : full.slice(5, 10));
    var clockPart = document.createElement('span');
    clockPart.className = 'c';
    clockPart.textContent = full === '—' ? full : full.slice(11);
    node.appendChild(day);
    node.appendChild(document.createTextNode(' '));
    node.appendChild(clockPart);
    return node;
  }

  function duration(ms) {
    var total = Math.max(0, Math.floor(ms / 1000));
    var days = Math.floor(total / 86400);
    var rest = total % 86400;
    var clock = pad(Math.floor(rest / 3600)) + ':' + pad(Math.floor((rest % 3600) / 60)) + ':' + pad(rest % 60);
    return days ? days + t('days_short') + ' ' + clock : clock;
  }

  /* The server's clock as the browser sees it. */
  var clock = {
    offset: 0,
    sync: function (serverIso) {
      var ms = Date.parse(serverIso);
      if (!isNaN(ms)) { clock.offset = ms - Date.now(); }
    },
    now: function () { return Date.now() + clock.offset; }
  };
  clock.sync(document.body.getAttribute('data-server-time'));

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return '';
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  /* One JSON call to /api/v1. Unsafe methods carry the CSRF header; money-moving ones an Idempotency-Key.
     Resolves {ok, status, data}; a network failure resolves with a NETWORK error body. */
  function api(method, path, body, options) {
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    if (method !== 'GET' && method !== 'HEAD') {
      var csrf = cookie('paimai_csrf');
      if (csrf) { headers['X-CSRF-Token'] = csrf; }
    }
    // options.key: the caller's own key, kept across a retry of the same request (so money moves once)
    if (options && (options.key || options.idempotent)) { headers['Idempotency-Key'] = options.key || uuid(); }
    return fetch('/api/v1' + path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0, data: { error: { code: 'NETWORK', message: I18N.network_error.en,
                                                      message_zh: I18N.network_error.zh } } };
    });
  }

  /* Codes whose API message quotes raw fen: the page words them itself and adds the amount in yuan. */
  var LOCAL_ERRORS = { BID_TOO_LOW: 'err_bid_too_low' };

  /* An API error in the page's language (the other language only if that one is missing). */
  function errorText(data) {
    var error = data && data.error;
    if (!error) { return t('network_error'); }
    var text;
    if (LOCAL_ERRORS[error.code]) {
      text = t(LOCAL_ERRORS[error.code]);
    } else if (LANG === 'en') {
      text = error.message || error.message_zh || error.code;
    } else {
      text = error.message_zh || error.message || error.code;
    }
    if (typeof error.next_valid === 'number') {
      var hint = t('next_valid') + ' ' + yuan(error.next_valid);
      text += LANG === 'en' ? ' (' + hint + ')' : '（' + hint + '）';
    }
    return text;
  }

  function say(el, text, kind) {
    if (!el) { return; }
    el.textContent = text;
    el.className = 'message ' + (kind || 'info');
    el.hidden = !text;
  }

  function show(el, visible) { if (el) { el.hidden = !visible; } }

  /* One decision form's request (a review, a freeze, a suspension, a cancel…): its buttons wait, its message
     box says what is happening or why the server refused; on success the page is read again, where the truth
     lives. It carries an Idempotency-Key: a cancel releases deposits, so a retried request must act once. */
  function postAndReload(form, path, body, button) {
    var box = form.querySelector('[data-message]');
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    say(box, t('working'), 'info');
    return api('POST', path, body, { idempotent: true }).then(function (result) {
      if (!result.ok) {
        for (var j = 0; j < buttons.length; j++) { buttons[j].disabled = false; }
        say(box, errorText(result.data), 'error');
        if (button) { button.focus(); }
        return;
      }
      window.location.reload();
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* Countdowns on the list page and the clock in the top bar, ticking on server time. */
  function tick() {
    var now = clock.now();
    var clockEl = document.querySelector('[data-server-clock]');
    if (clockEl) { clockEl.textContent = bjt(now, 'clock'); }
    var items = document.querySelectorAll('[data-countdown]');
    for (var i = 0; i < items.length; i++) {
      var target = Date.parse(items[i].getAttribute('data-target'));
      var value = items[i].querySelector('[data-countdown-value]');
      if (!value || isNaN(target)) { continue; }
      var left = target - now;
      if (left <= 0) {
        var label = items[i].querySelector('[data-countdown-label]');
        if (items[i].getAttribute('data-status') === 'live') {
          if (label) { label.textContent = t('closing'); }
          value.textContent = '';
        } else {
          value.textContent = '00:00:00';
        }
      } else {
        value.textContent = duration(left);
      }
    }
  }

  function logout(event) {
    event.preventDefault();
    var message = document.querySelector('[data-message]');
    api('POST', '/auth/logout', {}).then(function (result) {
      if (result.ok || result.status === 401) {
        window.location.assign('/');
      } else {
        say(message, errorText(result.data), 'error');
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    tick();
    window.setInterval(tick, 1000);
    var buttons = document.querySelectorAll('[data-logout]');
    for (var i = 0; i < buttons.length; i++) { buttons[i].addEventListener('click', logout); }
  });

  window.Paimai = {
    lang: LANG, t: t, yuan: yuan, yuanPlain: yuanPlain, parseYuan: parseYuan, bjt: bjt, stamp: stamp, duration: duration,
    clock: clock, api: api, uuid: uuid, errorText: errorText, say: say, show: show, el: el, tick: tick, i18n: I18N,
    postAndReload: postAndReload
  };
})();
