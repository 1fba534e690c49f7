// Judges checked on an evaluation run's outputs, and the decisions that rely on a judge saying how far
// people trust it: an editor labels a run's outputs with the keyboard, the run page shows the judge's
// labels, the release plan's gate step names the judge and warns (too few labels), and the online page
// warns that an automatic rollback relies on an unchecked judge. The judge scores through a local
// OpenAI-compatible server, as in production.
import { putOnlineEvaluation } from "../lib/evaluation/online/rules";
import { recordRun } from "../lib/evaluation/runs/record-run";
import { createModelCaller } from "../lib/llm/model-caller";
import { updateEnvironment } from "../lib/release/environments";
import { createScorerModels } from "../lib/scorers";
import { checkedScreenshot, expect, screenshot, seedPrompt, signIn, systemCtx, test } from "./fixtures";
import { seedDataset } from "./dataset-fixtures";
import { startModelServer } from "./model-server";

const judge = { type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" };

test("an editor labels a run's outputs; the gate and the rollback say how far the judge is trusted", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  const ctx = systemCtx(seeded);
  await seedPrompt(seeded, "graded-reply", [
    { type: "text", template: "Reply to {{customer}}.", variables: [{ name: "customer" }] },
  ]);
  const customers = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima"];
  const ds = await seedDataset(
    seeded,
    { name: "graded tickets", prompt: "graded-reply" },
    customers.map((customer) => ({ input: { customer }, expected: `A warm reply to ${customer}` })),
    { source: "test" },
  );
  const server = await startModelServer({
    rules: [
      { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
      { json: { reasoning: "Curt.", score: 2 } },
    ],
  });
  let runId = "";
  try {
    const caller = createModelCaller({
      id: "d",
      name: "Local",
      provider: "openai-compatible",
      baseUrl: server.baseUrl,
    });
    const run = await recordRun(
      ctx,
      { prompt: "graded-reply", version: 1, dataset: ds.id, scorers: [judge] },
      ({ input, position }) => ({
        text:
          position % 2
            ? `Refund sent, ${String(input.customer)}.`
            : `Thank you for waiting, ${String(input.customer)}.`,
      }),
      { models: createScorerModels(() => caller) },
    );
    runId = run.id;
  } finally {
    server.stop();
  }
  await updateEnvironment(ctx, "staging", {
    evaluationGate: { dataset: ds.id, minScore: 0.5, maxDrop: 1, scorers: [judge] },
  });
  await putOnlineEvaluation(ctx, "graded-reply", {
    environment: "staging",
    sampleRate: 1,
    scorers: [judge],
    signals: [],
    window: 100,
    minSamples: 10,
    rollback: { enabled: true, maxDrop: 0.2, cooldownMinutes: 60 },
  });

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/evaluations/${runId}`);
  const agreement = page.locator("#agreement");
  await expect(agreement.getByTestId("agreement-warning")).toHaveText(/Only 0 labels/);
  await agreement.getByRole("link", { name: "Label outputs" }).click();
  await expect(page.getByRole("heading", { name: "Label outputs" })).toBeVisible();
  await expect(page.locator("#rubric-polite")).toContainText("Is the reply polite and personal?");
  await expect(page.getByTestId("label-counts")).toHaveText("You labelled 0 of this run's 6 outputs; everyone 0.");
  await expect(page.getByTestId("expected")).toContainText("A warm reply to Ana");
  await checkedScreenshot(page, "annotate-run");
  // The editor finds every reply fine, the curt ones too: they disagree with the judge on three.
  for (let i = 0; i < 6; i++) {
    await expect(page.getByTestId("label-counts")).toContainText(`You labelled ${i} of this run's 6 outputs`);
    await page.keyboard.press("p");
  }
  await expect(page.getByTestId("nothing-left")).toHaveText(
    "Nothing left to label: you have labelled every output of this run.",
  );
  await page.getByRole("link", { name: "Evaluation run · graded-reply v1" }).click();
  await expect(page.getByTestId("agreement-polite")).toContainText("6 labels");
  await expect(agreement.getByTestId("agreement-warning")).toHaveText(/Only 6 labels/);

  // The release plan's gate step names the judge and where it runs (the run, the online rule below),
  // and warns: six labels are too few to trust it.
  await page.goto(`/${seeded.slug}/prompts/graded-reply`);
  const step = page.getByTestId("release-plan-staging").locator('[data-step="evaluation"]');
  await expect(step.getByTestId("gate-judges")).toHaveText(
    "⚠ LLM judge polite is not checked well enough against people on its online outputs in staging and its outputs in 1 evaluation run: only 6 labels: at least 30 are needed before the agreement means much.",
  );
  await screenshot(page, "gate-judges");

  // The online rule may roll back on the same judge's scores: the page says nobody has checked it there.
  await page.goto(`/${seeded.slug}/online/graded-reply?environment=staging`);
  const notice = page.getByTestId("rollback-judges");
  await expect(notice).toContainText("Automatic rollback relies on a judge people have not confirmed");
  await expect(notice).toContainText("LLM judge polite is not checked well enough against people: only 0 labels");
  await checkedScreenshot(page, "rollback-judges");
});
