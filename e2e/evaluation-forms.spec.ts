// Evaluation as a support lead or product manager meets it: the menu opens the runs, with datasets and
// comparisons beside them; scorers are chosen and built in a form (no JSON), with presets that fit the
// dataset; the environment settings keep a gate's scorers across a save; online evaluation too.
import type { Locator, Page } from "@playwright/test";
import { getOnlineEvaluation } from "../lib/evaluation/online/rules";
import { createConnection } from "../lib/llm/connections";
import { recordRun } from "../lib/evaluation/runs/record-run";
import { getEnvironmentRow, updateEnvironment } from "../lib/release/environments";
import { normalizeGateScorers } from "../lib/scorers/gate";
import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  screenshot,
  seedDeploy,
  seedPrompt,
  signIn,
  systemCtx,
  test,
  type Seeded,
} from "./fixtures";
import { seedDataset } from "./dataset-fixtures";
import { questionVersion } from "./model-server";

const gateScorers = [
  { type: "length", name: "concise", unit: "words", max: 80 },
  { type: "safety", name: "safe" },
];

async function seed(seeded: Seeded) {
  await seedPrompt(seeded, "qa", [questionVersion("Answer the question: {{question}}")]);
  const ctx = systemCtx(seeded);
  const item = (question: string, expected?: string) => ({
    input: { question },
    ...(expected === undefined ? {} : { expected }),
  });
  for (const [name, items] of [
    ["with-answers", [item("What is 2+2?", "4"), item("Capital of France?", "Paris")]],
    ["open-questions", [item("How are you?"), item("Tell me a joke")]],
    ["release-checks", [item("Where is my order?"), item("I want a refund")]],
  ] as const)
    await seedDataset(seeded, { name, prompt: "qa" }, [...items]);
  await updateEnvironment(ctx, "staging", {
    evaluationGate: { dataset: "release-checks", minScore: 0.8, maxDrop: 0.05, scorers: gateScorers },
  });
}

/** Nothing is wider than a phone's screen: the whole page, or one section of it (`within`). */
async function fitsPhone(page: Page, name: string, within?: Locator) {
  await page.setViewportSize({ width: 390, height: 844 });
  if (within) {
    const box = (await within.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await within.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
  } else expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("the Evaluation menu opens the runs, with datasets and comparisons in one section", async ({ page, seeded }) => {
  await seed(seeded);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/prompts`);
  const main = page.getByRole("navigation", { name: "Main" });
  await main.getByRole("link", { name: "Evaluation" }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/evaluations$`));
  await expect(page.getByRole("heading", { name: "Evaluation runs" })).toBeVisible();
  const section = page.getByRole("navigation", { name: "Evaluation" });
  await expect(section.getByRole("link", { name: "Runs", exact: true })).toHaveAttribute("aria-current", "page");
  await screenshot(page, "evaluation-forms-runs");
  await fitsPhone(page, "evaluation-forms-runs");

  await section.getByRole("link", { name: "Datasets" }).click();
  await expect(page).toHaveURL(new RegExp(`/${seeded.slug}/datasets$`));
  await expect(section.getByRole("link", { name: "Datasets" })).toHaveAttribute("aria-current", "page");
  await expect(main.getByRole("link", { name: "Evaluation" })).toHaveAttribute("aria-current", "page");

  // Without two runs to compare, the page explains how to get them instead of failing.
  await section.getByRole("link", { name: "Compare runs" }).click();
  await expect(page).toHaveURL(/\/evaluations\/compare$/);
  await expect(page.getByRole("heading", { name: "Compare two runs" })).toBeVisible();
  await expect(page.locator("#pick")).toContainText("No completed runs yet");
  await expect(section.getByRole("link", { name: "Compare runs" })).toHaveAttribute("aria-current", "page");
  await expect(main.getByRole("link", { name: "Evaluation" })).toHaveAttribute("aria-current", "page");

  // With runs on two datasets, choosing one side leaves the other only the runs on the same items.
  const ctx = systemCtx(seeded);
  const run = (dataset: string, text: string) =>
    recordRun(ctx, { prompt: "qa", version: 1, dataset, scorers: [{ type: "length", min: 1 }] }, () => ({ text }));
  const [a, b] = [await run("with-answers", "4"), await run("with-answers", "")];
  await run("open-questions", "fine");
  await page.reload();
  const picker = page.getByRole("form", { name: "Choose two runs" });
  await expect(picker).toContainText("Both runs must be on the same dataset version");
  await expect(picker.getByLabel("B (after)").locator("option")).toHaveCount(4);
  await picker.getByLabel("A (before)").selectOption(a.id);
  await expect(picker.getByLabel("B (after)").locator("optgroup")).toHaveAttribute("label", "with-answers, version 1");
  await expect(picker.getByLabel("B (after)").locator("option")).toHaveText([
    "Choose a completed run",
    new RegExp(b.id.slice(0, 8)),
  ]);
  await picker.getByLabel("B (after)").selectOption(b.id);
  await picker.getByRole("button", { name: "Compare" }).click();
  await expect(page.locator("#comparison")).toContainText("2 regressions");
  await expectNoSeriousA11yViolations(page);
  await fitsPhone(page, "evaluation-forms-compare");
});

