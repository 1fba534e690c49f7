// Guarded rollouts (docs/decisions/guarded-rollouts.md), as a product manager (an approver) does it on the prompt page:
// start one of a support-reply version in production with the default steps; traffic in which the new version is slower
// makes the rollouts job roll it back at its first step, with an alert; then a harmless version with short steps,
// advanced once by hand with a reason, reaches 100 % and becomes what production serves. An admin can make
// every production release a guarded rollout: the promote dialog then says to start one.
import { getEnvironmentRow } from "../lib/release/environments";
import { loadResolved } from "../lib/runtime/load";
import { expect, expectNoSeriousA11yViolations, hydrated, screenshot, seedPrompt, signIn, test } from "./fixtures";
import { rolloutFormOpen, rolloutTraffic, startShortRollout, tickRollouts } from "./rollout-fixtures";

const name = "support-reply";

test("a product manager's guarded rollout rolls back on a regression; a harmless one reaches 100 %", async ({
  page,
  seeded,
}) => {
  const card = await rolloutFormOpen(page, seeded, ["Thanks for asking:", "Slow answer to", "Quick answer to"]);
  await card.getByLabel("Reason (optional, kept in the decision log)").fill("Longer, friendlier answers");
  await card.getByRole("button", { name: "Start rollout", exact: true }).click();
  const first = card.getByRole("article", { name: "Version 2 → production" });
  await expect(first.getByTestId("rollout-share")).toContainText("5 % of subjects on version 2");
  await expectNoSeriousA11yViolations(page);

  // Version 2 answers twice as slowly: the guardrail says so long before the step's hour is up.
  await rolloutTraffic(seeded, name, { tag: "slow", n: 2000, latency: (v, k) => (v === 2 ? 2400 : 1200) + (k % 50) });
  await tickRollouts();
  await page.reload();
  await hydrated(page);
  const ended = card.getByTestId("ended-rollouts");
  await expect(ended).toContainText("Version 2 → production");
  await expect(ended).toContainText(/rolled back/i);
  await expect(ended).toContainText(
    /latency_ms is significantly worse on the new version at step 1 of \d \(5 %\): [\d.]+% higher/,
  );
  await expect(card.getByRole("article", { name: "Version 2 → production" })).toHaveCount(0);
  await page.goto(`/${seeded.slug}/alerts`);
  await expect(page.getByText("Guarded rollout rolled back: a guardrail regressed")).toBeVisible();

  // Version 3, with short steps: advanced once by hand, then completed by the job on harmless traffic.
  await page.goto(`/${seeded.slug}/prompts/${name}`);
  await hydrated(page);
  await card.getByRole("button", { name: "Start guarded rollout…" }).click();
  await card.getByLabel("Rollout environment").selectOption("production");
  await card.getByLabel("Version to roll out").selectOption("3");
  const second = await startShortRollout(card, 3);
  await second.getByRole("button", { name: "Advance now…" }).click();
  const advance = second.getByRole("button", { name: "Advance to 25 %" });
  await expect(advance).toBeDisabled();
  await second.getByLabel("Reason (kept in the decision log)").fill("Support checked the first answers");
  await advance.click();
  await expect(second.getByTestId("rollout-share")).toContainText("25 % of subjects on version 3");
  await expect(second.getByTestId("rollout-decision").first()).toContainText("Support checked the first answers");

  for (const round of ["even-1", "even-2"]) {
    await rolloutTraffic(seeded, name, { tag: round, n: 400, latency: (_v, k) => 1200 + (k % 50) });
    await tickRollouts();
  }
  await page.reload();
  await hydrated(page);
  await expect(card.getByTestId("ended-rollouts")).toContainText("Version 3 → production");
  await expect(card.getByTestId("ended-rollouts")).toContainText(/completed/i);
  const served = await loadResolved(seeded.database.db, seeded.projectId, name, "production");
  expect([served.version, served.experiment]).toEqual([3, null]);
});

test("an admin makes every production release a guarded rollout; the promote dialog says to start one", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    name,
    [
      { type: "text", template: "Hello v1" },
      { type: "text", template: "Hello v2" },
    ],
    { live: ["production"] },
  );
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings#environments`);
  const production = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("group", { name: "Rules for production" }) });
  await production.getByLabel("Every release is a guarded rollout").check();
  await production.getByLabel("Steps (%)").fill("10, 100");
  await production.getByLabel("Steps (%)").press("Tab");
  await production.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("Saved the rules of production.")).toBeVisible();
  const env = await getEnvironmentRow(seeded.database.db, seeded.projectId, "production");
  expect(env.guardedRollout).toEqual({
    steps: [
      { percent: 10, minMinutes: 60, minSubjects: 100 },
      { percent: 100, minMinutes: 0, minSubjects: 0 },
    ],
  });

  await page.goto(`/${seeded.slug}/prompts/${name}`);
  await hydrated(page);
  await page.getByTestId("env-production").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to production" });
  await dialog.getByLabel("Version", { exact: true }).selectOption("2");
  await expect(dialog).toContainText("Every release to production is a guarded rollout: version 2 ramps by steps");
  await expect(dialog.getByRole("link", { name: "Start a guarded rollout" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Promote version 2 to production" })).toBeDisabled();
  await screenshot(page, "rollout-rule-promote");

  // The rollout's form starts from production's own steps, and the rollout ramps by them.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const card = page.locator("#rollouts");
  await card.getByRole("button", { name: "Start guarded rollout…" }).click();
  await card.getByLabel("Rollout environment").selectOption("production");
  await expect(card.getByRole("list", { name: "Steps of the rollout" }).getByRole("listitem")).toHaveCount(2);
  await card.getByRole("button", { name: "Start rollout", exact: true }).click();
  const started = card.getByRole("article", { name: "Version 2 → production" });
  await expect(started.getByTestId("rollout-share")).toContainText("10 % of subjects on version 2");
});
