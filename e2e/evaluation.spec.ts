// Offline evaluation through the UI against the local model server (test/llm-server.ts on the port the
// server's LLM_BASE_URL points at): a model connection added and tested in Settings, the playground,
// a CSV import (a bad row refused with its reason, then a good file), two runs watched to the end,
// their comparison, and a promotion refused by the environment's evaluation gate.
import { updateEnvironment } from "../lib/release/environments";
import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  seedDeploy,
  seedPrompt,
  signIn,
  typeInEditor,
  systemCtx,
  test,
} from "./fixtures";
import { modelServerForFile, questionVersion } from "./model-server";

// v2 asks for brevity and the scripted model then gets every answer wrong; v1 answers right, slowly
// enough that a run's progress can be watched.
const llm = modelServerForFile(
  {
    latencyMs: 150,
    rules: [
      { match: "briefly", text: "I do not know." },
      { match: "capital of France", text: "Paris" },
      { match: "2+2", text: "4" },
      { match: "colour of the sky", text: "blue" },
    ],
  },
  { defaultConnection: true },
);

const csv = (rows: string[]) => ["question,expected,tags", ...rows].join("\n");

test("evaluation: connections, playground, CSV import, runs with live progress, comparison, and the gate refusing a promotion", async ({
  page,
  seeded,
}) => {
  test.setTimeout(120_000);
  await seedPrompt(seeded, "qa", [
    questionVersion("Answer the question: {{question}}"),
    questionVersion("Answer briefly: {{question}}"),
  ]);
  await signIn(page, seeded.users.admin);

  // Settings: a connection to the local model server; the key is only ever shown as a mask.
  await page.goto(`/${seeded.slug}/settings#connections`);
  const add = page.getByRole("form", { name: "Add a model connection" });
  await add.getByLabel("Name").fill("Local model");
  await add.getByLabel("Base URL").fill(llm().baseUrl);
  await add.getByLabel("API key (optional)").fill("sk-local-secret-7777");
  await add.getByLabel("Default model (optional)").fill("scripted-model");
  await add.getByRole("button", { name: "Add connection" }).click();
  await expect(page.getByTestId("connection-added")).toContainText("…7777");
  const conn = page.getByTestId("connection").filter({ hasText: "Local model" });
  await expect(conn.getByTestId("key-hint")).toHaveText("…7777");
  await expect(page.locator("body")).not.toContainText("sk-local-secret-7777");
  await conn.getByRole("button", { name: "Test" }).click();
  await expect(conn.getByTestId("connection-test")).toContainText("Works: scripted-model answered");
  await expectNoSeriousA11yViolations(page);

  // The playground runs the shown version against its model.
  await page.goto(`/${seeded.slug}/prompts/qa?show=1`);
  const playground = page.locator("#playground");
  await playground.getByLabel("question").fill("What is the capital of France?");
  await playground.getByRole("button", { name: "Run v1" }).click();
  await expect(playground.getByTestId("playground-output")).toHaveText("Paris");
  await expect(playground.getByTestId("playground-stats")).toContainText("Tokens in / out");
  await expect(playground.getByTestId("playground-stats")).toContainText("ms");
  // Side by side: the same inputs through another version, then through another model.
  await playground.getByLabel("Compare with").selectOption("2");
  await playground.getByRole("button", { name: "Run v1" }).click();
  // (v2 asks for brevity, and the scripted model then answers wrong: the comparison shows it.)
  await expect(playground.getByTestId("playground-b-output")).toHaveText("I do not know.");
  await expect(playground.getByTestId("playground-b-result")).toContainText("v2");
  await expect(playground.getByTestId("playground-result")).toContainText("v1");
  await playground.getByLabel("Compare with").selectOption("model");
  await playground.getByLabel("Compare with model").pressSequentially("no-such-model", { delay: 10 });
  await playground.getByRole("button", { name: "Run v1" }).click();
  await expect(playground.getByTestId("playground-b-result")).toContainText("no-such-model");
  await expect(playground.getByTestId("playground-output")).toHaveText("Paris");

  // The editor's unsaved content runs from the editor, with nothing saved.
  await page.goto(`/${seeded.slug}/edit/qa`);
  await typeInEditor(page, "Prompt template", "Answer in one word: {{question}}", 10);
  const tryIt = page.getByTestId("try-unsaved");
  await tryIt.getByText("Try it without saving").click();
  await tryIt.getByLabel("question").pressSequentially("What is the capital of France?", { delay: 5 });
  await tryIt.getByRole("button", { name: "Run unsaved prompt" }).click();
  await expect(tryIt.getByTestId("try-unsaved-output")).toHaveText("Paris");
  await expect(tryIt.getByTestId("try-unsaved-result")).toContainText("unsaved");
  await expectNoSeriousA11yViolations(page);
  page.once("dialog", (d) => void d.accept()); // leaving with unsaved changes asks first

  // A dataset tied to the prompt; a CSV with a bad row is refused whole, with the row and why.
  await page.goto(`/${seeded.slug}/datasets`);
  const create = page.getByRole("form", { name: "Create a dataset" });
  await create.getByLabel("Name").fill("qa-basics");
  await create.getByLabel("Prompt (optional)").selectOption("qa");
  await create.getByRole("button", { name: "Create dataset" }).click();
  await expect(page.getByRole("heading", { name: "qa-basics" })).toBeVisible();
  const datasetId = page.url().split("/").at(-1)!;
  const upload = page.getByRole("form", { name: "Upload items" });
  await upload.getByLabel("Or paste the rows").fill(csv(["What is the capital of France?,Paris,geo", ",4,math"]));
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-errors")).toContainText("Row 2");
  await expect(page.getByTestId("upload-errors")).toContainText("question");
  await expect(page.getByTestId("dataset-item")).toHaveCount(0);
  await upload
    .getByLabel("Or paste the rows")
    .fill(
      csv([
        "What is the capital of France?,Paris,geo",
        "What is 2+2?,4,math",
        "What is the colour of the sky?,blue,science",
      ]),
    );
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByText("Added 3 items")).toBeVisible();
  await expect(page.getByTestId("dataset-item")).toHaveCount(3);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /export\?format=csv/);
  await expectNoSeriousA11yViolations(page);

  // Run v1: the progress bar fills live, then every item passes.
  await page.getByRole("link", { name: "Run an evaluation" }).click();
  const form = page.getByRole("form", { name: "Start an evaluation run" });
  await form.getByLabel("Version").fill("1");
  await form.getByLabel("Calls at once").fill("1");
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}$/);
  const runA = page.url().split("/").at(-1)!;
  const progress = page.getByRole("progressbar", { name: "Items evaluated" });
  await expect(progress).toHaveAttribute("aria-valuemax", "3");
  await expect(page.getByTestId("run-done")).toHaveText("3 of 3 evaluated", { timeout: 30_000 });
  await expect(page.getByTestId("run-progress")).toContainText("completed");
  await expect(page.getByTestId("run-score")).toHaveText("100.0%");
  // Without a reload, the page brings in how sure the score is (items as the unit) and every result.
  await expect(page.getByTestId("run-statistics")).toContainText(
    "score 100.0% [100.0%, 100.0%] (95% t interval over 3 items)",
  );
  await expect(page.getByTestId("run-item")).toHaveCount(3);
  await expect(page.getByTestId("run-item").first()).toContainText("exact_match");
  await checkedScreenshot(page, "evaluation-run");

  // Run v2 on the same dataset version: every answer is wrong.
  await page.goto(`/${seeded.slug}/evaluations/new?prompt=qa&version=2&dataset=${datasetId}`);
  await page.getByRole("form", { name: "Start an evaluation run" }).getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}$/);
  const runB = page.url().split("/").at(-1)!;
  await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("run-score")).toHaveText("0.0%");

  // Compare: three regressions, each with the output diff and its score delta.
  await page.goto(`/${seeded.slug}/evaluations/compare?a=${runA}&b=${runB}`);
  // Paired per scorer: three items that all failed are still too few to call (Wilcoxon decides, t is undefined).
  await expect(page.getByTestId("paired-verdict")).toHaveText(
    "No scorer differs significantly between v2 and v1 over 3 items; the largest difference is exact_match −100.0 points [−100.0, −100.0].",
  );
  await expect(page.getByTestId("paired-row").first()).toContainText("from Wilcoxon (t undefined)");
  const comparison = page.locator("#comparison");
  await expect(comparison).toContainText("3 regressions");
  await comparison.getByRole("link", { name: "Regressions only" }).click();
  await expect(page.getByTestId("compare-item")).toHaveCount(3);
  await expect(page.getByTestId("compare-item").first().locator("del")).toContainText("Paris");
  await expect(page.getByTestId("compare-item").first()).toContainText("-100.0 pts");
  await checkedScreenshot(page, "evaluation-compare");

  // The gate: staging serves v1 (score 1.0); v2 scored 0. The promote dialog shows the plan before anyone
  // clicks: the evaluation step is missing, with the numbers, and the button stays disabled.
  await seedDeploy(seeded, "qa", "staging", 1);
  await updateEnvironment(systemCtx(seeded), "staging", {
    evaluationGate: {
      dataset: "qa-basics",
      minScore: 0.8,
      maxDrop: 0.05,
      scorers: [{ type: "exact_match", weight: 1, threshold: 1, ignoreCase: true, collapseWhitespace: true }],
    },
  });
  await page.goto(`/${seeded.slug}/prompts/qa`);
  await expect(page.getByTestId("version-scores")).toContainText("100.0%");
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to staging" });
  await dialog.getByLabel("Version", { exact: true }).selectOption("2");
  const plan = dialog.getByTestId("release-plan-staging");
  await expect(plan).toHaveAttribute("data-status", "blocked");
  const step = plan.locator('[data-step="evaluation"]');
  await expect(step).toHaveAttribute("data-met", "false");
  await expect(step).toContainText("An evaluation on qa-basics scoring at least 80.0%");
  await expect(step).toContainText("Version 2 scored 0.0% on qa-basics (version 1), below 80.0%.");
  await expect(dialog.getByTestId("promote-blocked")).toContainText("an evaluation on qa-basics");
  await expect(dialog.getByRole("button", { name: "Promote version 2 to staging" })).toBeDisabled();
  await checkedScreenshot(page, "evaluation-gate");
});