test("a run's scorers are built in a form: presets fit the dataset, an LLM judge gets a typed rubric", async ({
  page,
  seeded,
}) => {
  test.setTimeout(90_000);
  await seed(seeded);
  // The run this test starts calls a model: the project's own built-in scripted one, not the server's default
  // connection, whose port belongs to the `shared` specs (playwright.config.ts). Run 48 of docs/testing-runs.md:
  // this run's judge calls reached partials.spec's model server and became its last request.
  await createConnection(systemCtx(seeded), { name: "Scripted", provider: "scripted", isDefault: true }, null);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/evaluations/new?prompt=qa&dataset=open-questions`);
  const form = page.getByRole("form", { name: "Start an evaluation run" });
  const scorers = form.getByRole("group", { name: "Scorers" });
  const startFrom = scorers.getByLabel("Start from");

  // Items without expected answers: no exact match, and a note that says why.
  await expect(startFrom.locator("option:checked")).toHaveText("Not empty and safe");
  const exact = startFrom.locator("option", { hasText: "Same as the expected answer" });
  await expect(exact).toHaveCount(0);
  await expect(scorers.getByTestId("scorer-presets-note")).toContainText("The items have no expected answers");
  await expect(scorers.getByTestId("scorer-row")).toHaveCount(2);

  // Items with expected answers start from exact match; the gate's dataset from the gate's own scorers.
  await form.getByLabel("Dataset").selectOption({ label: "with-answers (2 items)" });
  await expect(startFrom.locator("option:checked")).toHaveText("Same as the expected answer");
  await expect(exact).toHaveCount(1);
  await form.getByLabel("Dataset").selectOption({ label: "release-checks (2 items)" });
  await expect(startFrom.locator("option:checked")).toHaveText(
    "The gate's scorers (runs with these count for staging's gate)",
  );
  await form.getByLabel("Dataset").selectOption({ label: "open-questions (2 items)" });
  await expect(startFrom.locator("option:checked")).toHaveText("Not empty and safe");

  // Two scorers built by hand: words the answer must contain, and a model judging with a rubric.
  const first = scorers.getByRole("group", { name: "Scorer 1" });
  await scorers.getByRole("button", { name: "Remove scorer 2" }).click();
  await first.getByLabel("Type").selectOption({ label: "Contains words" });
  await first.getByLabel("Words or phrases, one per line").fill("thanks\nsorry");
  await first.getByLabel("Which of them").selectOption({ label: "Any of them" });
  await expect(startFrom.locator("option:checked")).toHaveText("Your own list");
  await scorers.getByRole("button", { name: "Add a scorer" }).click();
  const second = scorers.getByRole("group", { name: "Scorer 2" });
  await second.getByLabel("Type").selectOption({ label: "Judged by a model" });
  await second.getByLabel("Name (optional)").fill("helpful");
  await second.getByLabel("Weight").fill("2");
  await second.getByLabel("Pass mark").fill("0.6");
  // The server's check names the empty rubric at its field, then the typed rubric clears it.
  await expect(second.getByLabel("Rubric")).toHaveAttribute("aria-invalid", "true");
  await expect(second.getByText("rubric must not be empty")).toBeVisible();
  const rubric = "Does the reply answer the question kindly?\nA rude reply scores 1.";
  await second.getByLabel("Rubric").fill(rubric);
  await expect(second.getByLabel("Rubric")).not.toHaveAttribute("aria-invalid");
  await scorers.getByRole("button", { name: "Move scorer 2 up" }).click();
  await expect(scorers.getByRole("group", { name: "Scorer 1" }).getByLabel("Rubric")).toHaveValue(rubric);
  await checkedScreenshot(page, "evaluation-forms-run");
  await fitsPhone(page, "evaluation-forms-run");

  // The JSON view is the same list; text that does not parse says where and the list stays as it was.
  await scorers.getByRole("button", { name: "Edit as JSON" }).click();
  const json = scorers.getByLabel("Scorers as JSON");
  const text = await json.inputValue();
  expect(JSON.parse(text)).toHaveLength(2);
  await json.fill(text.replace('"helpful"', '"helpful" "oops"'));
  await expect(scorers.getByText(/Line \d+, column \d+: .* The form keeps the last valid list\./)).toBeVisible();
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(form.getByText(/Fix the scorers' JSON first/)).toBeVisible();
  await expect(page).toHaveURL(/\/evaluations\/new/);
  await scorers.getByRole("button", { name: "Edit in the form" }).click();
  await expect(scorers.getByTestId("json-dropped")).toContainText("the form shows the last valid list");
  await expect(scorers.getByRole("group", { name: "Scorer 1" }).getByLabel("Rubric")).toHaveValue(rubric);

  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}$/);
  await page.locator("#progress summary", { hasText: "Scorers" }).click();
  const stored = JSON.parse((await page.locator("#progress details pre").textContent())!) as unknown[];
  expect(stored).toEqual([
    expect.objectContaining({ type: "llm_judge", name: "helpful", rubric, weight: 2, threshold: 0.6 }),
    expect.objectContaining({ type: "contains", name: "contains", value: ["thanks", "sorry"], mode: "any" }),
  ]);
});

test("saving an environment's rules keeps its gate's scorers; the gate's items can be pinned", async ({
  page,
  seeded,
}) => {
  await seed(seeded);
  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/settings#environments`);
  const staging = page.getByRole("listitem").filter({ has: page.getByRole("group", { name: "Rules for staging" }) });
  const details = staging.getByText(/^Gate scorers and items/);
  await expect(details).toHaveText("Gate scorers and items (2 scorers, current items)");

  // Only the minimum score moves: the scorers stay the gate's own.
  await staging.getByLabel("Minimum score").fill("0.7");
  await staging.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("Saved the rules of staging.")).toBeVisible();
  // The form comes back from the server with what was saved: nothing left to save.
  await expect(staging.getByRole("button", { name: "Save rules" })).toBeDisabled();
  const env = await getEnvironmentRow(seeded.database.db, seeded.projectId, "staging");
  expect([env.gateMinScore, env.gateScorers]).toEqual([0.7, normalizeGateScorers(gateScorers)]);

  // Pinned to version 1, with a third scorer built in the form.
  await details.click();
  await expect(staging.getByTestId("gate-rerun-note-staging")).toContainText("every version needs a new run");
  await staging.getByLabel("Dataset version").fill("1");
  const gate = staging.getByRole("group", { name: "Scorers of staging's gate" });
  await gate.getByRole("button", { name: "Add a scorer" }).click();
  await gate
    .getByRole("group", { name: "Scorer 3" })
    .getByLabel("Type")
    .selectOption({ label: "Does not contain words" });
  await gate.getByRole("group", { name: "Scorer 3" }).getByLabel("Words or phrases, one per line").fill("lorem");
  await checkedScreenshot(page, "evaluation-forms-gate");
  // The section only: the model connections form further down the page is wider than a phone already.
  await fitsPhone(page, "evaluation-forms-gate", staging);
  await staging.getByRole("button", { name: "Save rules" }).click();
  // The first save's message may still be showing: the newest is the last one (what was saved is checked below).
  await expect(page.getByText("Saved the rules of staging.").last()).toBeVisible();
  await expect(staging.getByRole("button", { name: "Save rules" })).toBeDisabled();
  await expect(details).toHaveText("Gate scorers and items (3 scorers, items of version 1)");
  // An earlier save's message can still be the one showing: wait for the row itself.
  const rules = () => getEnvironmentRow(seeded.database.db, seeded.projectId, "staging");
  const withLorem = normalizeGateScorers([...gateScorers, { type: "not_contains", value: ["lorem"] }]);
  await expect.poll(async () => rules().then((e) => [e.gateDatasetVersion, e.gateScorers])).toEqual([1, withLorem]);

  // The section the user opened stays open through the save and the form's refresh from the server.
  const pin = staging.getByLabel("Dataset version");
  await expect(pin).toBeVisible();
  // A pin past the dataset's versions is refused where typed, nothing changes.
  await pin.fill("7");
  await staging.getByRole("button", { name: "Save rules" }).click();
  await expect(pin).toHaveAttribute("aria-invalid", "true");
  await expect(staging.getByText(/has no version 7/).first()).toBeVisible();
  expect((await rules()).gateDatasetVersion).toBe(1);

  // Paired mode: the version is compared with the live one item by item; no maximum drop to set.
  await pin.fill("1");
  await expect(staging.getByLabel("Maximum drop from live")).toBeVisible();
  await staging.getByLabel("Compare with live").selectOption({ label: "paired: no worse" });
  await expect(staging.getByLabel("Maximum drop from live")).toHaveCount(0);
  await staging.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("Saved the rules of staging.").last()).toBeVisible();
  await expect(staging.getByRole("button", { name: "Save rules" })).toBeDisabled();
  await expect.poll(async () => rules().then((e) => [e.gateMode, e.gateDatasetVersion])).toEqual(["paired", 1]);
  await page.reload();
  await expect(staging.getByLabel("Compare with live")).toHaveValue("paired");
});

