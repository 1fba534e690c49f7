// Settings → Import from Langfuse, as an admin uses it: keys typed in, Preview (nothing written), Import,
// the report, and the imported prompt's page with Langfuse's version numbers. The Langfuse is a local
// server answering with recorded answers (test/langfuse-server.ts).
import { LangfuseServer } from "../test/langfuse-server";
import { expect, expectNoSeriousA11yViolations, screenshot, seedApiKey, signIn, test } from "./fixtures";

test("an admin previews, then imports a Langfuse project from Settings", async ({ page, seeded }) => {
  const langfuse = new LangfuseServer();
  await langfuse.start();
  try {
    await signIn(page, seeded.users.admin);
    await page.goto(`/${seeded.slug}/settings#import`);
    const form = page.getByRole("form", { name: "Import from Langfuse" });
    await form.getByLabel("Langfuse URL").fill("");
    await form.getByLabel("Langfuse URL").pressSequentially(langfuse.url, { delay: 10 });
    await form.getByLabel("Public key").pressSequentially(langfuse.publicKey, { delay: 10 });
    await form.getByLabel("Secret key").pressSequentially(langfuse.secretKey, { delay: 10 });
    await expect(form.getByRole("button", { name: "Import" })).toBeDisabled();
    await form.getByRole("button", { name: "Preview" }).click();

    const report = page.getByTestId("import-report");
    await expect(report).toContainText("Preview: 4 of 5 prompts would be imported");
    await expect(report.getByRole("row", { name: /support\/Reply Bot/ })).toContainText(
      "1, 2, 4 (3 deleted in Langfuse: kept archived)",
    );
    await expect(report.getByRole("row", { name: /broken/ })).toContainText("config.temperature must be a number");
    // A label no environment has is kept as a version label (it was refused before they existed).
    await expect(report.getByRole("row", { name: /legacy\.prompt/ })).toContainText("prod.v1 (version label) → v1");
    await expectNoSeriousA11yViolations(page);
    await report.screenshot({ path: "test-results/screenshots/settings-import-preview.png" });

    await form.getByRole("button", { name: "Import" }).click();
    await expect(report).toContainText("Imported: 4 of 5 prompts imported");
    await report.getByRole("link", { name: "support/Reply Bot" }).click();
    await page.waitForURL((u) => u.pathname === `/${seeded.slug}/prompts/support/Reply%20Bot`);
    await expect(page.getByTestId("version-4")).toContainText("Keep the conversation history");
    await expect(page.getByTestId("version-3")).toContainText("deleted");
    await expect(page.getByTestId("prompt-content")).toContainText("history: the messages the application passes");
    await screenshot(page, "imported-prompt");

    // A Langfuse client sets a label no environment has: it is kept as a version label of that version.
    const key = await seedApiKey(seeded, {
      name: "langfuse client",
      scope: "admin",
    });
    const { publicId } = (await (
      await fetch(`${process.env.LECTERN_TEST_BASE_URL}/api/v1/project`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { publicId: string };
    const created = await fetch(`${process.env.LECTERN_TEST_BASE_URL}/api/public/v2/prompts`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${publicId}:${key}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "from-a-client", prompt: "Hi", labels: ["qa-lane"] }),
    });
    expect(created.status).toBe(201);

    // The prompt page shows each version's labels; an editor moves one there, without release rules.
    await page.goto(`/${seeded.slug}/prompts/from-a-client`);
    await expect(page.getByTestId("version-1").getByTestId("version-label-qa-lane")).toBeVisible();
    await page.goto(`/${seeded.slug}/prompts/Summarizer%20v2.1`);
    await expect(page.getByTestId("version-2").getByTestId("version-label-canary")).toBeVisible();
    await page.getByTestId("version-1").getByRole("button", { name: "Add a version label to v1" }).click();
    await page.getByTestId("version-1").getByLabel("Version label for v1").fill("canary");
    await page.getByTestId("version-1").getByRole("button", { name: "Set label" }).click();
    await expect(page.getByTestId("version-1").getByTestId("version-label-canary")).toBeVisible();
    await expect(page.getByTestId("version-2").getByTestId("version-label-canary")).toHaveCount(0);
    await screenshot(page, "version-labels");
    await expectNoSeriousA11yViolations(page);
    await page.getByTestId("version-1").getByRole("button", { name: "Remove version label canary" }).click();
    await expect(page.getByTestId("version-1").getByTestId("version-label-canary")).toHaveCount(0);
    // No environment was made for a label.
    await page.goto(`/${seeded.slug}/settings#environments`);
    await expect(page.getByRole("listitem").filter({ hasText: "qa-lane" })).toHaveCount(0);
  } finally {
    await langfuse.stop();
  }
});
