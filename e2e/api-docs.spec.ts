// The API reference at /api/v1/docs (lib/server/http/openapi/api-docs.ts): Scalar renders the OpenAPI document in Chromium
// at a desktop and a phone size, with an operation's parameters and their descriptions — and every request the page
// makes stays on this origin (its bundle, the document; no fonts, telemetry or proxy), with nothing refused by its CSP.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// What a reader sees (the whole page is some 50,000 px tall).
const seen = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("the API reference renders the operations and what each parameter means, from this origin only", async ({
      page,
      baseURL,
    }) => {
      test.setTimeout(120_000);
      const elsewhere: string[] = [];
      const refused: string[] = [];
      page.on("request", (r) => {
        const url = new URL(r.url());
        if (url.protocol !== "data:" && url.origin !== new URL(baseURL!).origin) elsewhere.push(r.url());
      });
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });

      const res = await page.goto("/api/v1/docs");
      expect(res?.status()).toBe(200);
      expect(res?.headers()["content-security-policy"]).toContain("connect-src 'self'");
      expect(res?.headers()["x-frame-options"]).toBe("DENY");
      // The document's title, then an operation of the Runtime tag with its parameters, as a reader opens it.
      await expect(page.getByRole("heading", { name: "Lectern API", level: 1 })).toBeVisible({ timeout: 60_000 });
      await seen(page, `api-docs-${viewport.width}`);
      await page.goto("/api/v1/docs#tag/runtime/GET/api/v1/prompts/resolve");
      await expect(page.getByRole("heading", { name: /^Resolve the prompt live in an environment/ })).toBeVisible({
        timeout: 60_000,
      });
      const environment = page.getByText("The environment whose live version is answered").first();
      await expect(environment).toBeVisible();
      await expect(page.getByText("Who is served (a user or session id)").first()).toBeVisible();
      await seen(page, `api-docs-resolve-${viewport.width}`);

      // Fits the width: nothing makes the page scroll sideways.
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
      expect(elsewhere, "requests to another origin").toEqual([]);
      expect(refused, "what the page's CSP refused").toEqual([]);
    });
  });
}
