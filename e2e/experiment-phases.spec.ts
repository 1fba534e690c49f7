// Weights over time: a bandit's reweights with the chance each arm is best, and a fixed-horizon test that
// waits for its planned sample and is reweighted in the UI (a new phase counts its own subjects).
import { ingestEvents } from "../lib/ingest/ingest";
import { setExperimentWeights } from "../lib/experiments/lifecycle";
import { halves, servedSubjects, startedExperiment, v1, v2 } from "./experiment-fixtures";
import { checkedScreenshot, expect, screenshot, seedPrompt, signIn, systemCtx, test } from "./fixtures";

test("a bandit's weights over time; a fixed-horizon test that waits for its sample, reweighted in the UI", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2, { ...v1, template: "Answer briefly: {{question}}" }], {
    live: ["staging", "production"],
  });
  const bandit = await startedExperiment(seeded, {
    prompt: "support",
    environment: "staging",
    name: "Three styles",
    variants: [
      { key: "control", version: 1, weight: 1 / 3 },
      { key: "b", version: 2, weight: 1 / 3 },
      { key: "c", version: 3, weight: 1 / 3 },
    ],
    mode: "bandit",
    bandit: { algorithm: "thompson", floor: 0.05, burnIn: 100 },
    primaryMetric: { name: "completed", kind: "binary" },
  });
  // What the reweighting job does (lib/experiments/bandit-job.ts), with the chance each arm is best.
  await setExperimentWeights(
    systemCtx(seeded),
    bandit.id,
    { weights: { control: 0.2, b: 0.5, c: 0.3 }, reason: "bandit reweight" },
    [0.1, 0.6, 0.3],
  );
  await setExperimentWeights(
    systemCtx(seeded),
    bandit.id,
    { weights: { control: 0.1, b: 0.75, c: 0.15 }, reason: "bandit reweight" },
    [0.02, 0.9, 0.08],
  );

  const fixed = await startedExperiment(seeded, {
    prompt: "support",
    environment: "production",
    name: "Briefer answers",
    variants: halves("brief", 3),
    mode: "fixed",
    baseline: { rate: 0.3 },
    minDetectableEffect: 0.5,
  });
  const events = (await servedSubjects(seeded, fixed.id, 30)).map(([subject, variant], i) => ({
    id: `fx-${i}`,
    type: "feedback",
    prompt: "support",
    version: variant === "brief" ? 3 : 1,
    environment: "production",
    subject,
    experimentId: fixed.id,
    variant,
    value: i % 3 === 0 ? 1 : 0,
  }));
  await ingestEvents(seeded.database.db, seeded.projectId, { events });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${bandit.id}`);
  const weights = page.getByRole("region", { name: "Bandit weights over time" });
  await expect(weights.getByRole("table", { name: "Weights per phase" }).locator("tbody tr")).toHaveCount(3);
  await expect(weights).toContainText("best: 90%");
  await expect(page.getByRole("button", { name: "Change weights…" })).toHaveAccessibleDescription(
    /A bandit sets its own weights/,
  );
  await checkedScreenshot(page, "experiment-bandit");

  await page.goto(`/${seeded.slug}/experiments/${fixed.id}`);
  await expect(page.getByTestId("headline")).toHaveText("Not enough data yet.");
  await expect(page.getByTestId("verdict")).toContainText(
    "Not enough data yet: 30 of 160 planned subjects per variant (130 more needed per variant before a result can be called).",
  );
  await page.getByRole("button", { name: "Change weights…" }).click();
  const dialog = page.getByRole("dialog", { name: "Change the weights of “Briefer answers”" });
  await dialog.getByLabel("control (version 1, control), %").fill("70");
  await expect(dialog).toContainText("The weights add up to 120%");
  await dialog.getByLabel("brief (version 3), %").fill("30");
  await dialog.getByRole("button", { name: "Start a new phase with these weights" }).click();
  await expect(page.getByRole("region", { name: "Traffic split over time" })).toContainText("70%");
  await expect(page.getByTestId("arm-brief")).toContainText("30%");
  // A new phase counts its own subjects: the 60 of phase 1 are not mixed in.
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");
  await screenshot(page, "experiment-fixed-reweighted");
});
