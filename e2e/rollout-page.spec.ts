// Rollouts are rollouts (docs/decisions/rollout-decisions.md), as a product manager (an approver) sees them: a guarded
// rollout started on the prompt page ramps 5 → 25 → 50 → 100 % on traffic that does no harm and completes; its page,
// under Rollouts in the navigation, shows no traffic-split alarm for its own ramp (the old page said "Traffic split
// mismatch … Fix it before reading any result"), what each decision read, and rollout controls only; the Experiments
// list never shows it, and its old experiment address leads to its rollout page.
import { loadResolved } from "../lib/runtime/load";
import { checkedScreenshot, expect, expectNoSeriousA11yViolations, hydrated, test } from "./fixtures";
import { rolloutFormOpen, rolloutTraffic, startShortRollout, tickRollouts } from "./rollout-fixtures";

const name = "support-reply";

test("a guarded rollout ramped to completion is a rollout: no split alarm, not an experiment", async ({
  page,
  seeded,
}) => {
  const card = await rolloutFormOpen(page, seeded, ["Thanks for asking:", "Quick answer to"]);
  const panel = await startShortRollout(card, 2);
  await panel.getByRole("link", { name: /Open the rollout’s page/ }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/rollouts/[0-9a-f-]{36}$`));
  const rolloutUrl = page.url();
  const id = rolloutUrl.split("/").at(-1)!;
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rollouts" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // No traffic yet: the job waits, and the page says why and when it looked.
  await tickRollouts();
  await page.reload();
  await expect(page.getByTestId("rollout-waiting")).toContainText(
    "Waiting: step 1 of 4 (5 %) has 0 of its 20 subjects on the new version",
  );

  // Each round of harmless traffic lets the job take a step: 5 → 25 → 50 → complete (test servers run no scheduled
  // job: tickRollouts is the only run). Some subjects come back at later steps. The first round is large enough
  // that its 5 % gives the new version the 25 subjects a guardrail needs: 1,000 subjects give 50 (fewer than 25
  // about once in 9,000 runs); 700 gave 35, fewer than 25 about once in 30 runs, when the job waited and every later
  // step came one round late (seen: the rollout still at step 3 of 4 after the last round, 140 subjects on it).
  for (const [from, n] of [
    [0, 1000],
    [800, 400],
    [1100, 400],
  ] as const) {
    await rolloutTraffic(seeded, name, {
      tag: "round",
      from,
      n,
      latency: (_v, k) => 1200 + (k % 50),
      phaseInIds: true,
    });
    await tickRollouts();
  }
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("rollout-share")).toContainText("Completed: production serves version 2 to everyone.");
  const log = page.getByTestId("rollout-decision");
  await expect(log).toHaveCount(4); // start, two advances, complete
  await expect(log.first()).toContainText(/completed.*Read at .*latency_ms .* from live \d/s);
  await expect(log.nth(2)).toContainText("advanced");
  const served = await loadResolved(seeded.database.db, seeded.projectId, name, "production");
  expect([served.version, served.experiment]).toEqual([2, null]);

  // Its own ramp is no mismatch: every subject against the share of the step it arrived at.
  await expect(page.getByTestId("srm-warning")).toHaveCount(0);
  await expect(page.getByText(/Traffic split mismatch \(SRM\)|Fix it before reading/)).toHaveCount(0);
  await expect(page.getByTestId("srm-ok")).toContainText("No traffic split mismatch");
  await expect(page.getByTestId("srm-step")).toHaveCount(3);
  // Rollout controls only, and none once it ended: no "Change weights…", no "Stop and decide…".
  await expect(page.getByRole("button", { name: /Change weights|Stop and decide/ })).toHaveCount(0);
  await checkedScreenshot(page, "rollout-page-completed");

  // Listed under Rollouts as completed.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rollouts" }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/rollouts$`));
  const row = page.getByTestId("rollout-row").filter({ hasText: `Version 2 of ${name}` });
  await expect(row).toHaveAttribute("data-status", "completed");
  await page.getByRole("link", { name: "Completed", exact: true }).click();
  await expect(page.getByTestId("rollout-row")).toHaveCount(1);
  await page.getByRole("link", { name: "Rolled back", exact: true }).click();
  await expect(page.getByText("No rollouts match")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Never among the experiments; its experiment address leads to its rollout page.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experiments" }).click();
  await expect(page.getByText("No experiments yet")).toBeVisible();
  await expect(page.getByText(/Guarded rollout of version 2/)).toHaveCount(0);
  await page.goto(`/${seeded.slug}/experiments/${id}`);
  await expect(page).toHaveURL(rolloutUrl);
});
