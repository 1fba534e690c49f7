// Optimizing a version through the UI against the local model server (test/llm-server.ts, the
// project's default connection): the prompt page's Optimize leads to a small form (dataset, budget);
// the optimization page follows the job to its held-out comparison and links to the draft, which is
// merged as a version and sent to review from its release plan. The scripted model plays the version
// ("Answer: …" answers badly, "Good: …" well) and the optimizer's reflection.
import { createDataset, importItems } from "../lib/evaluation/datasets";
import { expect, expectNoSeriousA11yViolations, screenshot, seedPrompt, signIn, systemCtx, test } from "./fixtures";
import { startModelServer, type ModelServer } from "./model-server";

let llm: ModelServer | undefined;

test.beforeAll(async () => {
  llm = await startModelServer(
    {
      rules: [
        { match: "New Value", text: "newValue: Good: {{question}}" },
        { match: "Feedback Summary", text: "feedbackSummary: Answers must say good answer." },
        { match: "Good:", text: "good answer" },
      ],
      default: { text: "bad answer" },
    },
    { defaultConnection: true },
  );
});
test.afterAll(() => {
  llm?.stop();
});

test("an optimization ends in a draft with its held-out comparison, which is merged and sent to review", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "answers", [
    {
      type: "text",
      template: "Answer: {{question}}",
      variables: [{ name: "question", type: "string", required: true }],
      config: { model: "scripted-model", maxTokens: 10 },
    },
  ]);
  const ds = await createDataset(systemCtx(seeded), { name: "answers-set", prompt: "answers", description: "" });
  const rows = Array.from({ length: 18 }, (_, i) => `q${i},good answer`);
  await importItems(systemCtx(seeded), ds.id, "csv", `question,expected\n${rows.join("\n")}\n`);
  await signIn(page, seeded.users.editor);

  await page.goto(`/${seeded.slug}/prompts/answers`);
  await page.getByRole("link", { name: "Optimize" }).click();
  await expect(page.getByRole("heading", { name: "Optimize answers v1" })).toBeVisible();
  const form = page.getByRole("form", { name: "Start an optimization" });
  await form.getByLabel("Budget: model calls").fill("3");
  await form.getByLabel("Scorers (JSON, optional)").fill('[{"type": "exact_match"}]');
  await form.getByRole("button", { name: "Start optimization" }).click();
  // Too small a budget is refused, naming the field, before anything starts.
  await expect(form.getByText(/A budget of 3 calls cannot cover .*; give budget\.calls at least \d+\./)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await form.getByLabel("Budget: model calls").fill("200");
  await form.getByRole("button", { name: "Start optimization" }).click();

  await expect(page).toHaveURL(/\/optimizations\/[0-9a-f-]{36}/);
  await expect(page.getByTestId("optimization-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("optimization-verdict")).toContainText("The optimized draft is better than version 1");
  await expect(page.getByRole("table", { name: "Held-out comparison" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Candidates" })).toContainText("Good: {{question}}");
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "optimization-comparison");

  // The draft: merged as version 2, which then goes to review like any other version.
  await page.getByRole("link", { name: "Open the draft" }).click();
  await expect(page.getByRole("heading", { name: /Draft “Optimized v1/ })).toBeVisible();
  await page.getByRole("button", { name: "Merge as new version" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/answers`));
  await page.goto(`/${seeded.slug}/prompts/answers?show=2`);
  await page.getByTestId("env-production").getByRole("button", { name: "Request review…" }).click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await request.getByLabel("Message to the reviewer").fill("Optimized on answers-set");
  await request.getByRole("button", { name: /Request review/ }).click();
  await expect(page.getByTestId("pending-review")).toContainText("v2 for production");
});
