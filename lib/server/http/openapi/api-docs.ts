// GET /api/v1/docs: the API reference, rendered in the browser from the OpenAPI document (/api/v1/openapi.json) by
// Scalar's standalone bundle, served from this origin (public/scalar, copied by scripts/copy-vendor.mjs). Nothing
// is fetched from anywhere else: no web fonts (the system's), no telemetry, no Scalar agent, no request proxy — and
// the page's CSP allows this origin only, so a setting Scalar adds later cannot reach out either.
import "server-only";
import { createHash } from "node:crypto";

const configuration = {
  url: "/api/v1/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  documentDownloadType: "json",
  defaultOpenFirstTag: true,
  metaData: { title: "Lectern API reference" },
  // On a phone Scalar's top bar shows the open operation's summary on one line, as wide as it is long: the page
  // then scrolled sideways. It ends in an ellipsis instead.
  customCss: "header .whitespace-nowrap { min-width: 0; overflow: hidden; text-overflow: ellipsis; }",
};

// "Try it" sends requests to the Lectern that served the page, whatever URL its document names.
const init = `Scalar.createApiReference("#reference", Object.assign(${JSON.stringify(configuration)}, { servers: [{ url: location.origin, description: "This Lectern" }] }));`;
const initHash = createHash("sha256").update(init).digest("base64");

export const apiDocsHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lectern API reference</title>
</head>
<body>
<noscript>The API reference needs JavaScript. The document it shows: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="/scalar/standalone.js"></script>
<script>${init}</script>
</body>
</html>
`;

/** Scripts: the bundle and the one inline script, by its hash; styles inline (Scalar sets them); data from here. */
export const apiDocsCsp = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${initHash}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
