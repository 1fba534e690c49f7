// A partial's release is a release of every prompt that includes it (docs/decisions/partial-releases.md), walked on the
// demo: a support lead edits shared/tone; its page lists who uses it; its production plan lists support-reply with the
// gate run on support-reply rendered with the new tone and the review; production refuses until both are met; the
// run is started from the plan, the review requested and approved, and production serves the new tone
// inside support-reply.
import {
  expect,
  requestAndOpenAsApprover,
  screenshot,
  seedApiKey,
  signIn,
  signOut,
  test,
  typeInEditor,
} from "./fixtures";
import { api } from "./journey-calls";
import { demoReplyScript, modelServerForFile, seedDemoOnModelServer } from "./model-server";

const model = modelServerForFile(demoReplyScript, { defaultConnection: true });

const newTone =
  "Write in a warm, plain and confident tone. Prefer short sentences. Never blame the customer. Thank them once.";

test("a support lead's edit of shared/tone is released under support-reply's gate and review", async ({
  page,
  seeded,
}) => {
  test.setTimeout(300_000);
  await seedDemoOnModelServer(seeded);
  const admin = await seedApiKey(seeded, {
    name: "partials admin",
    scope: "admin",
  });

  // 1. The support lead edits the partial.
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/shared/tone`);
  await typeInEditor(page, "Prompt template", newTone, 5);
  await page.getByLabel("Commit message").fill("Thank the customer once");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page).toHaveURL(/\/prompts\/shared\/tone\?version=2/);

  // 2. Its page says who uses it, and what each environment serves of them.
  const usedBy = page.getByTestId("used-by");
  for (const [env, version] of [
    ["development", 3],
    ["staging", 2],
    ["production", 1],
  ] as const)
    await expect(usedBy.locator("tr", { hasText: env })).toHaveText(
      new RegExp(`^${env}\\s*support-reply\\s*version ${version}$`),
    );

  // 3. Production's plan lists support-reply with its gate on the composed text and the review.
  const production = page.getByTestId("release-plan-production");
  await expect(production.locator('[data-step="dependents"]')).toHaveAttribute("data-met", "false");
  const reply = production.locator('[data-dependent="support-reply"]');
  await expect(reply.locator('[data-step="evaluation"]')).toContainText(
    "support-reply version 1 with shared/tone version 2 has no completed evaluation run",
  );
  await expect(reply.locator('[data-step="review"]')).toHaveAttribute("data-met", "false");
  await screenshot(page, "partial-plan-dependents");

  // Production refuses it over the API too, naming support-reply.
  const refused = await api(admin, "POST", "/api/v1/prompts/shared%2Ftone/deployments", {
    environment: "production",
    version: 2,
  });
  expect(refused.status).toBe(409);
  expect((refused.body as { error: { details: { dependents: { name: string }[] } } }).error.details.dependents).toEqual(
    [expect.objectContaining({ name: "support-reply", serves: 1 })],
  );

  // 4. Staging first (no rules there), then the run the plan asks for: support-reply with the new tone.
  await production.getByRole("button", { name: "Promote to staging…" }).click();
  const promote = page.getByRole("dialog", { name: "Promote to staging" });
  await expect(promote.getByTestId("plan-dependents")).toContainText("support-reply");
  // Who made which change since what staging serves.
  await expect(promote.getByTestId("release-authors")).toContainText("Since version 1, what staging serves:");
  await expect(promote.getByTestId("release-authors").locator('[data-version="2"]')).toContainText(
    "“Thank the customer once”",
  );
  // The demo's "Concise replies" runs in staging on support-reply, which includes shared/tone: releasing the tone
  // there would change its arms mid-experiment, which only its creator or an approver may decide. The dialog says
  // so before any click, and the button waits.
  await expect(promote.getByTestId("experiment-not-yours")).toContainText(
    "“Concise replies” on support-reply runs in staging and includes shared/tone",
  );
  await expect(promote.getByTestId("experiment-not-yours")).toContainText(
    "Only the person who created it or an approver",
  );
  await expect(promote.getByRole("button", { name: "Promote version 2 to staging" })).toBeDisabled();
  await promote.getByRole("button", { name: "Cancel" }).click();
  await signOut(page);

  // The approver releases it to staging and starts the experiment's next phase.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/shared/tone?show=2#release`);
  await production.getByRole("button", { name: "Promote to staging…" }).click();
  await promote
    .getByTestId("experiment-choice")
    .getByRole("radio", { name: /Start a new phase/ })
    .check();
  await promote.getByRole("button", { name: "Promote version 2 to staging" }).click();
  await expect(page.getByTestId("live-staging")).toHaveText("v2");
  await signOut(page);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts/shared/tone?show=2#release`);
  await reply
    .getByRole("button", { name: "Run evaluation of support-reply version 1 with shared/tone version 2" })
    .click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}/);
  await expect(page.getByTestId("run-done")).toHaveText("120 of 120 evaluated", { timeout: 120_000 });
  await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 30_000 });
  const rendered = (await (await fetch(`${model().url}/__requests`)).json()) as { prompt: string }[];
  expect(rendered.at(-1)!.prompt).toContain("Thank them once.");

  // 5. The gate is met on the composed text; only the review is left, and it covers support-reply.
  await page.goto(`/${seeded.slug}/prompts/shared/tone?show=2#release`);
  await expect(reply.locator('[data-step="evaluation"]')).toHaveAttribute("data-met", "true");
  await production.getByRole("button", { name: "Request review…" }).first().click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await request.getByLabel("Message to the reviewer").fill("Thank customers once; support-reply's gate passed");
  // 6. An approver approves; production serves the new tone inside support-reply.
  const review = await requestAndOpenAsApprover(page, seeded, request, "shared/tone");
  await review.getByRole("button", { name: "Approve and deploy to production" }).click();
  await expect(page.getByText("Approved: production now serves version 2 of shared/tone.")).toBeVisible();
  const served = await api(admin, "POST", "/api/v1/prompts/resolve", {
    name: "support-reply",
    environment: "production",
    variables: { customer_name: "Ana", ticket: "Where is my order?", kb_excerpt: "-" },
  });
  expect(JSON.stringify(served.body)).toContain("Thank them once.");
});
