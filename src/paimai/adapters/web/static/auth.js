/* Log in and register through the JSON API (/api/v1/auth/...). The login answer sets the session cookie
   and the CSRF cookie; then the browser goes on to the page it came from (data-next, a local path). */
(function () {
  'use strict';
  var P = window.Paimai;

  /* The rule of adapters/web/redirects.py, word for word (tests run one table of values through both):
     printable ASCII only, one leading '/', no backslash, no scheme or host, and still so when
     percent-decoded (up to three times). Anything else goes to '/'. */
  var MAX_NEXT_LENGTH = 2000;
  var PRINTABLE_PATH = /^\/[!-~]*$/;
  var CONTROL = /\p{C}/u; // Unicode's control, format, surrogate, private-use and unassigned characters

  function hostFree(value) {
    if (value.charAt(0) !== '/' || value.charAt(1) === '/' || value.indexOf('\\') >= 0) { return false; }
    var parsed;
    try { parsed = new URL(value, window.location.origin); } catch (error) { return false; }
    return parsed.origin === window.location.origin;
  }

  function isLocalPath(value) {
    if (typeof value !== 'string' || value.length > MAX_NEXT_LENGTH || !PRINTABLE_PATH.test(value) ||
        !hostFree(value)) { return false; }
    var current = value;
    for (var round = 0; round < 3; round++) {
      var decoded;
      try { decoded = decodeURIComponent(current); } catch (error) { return round > 0; }
      if (decoded === current) { return true; }
      if (CONTROL.test(decoded) || !hostFree(decoded)) { return false; }
      current = decoded;
    }
    return true;
  }

  function localPath(value) {
    return isLocalPath(value) ? value : '/';
  }
  P.localPath = localPath;

  function busy(form, on) {
    var button = form.querySelector('button[type="submit"]');
    if (!button) { return; }
    if (on) {
      button.setAttribute('data-label', button.textContent);
      button.textContent = P.t('logging_in');
      button.disabled = true;
    } else {
      button.textContent = button.getAttribute('data-label') || button.textContent;
      button.disabled = false;
    }
  }

  function login(username, password) {
    return P.api('POST', '/auth/login', { username: username, password: password });
  }

  function bind(form, submit) {
    if (!form) { return; }
    var message = form.querySelector('[data-message]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.getAttribute('aria-busy') === 'true') { return; }
      P.say(message, '', 'info');
      var fields = {};
      var inputs = form.querySelectorAll('input[name]');
      for (var i = 0; i < inputs.length; i++) { fields[inputs[i].name] = inputs[i].value; }
      if (!fields.username || !fields.password) {
        P.say(message, P.t('fields_required'), 'error');
        return;
      }
      form.setAttribute('aria-busy', 'true');
      busy(form, true);
      submit(fields).then(function (result) {
        if (result.ok) {
          var next = localPath(form.getAttribute('data-next'));
          var user = result.data && result.data.user;
          // Sent nowhere in particular: the account's own home (the back office for staff).
          if (next === '/' && user && typeof user.home === 'string') { next = localPath(user.home); }
          window.location.assign(next);
          return;
        }
        form.removeAttribute('aria-busy');
        busy(form, false);
        P.say(message, P.errorText(result.data), 'error');
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    bind(document.getElementById('login-form'), function (fields) {
      return login(fields.username.trim(), fields.password);
    });
    bind(document.getElementById('register-form'), function (fields) {
      var body = { username: fields.username.trim(), password: fields.password };
      var display = (fields.display_name || '').trim();
      if (display) { body.display_name = display; }
      return P.api('POST', '/auth/register', body).then(function (result) {
        return result.ok ? login(body.username, body.password) : result;
      });
    });
  });
})();
