// A bundle's guarded rollout in the browser (docs/decisions/bundles.md), as a product manager (an approver) does it on
// the bundle page: start one of two members in staging with steps 10 and 100 from the release form, see it at
// 10 % naming both members, pause it with a reason, resume, advance (which completes it: both members serve
// the new versions and the bundle's history shows the release); then roll a second one back with a reason,
// and both members serve what they served before.
import { createBundle } from "../lib/release/bundles/bundles";
import { loadResolved } from "../lib/runtime/load";
import {
  checkedScreenshot,
  expect,
  hydrated,
  screenshot,
  seedPrompt,
  signIn,
  systemCtx,
  test,
  type Seeded,
} from "./fixtures";

const members = ["crew/plan", "crew/act"];
const text = (template: string) => ({ type: "text", template });

/** What staging serves each member now, as the runtime resolves it (no rollout splitting its traffic). */
async function served(seeded: Seeded) {
  const out: [number, string | null][] = [];
  for (const m of members) {
    const r = await loadResolved(seeded.database.db, seeded.projectId, m, "staging");
    out.push([r.version, r.experiment ? "split" : null]);
  }
  return out;
}

test("a bundle's guarded rollout is paused, resumed and completed from its page; another is rolled back", async ({
  page,
  seeded,
}) => {
  for (const name of members) {
    await seedPrompt(seeded, name, [text(`${name} one`), text(`${name} two`), text(`${name} three`)], {
      live: ["staging"],
    });
  }
  await createBundle(systemCtx(seeded), { name: "crew", prompts: members });

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/bundles/crew`);
  await hydrated(page);
  const release = page.locator("#release");
  const card = page.locator("#rollouts");
  await expect(card.getByTestId("no-bundle-rollout")).toBeVisible();

  // The versions chosen in the release form, rolled out by steps of 10 and 100 %.
  await release.getByLabel("Environment", { exact: true }).selectOption("staging");
  await release.getByLabel("crew/plan version").selectOption("2");
  await release.getByLabel("crew/act version").selectOption("2");
  await release.getByRole("button", { name: "Start a guarded rollout…" }).click();
  await expect(release.getByTestId("bundle-rollout-changes")).toContainText("crew/plan v1 → v2");
  await expect(release.getByTestId("bundle-rollout-changes")).toContainText("crew/act v1 → v2");
  const steps = release.getByRole("list", { name: "Steps of the rollout" }).getByRole("listitem");
  await expect(steps).toHaveCount(4); // staging has no rule of its own: 5, 25, 50, 100
  await release.getByRole("button", { name: "Remove step 2" }).click();
  await release.getByRole("button", { name: "Remove step 2" }).click();
  await expect(steps).toHaveCount(2);
  await release.getByLabel("Step 1 Share (%)").fill("10");
  await expect(release.getByLabel("Step 2 Share (%)")).toHaveValue("100");
  await release.getByLabel("Rollout reason (optional, kept in the decision log)").fill("plan and act share new tools");
  await release.getByRole("button", { name: "Start rollout", exact: true }).click();

  const running = card.getByRole("article", { name: "Bundle crew → staging" });
  await expect(running.getByTestId("rollout-share")).toContainText("10 % of subjects on the new versions");
  await expect(running.getByTestId("rollout-share")).toContainText("(step 1 of 2)");
  const changed = running.getByTestId("bundle-rollout-members");
  await expect(changed.getByRole("listitem")).toHaveCount(2);
  await expect(changed).toContainText("crew/plan v1 → v2");
  await expect(changed).toContainText("crew/act v1 → v2");
  await expect(running.getByTestId("rollout-decision").first()).toContainText("plan and act share new tools");
  expect((await served(seeded)).map(([, split]) => split)).toEqual(["split", "split"]);
  // One rollout per environment: the form says so instead of starting another.
  await expect(release.getByRole("button", { name: "Start a guarded rollout…" })).toHaveAttribute(
    "aria-disabled",
    "true",
  );
  await checkedScreenshot(page, "bundle-rollout-running");

  // Pause, with a reason the decision log keeps with who gave it.
  await running.getByRole("button", { name: "Pause…" }).click();
  const pause = running.getByRole("button", { name: "Pause at 10 %" });
  await expect(pause).toHaveAttribute("aria-disabled", "true"); // no reason yet
  await running.getByLabel("Reason (kept in the decision log)").fill("checking a support ticket first");
  await pause.click();
  await expect(running.getByTestId("rollout-share")).toContainText("Paused");
  const latest = running.getByTestId("rollout-decision").first();
  await expect(latest).toContainText("paused");
  await expect(latest).toContainText("checking a support ticket first");
  await expect(latest).toContainText(seeded.users.approver.email);

  await running.getByRole("button", { name: "Resume…" }).click();
  await running.getByLabel("Reason (kept in the decision log)").fill("the ticket was unrelated");
  await running.getByRole("button", { name: "Resume at 10 %" }).click();
  await expect(running.getByTestId("rollout-decision").first()).toContainText("the ticket was unrelated");
  await expect(running.getByTestId("rollout-share")).not.toContainText("Paused");

  // Advancing from the step before 100 % completes it: one bundle release of both new versions.
  await running.getByRole("button", { name: "Advance now…" }).click();
  await running.getByLabel("Reason (kept in the decision log)").fill("support is happy with both");
  await running.getByRole("button", { name: "Complete: the new versions for everyone" }).click();
  await expect(card.getByRole("article", { name: "Bundle crew → staging" })).toHaveCount(0);
  const ended = card.getByTestId("ended-bundle-rollouts").getByRole("listitem");
  await expect(ended).toHaveCount(1);
  await expect(ended.first()).toHaveAttribute("data-status", "completed");
  await expect(ended.first()).toContainText("Completed");
  await expect(ended.first()).toContainText("crew/plan v1 → v2");
  const staging = (member: string) => page.locator(`[data-member="${member}"] [data-env="staging"]`);
  await expect(staging("crew/plan")).toHaveText("v2");
  await expect(staging("crew/act")).toHaveText("v2");
  const history = page.getByTestId("bundle-history-staging").locator("[data-release]");
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText(/^Released/);
  await expect(history.first()).toContainText("crew/plan v2");
  await expect(history.first()).toContainText("crew/act v2");
  expect(await served(seeded)).toEqual([
    [2, null],
    [2, null],
  ]);
  await screenshot(page, "bundle-rollout-completed");

  // A second rollout, of version 3 of both, rolled back with a reason: both serve version 2 again.
  await release.getByLabel("Environment", { exact: true }).selectOption("staging");
  await release.getByLabel("crew/plan version").selectOption("3");
  await release.getByLabel("crew/act version").selectOption("3");
  await release.getByRole("button", { name: "Start a guarded rollout…" }).click();
  await expect(release.getByTestId("bundle-rollout-changes")).toContainText("crew/act v2 → v3");
  await release.getByRole("button", { name: "Start rollout", exact: true }).click();
  const second = card.getByRole("article", { name: "Bundle crew → staging" });
  await expect(second.getByTestId("rollout-share")).toContainText(/\d+ % of subjects on the new versions/);
  await expect(second.getByTestId("bundle-rollout-members")).toContainText("crew/plan v2 → v3");
  await expect(second.getByTestId("bundle-rollout-members")).toContainText("crew/act v2 → v3");
  await second.getByRole("button", { name: "Roll back now…" }).click();
  await second.getByLabel("Reason (kept in the decision log)").fill("act loops on the new tools");
  await second.getByRole("button", { name: "Roll back to what staging served before" }).click();
  await expect(card.getByRole("article", { name: "Bundle crew → staging" })).toHaveCount(0);
  await expect(ended).toHaveCount(2);
  const rolledBack = card.getByTestId("ended-bundle-rollouts").locator('[data-status="rolled_back"]');
  await expect(rolledBack).toContainText("Rolled back");
  await expect(rolledBack).toContainText("crew/act v2 → v3");
  await expect(rolledBack).toContainText("act loops on the new tools");
  await expect(staging("crew/plan")).toHaveText("v2");
  await expect(staging("crew/act")).toHaveText("v2");
  await expect(history).toHaveCount(1);
  expect(await served(seeded)).toEqual([
    [2, null],
    [2, null],
  ]);
  // Rolled back stays rolled back: the release form's plans, read again, ask a person to confirm version 3.
  await expect(release.locator('[data-member-plan="crew/act"]')).toContainText(
    "A person confirms releasing a rolled-back version",
  );
  await screenshot(page, "bundle-rollout-rolled-back");
});
