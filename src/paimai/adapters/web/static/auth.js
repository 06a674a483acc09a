/* Log in and register through the JSON API (/api/v1/auth/...). The login answer sets the session cookie
   and the CSRF cookie; then the browser goes on to the page it came from (data-next, a local path). */
(function () {
  'use strict';
  var P = window.Paimai;

  function localPath(value) {
    if (!value || value.charAt(0) !== '/' || value.charAt(1) === '/' || value.indexOf('\\') >= 0) { return '/'; }
    return value;
  }

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
          window.location.assign(localPath(form.getAttribute('data-next')));
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
