/* One multipart upload to /api/v1 with the CSRF header from the paimai_csrf cookie (Paimai.api sends JSON
   only). Resolves {ok, status, data} like Paimai.api; a network failure resolves with a NETWORK body. */
(function () {
  'use strict';
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return '';
  }
  window.PaimaiUpload = function (path, file) {
    var form = new FormData();
    form.append('file', file, file.name);
    var headers = { 'Accept': 'application/json' };
    var csrf = cookie('paimai_csrf');
    if (csrf) { headers['X-CSRF-Token'] = csrf; }
    return fetch('/api/v1' + path, {
      method: 'POST', headers: headers, body: form, credentials: 'same-origin', cache: 'no-store'
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0, data: null };
    });
  };
})();
