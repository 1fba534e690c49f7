// A product manager adds a ratio metric (cost per thumbs-up) to an experiment in the form, by typing; a
// mistake comes back at its field; once users arrive the experiment page compares the ratio per variant.
import { ingestEvents } from "../lib/ingest/ingest";
import { assign } from "../lib/experiments/assign";
import { getExperiment } from "../lib/experiments/store";
import { checkedScreenshot, expect, expectNoSeriousA11yViolations, seedPrompt, signIn, test } from "./fixtures";
import { saveAndStart, v1, v2 } from "./experiment-fixtures";

test("a ratio metric is defined in the form, refused at its field when wrong, and compared per variant", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2], { live: ["staging"] });
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/experiments/new?prompt=support`);

  const form = page.getByRole("form", { name: "New experiment" });
  await form.getByLabel("Environment").selectOption("staging");
  await form.getByLabel("Name", { exact: true }).fill("Cheaper answers");
  await form.getByRole("button", { name: "Add ratio metric" }).click();
  const row = page.getByTestId("ratio-row-0");
  await row.getByLabel("Name").pressSequentially("cost_per_thumbs_up");
  await row.getByLabel("Numerator (Σ)").pressSequentially("cost_usd");
  // Cost is a metric where lower is better, so the ratio's goal follows it.
  await expect(row.getByLabel("Better when")).toHaveValue("decrease");
  await row.getByLabel("Denominator (Σ)").pressSequentially("cost_usd");
  await form.getByRole("button", { name: "Save as draft" }).click();
  await expect(row.getByLabel("Denominator (Σ)")).toHaveAccessibleDescription(
    /A ratio's numerator and denominator must be different metrics/,
  );
  await expectNoSeriousA11yViolations(page);
  await row.getByLabel("Denominator (Σ)").fill("");
  await row.getByLabel("Denominator (Σ)").pressSequentially("thumbs");

  await saveAndStart(page, form, "Cheaper answers", "cost_per_thumbs_up = Σ cost_usd ÷ Σ thumbs");
  const id = page.url().split("/").pop()!;

  // 100 users in each variant: the variant costs the same per answer but gets thumbs up 80% of the time
  // against 40%. Users are taken in order until each variant has its 100, and each user's answer depends on
  // their place in their variant, not on the experiment's random seed: every run shows the same numbers.
  const variants = [
    { key: "control", weight: 0.5 },
    { key: "b", weight: 0.5 },
  ];
  const { seed } = await getExperiment(seeded.database.db, seeded.projectId, id);
  const events: Record<string, unknown>[] = [];
  const inVariant = { control: 0, b: 0 };
  for (let n = 0; inVariant.control < 100 || inVariant.b < 100; n++) {
    const subject = `user-${n}`;
    const variant = assign({ seed, coverage: 1, variants }, subject)!.key as keyof typeof inVariant;
    if (inVariant[variant] === 100) continue;
    const i = inVariant[variant]++;
    const common = {
      prompt: "support",
      version: variant === "b" ? 2 : 1,
      environment: "staging",
      subject,
      experimentId: id,
      variant,
    };
    const up = variant === "b" ? i % 10 < 8 : i % 10 < 4;
    events.push({ ...common, id: `g-${n}`, type: "generation", latencyMs: 500, costUsd: 0.0004 + (i % 3) * 0.0001 });
    events.push({ ...common, id: `f-${n}`, type: "feedback", value: up ? 1 : 0 });
  }
  await ingestEvents(seeded.database.db, seeded.projectId, { events }, new Date());

  await page.reload();
  const ratios = page.getByRole("region", { name: "Ratio metrics" });
  const b = ratios.getByTestId("ratio-b-cost_per_thumbs_up");
  await expect(b).toContainText("Σ cost_usd ÷ Σ thumbs, lower is better");
  // About half the cost per thumbs-up, and a clear reading.
  await expect(b).toContainText("better");
  await expect(b).toContainText(/−\d+\.\d% \(−\d+\.\d% to −\d+\.\d%\)/);
  await expect(b).toContainText(/\d+ subjects/);
  await checkedScreenshot(page, "experiment-ratio-metrics");
});
