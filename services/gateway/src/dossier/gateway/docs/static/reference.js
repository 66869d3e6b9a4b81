// The API reference: Redoc (served by the gateway from the pinned fastapi-offline wheel) over
// /openapi.json, whose operations carry curl, Python SDK and TypeScript SDK samples.
(function () {
  "use strict";
  var root = document.getElementById("reference");
  var system = '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  window.Redoc.init(
    root.getAttribute("data-spec-url"),
    {
      expandResponses: "200,201,202",
      jsonSampleExpandLevel: 3,
      hideDownloadButton: false,
      sortTagsAlphabetically: false,
      theme: {
        typography: {
          fontFamily: system,
          headings: { fontFamily: system },
          code: { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace' },
        },
        colors: { primary: { main: "#1f4e79" } },
      },
    },
    root
  );
})();
