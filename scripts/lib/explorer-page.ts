// The explorer's own page and Swagger UI initializer. They replace swagger-ui-dist's index.html and
// swagger-initializer.js (which would load the Petstore spec from the internet): every script is a
// file served by the explorer itself, so the page works offline and under `script-src 'self'`.

export const indexHtml = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Amani API explorer</title>
    <link rel="stylesheet" type="text/css" href="/swagger-ui.css">
    <link rel="icon" type="image/png" href="/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

// BaseLayout has no top bar, so the page cannot be pointed at another spec URL; validatorUrl null
// stops Swagger UI from sending the spec to validator.swagger.io.
export const initializerJs = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    deepLinking: true,
    displayOperationId: true,
    validatorUrl: null,
    persistAuthorization: false,
  });
});
`;