test("online evaluation gets a scorer from the form, without typing JSON", async ({ page, seeded }) => {
  await seed(seeded);
  // Production: staging's gate (seeded) would refuse version 1 without a run.
  await seedDeploy(seeded, "qa", "production", 1);
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/online/qa?environment=production`);
  const form = page.getByRole("form", { name: "Online evaluation rule for production" });
  const scorers = form.getByRole("group", { name: /^Scorers/ });
  await expect(scorers.getByLabel("Start from").locator("option:checked")).toHaveText("Not empty and safe");
  await expect(scorers.getByLabel("Start from").locator("option")).toHaveText([
    "Not empty and safe",
    "Judged by a model",
    "Valid JSON with an answer field",
  ]);
  await scorers.getByRole("button", { name: "Add a scorer" }).click();
  const third = scorers.getByRole("group", { name: "Scorer 3" });
  await third.getByLabel("Type").selectOption({ label: "Contains words" });
  await third.getByLabel("Name (optional)").fill("thanks");
  // Online answers have no expected answer to fall back to: the words are required here.
  await expect(third.getByLabel("Words or phrases, one per line")).toHaveAccessibleDescription(
    /Required: online answers have no expected answer/,
  );
  await third.getByLabel("Words or phrases, one per line").fill("thank");
  await third.getByRole("checkbox", { name: "Ignore upper and lower case" }).check();
  await checkedScreenshot(page, "evaluation-forms-online");
  await fitsPhone(page, "evaluation-forms-online");
  await form.getByRole("button", { name: "Start evaluating production" }).click();
  await expect(page.getByText("Online evaluation saved for production.")).toBeVisible();
  const rule = await getOnlineEvaluation(seeded.database.db, seeded.projectId, "qa", "production");
  expect(rule.scorers).toEqual([
    expect.objectContaining({ type: "length", name: "non_empty" }),
    expect.objectContaining({ type: "safety", name: "safe" }),
    expect.objectContaining({ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }),
  ]);
});
