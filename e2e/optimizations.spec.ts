// Optimizing a version through the UI against the local model server (test/llm-server.ts, the
// project's default connection): the prompt page's Optimize leads to a small form (dataset, budget);
// the optimization page follows the job to its held-out comparison and links to the draft, which is
// merged as a version and sent to review from its release plan. The scripted model plays the version
// ("Answer: …" answers badly, "Good: …" well) and the optimizer's reflection.
import { createDataset, importItems } from "../lib/evaluation/datasets";
import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  screenshot,
  seedPrompt,
  signIn,
  systemCtx,
  test,
} from "./fixtures";
import { modelServerForFile, questionVersion } from "./model-server";

const llm = modelServerForFile(
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

test("an optimization ends in a draft with its held-out comparison, which is merged and sent to review", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "answers", [questionVersion("Answer: {{question}}", { maxTokens: 10 })]);
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
  await checkedScreenshot(page, "optimization-comparison");

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

test("an optimization is cancelled from its page: the calls in flight are aborted and no draft is made", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "held", [questionVersion("Held: {{question}}", { maxTokens: 10 })]);
  const ds = await createDataset(systemCtx(seeded), { name: "held-set", prompt: "held" });
  const rows = Array.from({ length: 8 }, (_, i) => `q${i},good answer`);
  await importItems(systemCtx(seeded), ds.id, "csv", `question,expected\n${rows.join("\n")}\n`);
  // Every answer to this prompt is held by the model server until released: the optimization runs, with a
  // call in flight, for as long as the test needs.
  await fetch(`${llm().url}/__script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      rules: [{ match: "Held:", text: "bad answer", hold: true }],
      default: { text: "bad answer" },
    }),
  });
  try {
    await signIn(page, seeded.users.editor);
    await page.goto(`/${seeded.slug}/optimizations/new?prompt=held&version=1`);
    const form = page.getByRole("form", { name: "Start an optimization" });
    await form.getByLabel("Scorers (JSON, optional)").fill('[{"type": "exact_match"}]');
    await form.getByRole("button", { name: "Start optimization" }).click();
    await expect(page).toHaveURL(/\/optimizations\/[0-9a-f-]{36}/);
    await expect(page.getByTestId("optimization-status")).toHaveText("running", { timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this optimization?" });
    await expect(dialog).toContainText("model calls in flight are aborted and no draft is made");
    await dialog.getByLabel("Reason (optional)").fill("wrong dataset");
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole("button", { name: "Cancel the optimization" }).click();
    await expect(page.getByTestId("optimization-status")).toHaveText("cancelled");
    await expect(page.getByTestId("optimization-cancelled")).toHaveText(
      `Cancelled by ${seeded.users.editor.email}: wrong dataset. Calls in flight were aborted; no draft was made.`,
    );
    await expect(page.getByRole("button", { name: "Cancel", exact: true })).toHaveCount(0);
    // The held answer was aborted by the job: nothing is in flight any more, though nothing was released.
    await expect(async () => {
      const health = (await (await fetch(`${llm().url}/__health`)).json()) as { inFlight?: number };
      expect(health.inFlight).toBe(0);
    }).toPass({ timeout: 15_000 });
    await screenshot(page, "optimization-cancelled");
  } finally {
    await fetch(`${llm().url}/__release`, { method: "POST" });
  }
});
