// CUPED on the experiment page: users with history of the metric before the experiment get it as their
// covariate, and the variants table shows the adjusted lift with its interval and the variance reduction
// under the unadjusted one; on an experiment made here, and on the demo's, whose seeded users have history.
import { ingestEvents } from "../lib/ingest/ingest";
import { assign } from "../lib/experiments/assign";
import { demoExperimentUsers } from "../lib/setup/demo-experiment";
import { generators } from "../lib/stats/random";
import { expect, screenshot, seedPrompt, signIn, test } from "./fixtures";
import { demoExperiment, halves, startedExperiment, v1, v2 } from "./experiment-fixtures";

const DAY = 86_400_000;

test("an experiment whose users have history shows the CUPED-adjusted lift and the variance it removed", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2], { live: ["staging"] });

  // Each user has a persistent level; their quality score is that level plus noise, before and during the
  // experiment, so their own history predicts their result. 60 of the 80 have three scores 2–4 days ago.
  const g = generators("e2e-cuped");
  const level = Array.from({ length: 80 }, () => g.normal(50, 10));
  const score = (s: number) => level[s]! + g.normal(0, 5);
  const now = Date.now();
  const history = Array.from({ length: 60 }, (_, s) =>
    [2, 3, 4].map((d) => ({
      id: `pre-${s}-${d}`,
      type: "metric",
      name: "quality",
      prompt: "support",
      version: 1,
      environment: "staging",
      subject: `user-${s}`,
      value: score(s),
      at: new Date(now - d * DAY).toISOString(),
    })),
  ).flat();
  await ingestEvents(seeded.database.db, seeded.projectId, { events: history });

  const e = await startedExperiment(seeded, {
    prompt: "support",
    environment: "staging",
    name: "Two sentences",
    variants: halves("b"),
    primaryMetric: { name: "quality", kind: "continuous", goal: "increase" },
  });

  // During the experiment: the variant scores 3 points higher on the same levels.
  const split = {
    seed: e.seed,
    coverage: 1,
    variants: [
      { key: "control", weight: 0.5 },
      { key: "b", weight: 0.5 },
    ],
  };
  const during = Array.from({ length: 80 }, (_, s) => {
    const variant = assign(split, `user-${s}`)!.key;
    const common = {
      prompt: "support",
      version: variant === "b" ? 2 : 1,
      environment: "staging",
      subject: `user-${s}`,
      experimentId: e.id,
      variant,
    };
    return [
      { ...common, id: `exp-${s}`, type: "exposure" },
      { ...common, id: `post-${s}`, type: "metric", name: "quality", value: score(s) + (variant === "b" ? 3 : 0) },
    ];
  }).flat();
  await ingestEvents(seeded.database.db, seeded.projectId, { events: during });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${e.id}`);
  const adjusted = page.getByTestId("arm-b").getByTestId("cuped");
  await expect(adjusted).toBeVisible();
  // Most of the noise gone (ρ² ≈ 0.74 here), the unadjusted lift beside it; one p-value, the deciding one, named.
  await expect(adjusted).toHaveText(/^CUPED: variance reduced by \d+ % · unadjusted [+−]?\d+(\.\d+)?% \(.+ to .+\)$/);
  await expect(
    page
      .getByTestId("arm-b")
      .getByRole("cell")
      .filter({ hasText: /CUPED$/ }),
  ).toHaveCount(1);
  const reduced = Number((await adjusted.textContent())!.match(/variance reduced by (\d+) %/)![1]);
  expect(reduced).toBeGreaterThan(40);
  expect(reduced).toBeLessThan(100);
  await expect(adjusted).toHaveAttribute(
    "title",
    /For the 60 of 80 subjects .* in the 14 days before their first exposure/,
  );
  await screenshot(page, "experiment-cuped");
});

test("the demo's experiment shows CUPED-adjusted results from its seeded users' history, from the first visit", async ({
  page,
  seeded,
}) => {
  test.setTimeout(180_000);
  const e = await demoExperiment(seeded);

  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/experiments/${e.id}`);
  const adjusted = page.getByTestId("arm-concise").getByTestId("cuped");
  await expect(adjusted).toHaveText(/^CUPED: variance reduced by \d+ % · unadjusted [+−]?\d+(\.\d+)?% \(.+ to .+\)$/);
  const reduced = Number((await adjusted.textContent())!.match(/variance reduced by (\d+) %/)![1]);
  expect(reduced).toBeGreaterThan(5);
  expect(reduced).toBeLessThan(100);
  // Every user who gave a thumbs up or down has four from the ten days before the experiment started.
  const title = (await adjusted.getAttribute("title"))!;
  const [, withHistory, subjects] = title.match(/For the (\d+) of (\d+) subjects .* in the 14 days before/)!;
  expect(Number(withHistory)).toBe(Number(subjects));
  expect(Number(subjects)).toBeGreaterThan(demoExperimentUsers / 2);
  // Every interval on the page, the guardrails' included, stays above −100%, and no Bayesian "chance to beat"
  // sits beside the sequential verdict.
  await expect(page.locator("main")).toContainText("Guardrails");
  const main = await page.locator("main").innerText();
  expect(main).not.toMatch(/chance to beat/i);
  const lows = [...main.matchAll(/([−-]?\d+(?:\.\d+)?)% to [+−-]?\d/g)].map((m) => Number(m[1]!.replace("−", "-")));
  expect(lows.length).toBeGreaterThan(2);
  for (const low of lows) expect(low).toBeGreaterThan(-100);
  await screenshot(page, "demo-experiment-cuped");
});
