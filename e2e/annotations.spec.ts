// Judges checked against people: an editor labels 30 live outputs on the screen made for it, with real
// keystrokes (p for pass, f for fail), and the LLM judge's κ appears on the online page, with the outputs
// they disagree on. The judge scores through a local OpenAI-compatible server, as in production.
import { ingestEvents } from "../lib/ingest/ingest";
import { putOnlineEvaluation } from "../lib/evaluation/online/rules";
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { checkedScreenshot, expect, seedPrompt, signIn, systemCtx, test } from "./fixtures";
import { scorerModelsOn } from "../test/scorer-models";
import { startModelServer } from "./model-server";

test("an editor labels 30 outputs with the keyboard and the judge's κ appears", async ({ page, seeded }) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "judge-reply", [{ type: "text", template: "Reply warmly." }], { live: ["staging"] });
  await putOnlineEvaluation(systemCtx(seeded), "judge-reply", {
    environment: "staging",
    sampleRate: 1,
    scorers: [{ type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" }],
    signals: [],
    window: 100,
    minSamples: 10,
  });
  const events = Array.from({ length: 32 }, (_, i) => ({
    id: `e2e-annotate-${seeded.slug}-${i}`,
    type: "generation",
    prompt: "judge-reply",
    version: 1,
    environment: "staging",
    subject: `customer-${i}`,
    latencyMs: 200,
    input: { customer: "Ana" },
    output: i % 3 ? `Thank you for waiting, Ana. Your refund #${i} is on its way.` : `Refund #${i} sent.`,
  }));
  await ingestEvents(seeded.database.db, seeded.projectId, { events });
  const server = await startModelServer({
    rules: [
      { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
      { json: { reasoning: "Curt.", score: 2 } },
    ],
  });
  try {
    const models = scorerModelsOn(server);
    expect(await scorePendingSamples(seeded.database.db, () => models)).toMatchObject({ scored: 32 });
  } finally {
    server.stop();
  }

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/online/judge-reply?environment=staging`);
  const agreement = page.locator("#agreement");
  await expect(agreement.getByTestId("agreement-warning")).toHaveText(
    /Only 0 labels: at least 30 are needed before the agreement means much\./,
  );
  await agreement.getByRole("link", { name: "Label outputs" }).click();
  await expect(page.getByRole("heading", { name: "Label outputs" })).toBeVisible();
  await expect(page.locator("#rubric-polite")).toContainText("Is the reply polite and personal?");
  await checkedScreenshot(page, "annotate");

  // The person disagrees with the judge on three curt replies they find fine; otherwise thanks pass.
  let curtPassed = 0;
  for (let i = 0; i < 30; i++) {
    await expect(page.getByTestId("label-counts")).toContainText(`You labelled ${i} output`);
    const output = (await page.getByTestId("output").textContent()) ?? "";
    let key = output.startsWith("Thank") ? "p" : "f";
    if (key === "f" && curtPassed < 3) {
      key = "p";
      curtPassed++;
    }
    await page.keyboard.press(key);
  }
  await expect(page.getByTestId("label-counts")).toContainText("You labelled 30 outputs");

  await page.goto(`/${seeded.slug}/online/judge-reply?environment=staging`);
  const polite = page.getByTestId("agreement-polite");
  await expect(polite).toContainText("30 labels");
  await expect(polite.getByTestId("kappa")).toHaveText(/Cohen's κ 0\.\d\d \((moderate|substantial)\)/);
  await agreement.getByText(/^Where they disagree \(3\)/).click();
  await expect(polite.getByRole("listitem")).toHaveCount(3);
  await checkedScreenshot(page, "annotate-agreement");
});
