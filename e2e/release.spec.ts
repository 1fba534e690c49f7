import {
  checkedScreenshot,
  expect,
  holdMonaco,
  screenshot,
  seedApiKey,
  seedDeploy,
  seedPrompt,
  signIn,
  signOut,
  test,
} from "./fixtures";

const v1 = {
  type: "chat",
  template: [{ role: "system", content: "You answer billing questions for {{company}}." }],
  variables: [{ name: "company", type: "string", default: "Acme" }],
  config: { temperature: 0.7 },
};
const v2 = {
  ...v1,
  template: [{ role: "system", content: "You answer billing questions for {{company}}. Be concise." }],
  config: { temperature: 0.3 },
};

test("an editor requests a review for production; an approver sees the diff and approves, which deploys", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "billing", [v1, v2], { live: ["production"] });

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/billing`);
  const production = page.getByTestId("env-production");
  // Production is protected: an editor may not promote there, and is told why.
  const promoteButton = production.getByRole("button", { name: "Promote…" });
  await expect(promoteButton).toHaveAttribute("aria-disabled", "true");
  await expect(promoteButton).toHaveAccessibleDescription(
    /Your role \(editor\) cannot deploy to protected environments; approver or higher is required/,
  );
  await production.getByRole("button", { name: "Request review…" }).click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await expect(request.getByTestId("diff-summary")).toContainText("Temperature 0.7 → 0.3");
  await request.getByLabel("Message to the reviewer").fill("Shorter answers for billing");
  await request.getByRole("button", { name: "Request review" }).click();
  await expect(page.getByTestId("pending-review")).toContainText("v2 for production");
  // The requester cannot decide their own request (nor is an editor an approver), and the page says so.
  await expect(page.getByTestId("pending-review").getByRole("button", { name: "Review…" })).toHaveAttribute(
    "aria-disabled",
    "true",
  );
  await expect(page.getByRole("region", { name: "Pending reviews" })).toContainText(
    "Your role (editor) cannot approve or reject reviews",
  );
  await signOut(page);

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/reviews`);
  await expect(page.getByTestId("pending-review")).toContainText("billing");
  await checkedScreenshot(page, "reviews");
  await page.getByTestId("pending-review").getByRole("button", { name: "Review…" }).click();
  const review = page.getByRole("dialog", { name: "Review billing v2 for production" });
  await expect(review.getByTestId("diff-summary")).toContainText("Message 1 (system): 1 line changed");
  await expect(review.getByText("Shorter answers for billing")).toBeVisible();
  await checkedScreenshot(page, "review-dialog");
  await review.getByLabel("Comment").fill("Looks good");
  await review.getByRole("button", { name: "Approve and deploy to production" }).click();
  await expect(page.getByText("Approved: production now serves version 2 of billing.")).toBeVisible();
  await expect(page.getByText("Nothing to review")).toBeVisible();

  await page.goto(`/${seeded.slug}/prompts/billing`);
  await expect(page.getByTestId("live-production")).toHaveText("v2");
  // Its plan for production now says it is live, and lists nothing as missing beside that.
  const livePlan = page.getByTestId("release-plan-production");
  await expect(livePlan).toHaveAttribute("data-status", "live");
  await expect(livePlan).toContainText("production serves version 2 now.");
  await expect(livePlan.locator('[data-met="false"]')).toHaveCount(0);
});

