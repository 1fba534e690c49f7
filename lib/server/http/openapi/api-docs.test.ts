// The API reference page (api-docs.ts) runs its one inline script under a CSP that names that script's hash, and
// loads nothing from another origin. (It rendering in Chromium: e2e/api-docs.spec.ts.)
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiDocsCsp, apiDocsHtml } from "./api-docs";

describe("the API reference page", () => {
  it("allows exactly its inline script, by hash, and this origin's bundle", () => {
    const inline = [...apiDocsHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = createHash("sha256").update(inline[0]!).digest("base64");
    expect(apiDocsCsp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(apiDocsHtml).toContain('<script src="/scalar/standalone.js"></script>');
  });

  it("names no other origin, turns off Scalar's fonts and telemetry, and lets the page reach this origin only", () => {
    expect(apiDocsHtml).not.toMatch(/https?:\/\//);
    expect(apiDocsHtml).toContain('"withDefaultFonts":false');
    expect(apiDocsHtml).toContain('"telemetry":false');
    for (const directive of [
      "default-src 'none'",
      "connect-src 'self'",
      "font-src 'self' data:",
      "frame-ancestors 'none'",
    ])
      expect(apiDocsCsp).toContain(directive);
  });
});
