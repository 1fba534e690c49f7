import { checkedScreenshot, expect, screenshot, seedPrompt, signIn, test } from "./fixtures";
import { startReceiver } from "../test/webhook-receiver";

test("an admin adds a webhook (secret shown once), a change is delivered signed, the log shows it, redeliver, delete", async ({
  page,
  seeded,
}) => {
  const rx = await startReceiver();
  try {
    await signIn(page, seeded.users.admin);
    await page.goto(`/${seeded.slug}/settings#webhooks`);
    const card = page.locator("#webhooks");
    await expect(card.getByText("No webhooks yet.")).toBeVisible();
    const form = page.getByRole("form", { name: "Add a webhook" });
    await form.getByLabel("Payload URL").fill(`${rx.url}/e2e`);
    await form.getByLabel("Description (optional)").fill("release notifications");
    await form.getByRole("checkbox", { name: "prompt.version_created" }).check();
    await form.getByRole("button", { name: "Add webhook" }).click();

    const dialog = page.getByRole("dialog", { name: "Webhook added" });
    const secret = await dialog.getByLabel(/Signing secret/).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    rx.secret = secret;
    await screenshot(page, "settings-webhook-secret");
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toBeHidden();

    const item = card.getByTestId("webhook").filter({ hasText: `${rx.url}/e2e` });
    await expect(item).toContainText("release notifications");
    await expect(item).toContainText(`…${secret.slice(-4)}`);
    await expect(item).not.toContainText(secret);

    await seedPrompt(seeded, "hooked", [{ type: "text", template: "Hello" }]);
    await expect
      .poll(() => rx.requests.filter((r) => r.path === "/e2e" && r.signature?.ok).length, { timeout: 30_000 })
      .toBe(1);
    expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({
      type: "prompt.version_created",
      data: { prompt: "hooked", version: 1 },
    });

    await item.getByRole("button", { name: "Deliveries" }).click();
    const rows = item.getByTestId("delivery");
    await expect
      .poll(
        async () => {
          await item.getByRole("button", { name: "Refresh" }).click();
          return rows.first().textContent();
        },
        { timeout: 30_000 },
      )
      .toContain("delivered");
    await expect(rows.first()).toContainText("prompt.version_created");
    await checkedScreenshot(page, "settings-webhook-deliveries");

    await rows.first().getByRole("button", { name: "Redeliver" }).click();
    await expect
      .poll(() => rx.requests.filter((r) => r.path === "/e2e" && r.signature?.ok).length, { timeout: 30_000 })
      .toBe(2);
    expect(rx.requests[1]!.body).toBe(rx.requests[0]!.body);
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("(redelivery)");

    await item.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: "Delete this webhook?" })
      .getByRole("button", { name: "Delete webhook" })
      .click();
    await expect(card.getByText("No webhooks yet.")).toBeVisible();
  } finally {
    await rx.close();
  }
});

test("people who are not admins see why they cannot manage webhooks", async ({ page, seeded }) => {
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/settings`);
  await expect(page.locator("#webhooks")).toContainText(
    "Your role (approver) cannot manage webhooks; admin or higher is required.",
  );
  await expect(page.getByRole("form", { name: "Add a webhook" })).toHaveCount(0);
});
