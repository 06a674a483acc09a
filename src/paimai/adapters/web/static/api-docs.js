/* /docs: start Swagger UI (served from /docs/assets) on this server's OpenAPI document. A file of its own,
   not an inline script, so the Content-Security-Policy can forbid inline scripts everywhere. */
(function () {
  'use strict';
  var root = document.getElementById('swagger-ui');
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute('data-openapi-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
})();