test("an approver promotes a version after seeing exactly what goes live", async ({ page, seeded }) => {
  await seedPrompt(seeded, "billing", [v1, v2], { live: ["staging"] });

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/billing`);
  await expect(page.getByTestId("live-staging")).toHaveText("v1");
  await checkedScreenshot(page, "prompt-page");
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to staging" });
  await expect(dialog.getByLabel("Version", { exact: true })).toHaveValue("2");
  await expect(dialog.getByTestId("diff-summary")).toContainText("Temperature 0.7 → 0.3");
  await expect(dialog.locator(".monaco-diff-editor .editor.modified")).toContainText("Be concise.");
  await checkedScreenshot(page, "promote-dialog");
  await dialog.getByLabel("Reason (shown in the history)").fill("Ready for staging");
  await dialog.getByRole("button", { name: "Promote version 2 to staging" }).click();
  await expect(page.getByTestId("live-staging")).toHaveText("v2");
  await expect(page.getByRole("list", { name: "Deployments" })).toContainText("Ready for staging");
  await expect(page.getByTestId("version-2")).toContainText("live in staging");

  // "What was live at…": a minute from now, staging serves version 2; nothing was ever live in production.
  const soon = await page.evaluate(() => {
    const d = new Date(Date.now() + 60_000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await page.getByLabel("Date and time (your time zone)").fill(soon);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  const at = page.getByTestId("live-at-result");
  await expect(at).toContainText("staging v2");
  await expect(at).toContainText("production —");
});

test("an approver who asked for a review is told on the page, not only in a tooltip, why they cannot approve it", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "billing", [v1, v2]);
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/billing`);
  await page.getByTestId("env-production").getByRole("button", { name: "Request review…" }).click();
  await page
    .getByRole("dialog", { name: "Request review for production" })
    .getByRole("button", { name: "Request review" })
    .click();
  await expect(page.getByTestId("own-review-reason")).toHaveText(
    "You requested this review; another approver must approve it.",
  );
  await page.goto(`/${seeded.slug}/reviews`);
  await expect(page.getByTestId("own-review-reason")).toHaveText(
    "You requested this review; another approver must approve it.",
  );
  await page.getByTestId("pending-review").getByRole("button", { name: "Review…" }).click();
  const dialog = page.getByRole("dialog", { name: "Review billing v2 for production" });
  await expect(dialog.getByTestId("approve-blocked-reason")).toContainText(
    "You requested this review; another approver must approve it.",
  );
  await screenshot(page, "review-dialog-own-request");
});

test("a dialog's diff shows a skeleton of its own size while the editor loads, then the diff in the same place", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "billing", [v1, v2], { live: ["staging"] });
  // Hold Monaco's files until the dialog is open, as a slow network would.
  const release = await holdMonaco(page);
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/billing`);
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to staging" });
  await expect(dialog.getByTestId("diff-summary")).toContainText("Temperature 0.7 → 0.3");
  const pane = dialog.getByRole("group", { name: "Message 1 (system)" });
  await expect(pane).toHaveAttribute("aria-busy", "true");
  const before = await pane.boundingBox();
  await screenshot(page, "promote-dialog-loading");
  release();
  await expect(pane.locator(".monaco-diff-editor .editor.modified")).toContainText("Be concise.");
  await expect(pane).not.toHaveAttribute("aria-busy", "true");
  const after = await pane.boundingBox();
  expect(after).toEqual(before);
});

test("an approver rolls production back to the previous version; the resolve API then serves it", async ({
  page,
  seeded,
  request,
}) => {
  await seedPrompt(seeded, "billing", [v1, v2], { live: ["production"] });
  await seedDeploy(seeded, "billing", "production", 2);
  const key = await seedApiKey(seeded, {
    name: "e2e",
    scope: "runtime",
  });
  const resolve = async () => {
    const res = await request.get(`/api/v1/prompts/resolve?name=billing&environment=production`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { version: number }).version;
  };
  expect(await resolve()).toBe(2); // now cached by the server

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/billing`);
  await expect(page.getByTestId("live-production")).toHaveText("v2");
  await page.getByTestId("env-production").getByRole("button", { name: "Roll back…" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back production" });
  await expect(dialog.getByLabel("Roll back to version")).toHaveValue("1"); // the previously live version
  await expect(dialog.getByTestId("diff-summary")).toContainText("Temperature 0.3 → 0.7");
  await dialog.getByLabel("Reason (shown in the history)").fill("Answers too short");
  await dialog.getByRole("button", { name: "Roll back production to version 1" }).click();
  await expect(page.getByText("production now serves version 1.")).toBeVisible();
  // How fast the change reaches every server is measured by `npm run bench` (propagation), not asserted here.
  await expect.poll(resolve, { intervals: [50] }).toBe(1);
  await expect(page.getByTestId("live-production")).toHaveText("v1");
  await expect(page.getByRole("list", { name: "Deployments" })).toContainText("Answers too short");

  // Version 2 stays rolled back: promoting it again names the rollback and waits for the person to say they know.
  await page.getByTestId("env-production").getByRole("button", { name: "Promote…" }).click();
  const again = page.getByRole("dialog", { name: "Promote to production" });
  await again.getByLabel("Version", { exact: true }).selectOption("2");
  const confirmation = again.getByTestId("confirm-rolled-back");
  await expect(confirmation).toContainText("Version 2 was rolled back in production");
  await expect(confirmation).toContainText("(“Answers too short”)");
  const promoteAgain = again.getByRole("button", { name: "Promote version 2 to production" });
  await expect(promoteAgain).toBeDisabled();
  await confirmation.getByRole("checkbox").check();
  await promoteAgain.click();
  await expect(page.getByTestId("live-production")).toHaveText("v2");
});
