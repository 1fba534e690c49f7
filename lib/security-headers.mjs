// The security headers every response carries, whichever server answers it: Next adds them through
// next.config.mjs `headers()`, Lectern's own server (gateway/fast-path.ts) adds them to the runtime
// answers it serves itself. One list, so the two cannot drift; pages also get a per-request CSP with
// a nonce (lib/server/http/headers.ts, proxy.ts). Plain JavaScript because next.config.mjs imports it.

/** @type {ReadonlyArray<{ readonly key: string; readonly value: string }>} */
export const SECURITY_HEADERS = Object.freeze([
  Object.freeze({ key: "X-Content-Type-Options", value: "nosniff" }),
  Object.freeze({ key: "X-Frame-Options", value: "DENY" }),
  Object.freeze({ key: "Referrer-Policy", value: "strict-origin-when-cross-origin" }),
  Object.freeze({ key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" }),
]);
