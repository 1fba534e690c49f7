// Datasets and release plans people can live with (docs/evaluation.md), as an admin and an
// approver walk them: removing a gate dataset's item asks first and says what it affects; the gate then
// shows the versions needing a new run in Settings, on the dataset page and in the release plan; Undo
// makes the old runs count again. The promote form's missing evaluation step runs the evaluation; an
// approver sees what is still missing before approving, and promotes to staging from the review.
import type { Page } from "@playwright/test";
import { recordRun } from "../lib/evaluation/runs/record-run";
import { updateEnvironment } from "../lib/release/environments";
import {
  checkedScreenshot,
  expect,
  screenshot,
  seedDeploy,
  seedPrompt,
  signIn,
  signOut,
  systemCtx,
  test,
} from "./fixtures";
import { seedDataset } from "./dataset-fixtures";
import { modelServerForFile, questionVersion } from "./model-server";

// The local model server on the default connection's port (e2e/model-server.ts), answering each question right.
modelServerForFile(
  { rules: [1, 2, 3].map((n) => ({ match: `question ${n}?`, text: `answer ${n}` })) },
  { defaultConnection: true },
);

const exact = [{ type: "exact_match" }];
/** Questions 1 to `n`, each expecting its answer: "question 1?" → "answer 1". */
const questions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ input: { question: `question ${i + 1}?` }, expected: `answer ${i + 1}` }));

/** Nothing on the page is wider than a 390 px phone (tables scroll inside their own box). */
async function fitsPhone(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  // The elements that stick out of the page (not those scrolling inside a box of their own), to say which.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => {
        if (e.getBoundingClientRect().right <= 391) return false;
        if (getComputedStyle(e).position === "absolute") return true; // may escape its scrolling box
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
          if (getComputedStyle(p).overflowX !== "visible") return false;
        return true;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className} ${e.textContent?.slice(0, 60)}`),
  );
  expect(await page.evaluate(() => document.documentElement.scrollWidth), wide.join("\n")).toBeLessThanOrEqual(390);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("remove a gate item with its consequences, see the stale gate, undo; run the evaluation and promote from the plan", async ({
  page,
  seeded,
}) => {
  test.setTimeout(180_000);
  const ctx = systemCtx(seeded);
  await seedPrompt(
    seeded,
    "faq",
    [
      questionVersion("Answer: {{question}}"),
      questionVersion("Answer kindly: {{question}}"),
      questionVersion("Answer in two words: {{question}}"),
    ],
    { live: ["staging", "production"] },
  );
  await seedDeploy(seeded, "faq", "staging", 2);
  const ds = await seedDataset(
    seeded,
    { name: "faq-gate", prompt: "faq", description: "Three questions" },
    questions(3),
  );
  for (const v of [1, 2])
    await recordRun(ctx, { prompt: "faq", version: v, dataset: ds.id, scorers: exact }, ({ input }) => ({
      text: `answer ${String(input.question).match(/\d/)![0]}`,
    }));
  await updateEnvironment(ctx, "production", {
    requiresReview: true,
    requiresLiveIn: "staging",
    evaluationGate: { dataset: ds.id, minScore: 0.8, maxDrop: 1, scorers: exact },
  });
  const datasetPage = `/${seeded.slug}/datasets/${ds.id}`;

  // 1. Removing an item asks first, and says what it does to production's gate.
  await signIn(page, seeded.users.admin);
  await page.goto(datasetPage);
  const gate = page.getByRole("region", { name: "production's evaluation gate" });
  await expect(gate.getByTestId("gate-need-run")).toHaveText("Every version that matters has a run that counts.");
  await page.getByRole("button", { name: "Remove item 1" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove item 1?" });
  await expect(confirm).toContainText("The dataset gets a new version (version 2) without it.");
  await expect(confirm.getByTestId("removal-effects")).toContainText(
    "the runs of faq v2 and faq v1 will stop counting, and they will need a new run before production takes them — unless you undo the removal.",
  );
  await checkedScreenshot(page, "dataset-remove-confirm");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("dataset-item")).toHaveCount(3);
  await page.getByRole("button", { name: "Remove item 1" }).click();
  await confirm.getByRole("button", { name: "Remove item 1" }).click();
  const notice = page.getByTestId("dataset-change-notice");
  await expect(notice).toContainText(
    "Done: removed 1 item. The dataset is now at version 2. production's gate now needs a new run for 2 versions.",
  );
  await expect(page.getByTestId("dataset-item")).toHaveCount(2);
  await expect(gate.locator('[data-testid="gate-version"][data-state="stale"]')).toHaveCount(2);
  await checkedScreenshot(page, "dataset-removed");
  await fitsPhone(page, "dataset-removed");

  // 2. Settings shows which versions production's gate needs a new run for.
  await page.goto(`/${seeded.slug}/settings#gates`);
  const settingsGate = page.getByRole("region", { name: "production's evaluation gate" });
  await expect(settingsGate.getByTestId("gate-need-run")).toHaveText(
    "2 versions need a new run before production takes them.",
  );
  const v2 = settingsGate.getByTestId("gate-version").filter({ hasText: "faq v2" });
  await expect(v2).toContainText("Needs a new run");
  await expect(v2).toContainText("live in staging");
  await expect(v2).toContainText("it ran on dataset version 1, whose items differ from version 2");
  await expect(settingsGate.getByRole("button", { name: "Run them" })).toBeVisible();
  await checkedScreenshot(page, "settings-gates");
  await page.locator("#gates").screenshot({ path: "test-results/screenshots/settings-gates-card.png" });
  await fitsPhone(page, "settings-gates");

  // 3. So does the release plan of version 2, with the button that runs it.
  await page.goto(`/${seeded.slug}/prompts/faq?show=2#release`);
  const evaluation = page.getByTestId("release-plan-production").locator('[data-step="evaluation"]');
  await expect(evaluation).toHaveAttribute("data-met", "false");
  await expect(evaluation).toContainText("Its last run does not count: it ran on dataset version 1");
  await expect(evaluation.getByRole("button", { name: "Run evaluation on faq-gate" })).toBeVisible();

  // 4. Back on the dataset page, Undo: the same items as version 1 again, so the runs count again.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/removed=2/);
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(notice).toHaveText(
    "Done: version 3 has the same items as version 1 again, so the runs made on them count again.",
  );
  await expect(page.getByTestId("dataset-item")).toHaveCount(3);
  await expect(gate.getByTestId("gate-need-run")).toHaveText("Every version that matters has a run that counts.");
  await expect(page.getByTestId("dataset-version-3")).toContainText("same items as version 1");
  await page.goto(`/${seeded.slug}/settings#gates`);
  await expect(settingsGate.getByTestId("gate-need-run")).toHaveText(
    "Every version that matters has a run that counts.",
  );
  await page.goto(`/${seeded.slug}/prompts/faq?show=2#release`);
  await expect(evaluation).toHaveAttribute("data-met", "true");

  // 5. The promote form shows version 3's missing evaluation with a button that runs it.
  // A plan step's button turns the form into another mode's dialog; closing that one gives focus back to the
  // button that opened the first.
  await page.goto(`/${seeded.slug}/prompts/faq?show=3`);
  const opener = page.getByTestId("env-production").getByRole("button", { name: "Promote…" });
  await opener.click();
  const promote = page.getByRole("dialog", { name: "Promote to production" });
  await promote.getByLabel("Version", { exact: true }).selectOption("3");
  await promote.locator('[data-step="review"]').getByRole("button", { name: "Request review…" }).click();
  const asked = page.getByRole("dialog", { name: "Request review for production" });
  await expect(asked.getByLabel("Version", { exact: true })).toHaveValue("3");
  await page.keyboard.press("Escape");
  await expect(asked).toBeHidden();
  await expect(opener).toBeFocused();
  await opener.click();
  await promote.getByLabel("Version", { exact: true }).selectOption("3");
  const plan = promote.getByTestId("release-plan-production");
  await expect(plan.locator('[data-step="evaluation"]')).toHaveAttribute("data-met", "false");
  await expect(
    plan.locator('[data-step="live_in"]').getByRole("button", { name: "Promote to staging…" }),
  ).toBeVisible();
  await expect(promote.getByRole("button", { name: "Promote version 3 to production" })).toBeDisabled();
  await checkedScreenshot(page, "promote-dialog-plan-actions");
  await plan.locator('[data-step="evaluation"]').getByRole("button", { name: "Run evaluation on faq-gate" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[0-9a-f-]{36}/);
  await expect(page.getByTestId("run-done")).toHaveText("3 of 3 evaluated", { timeout: 60_000 });
  await expect(page.getByTestId("run-progress")).toContainText("completed", { timeout: 30_000 });

  // 6. The evaluation counts now; only staging is missing besides the review. Request the review anyway.
  await page.goto(`/${seeded.slug}/prompts/faq?show=3#release`);
  const production = page.getByTestId("release-plan-production");
  await expect(production.locator('[data-step="evaluation"]')).toHaveAttribute("data-met", "true");
  await production.getByRole("button", { name: "Request review…" }).click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await expect(request.getByTestId("review-anyway")).toContainText("Request the review now anyway?");
  await request.getByLabel("Message to the reviewer").fill("Shorter answers");
  await request.getByRole("button", { name: "Request review anyway", exact: true }).click();
  await expect(page.getByTestId("pending-review")).toContainText("v3 for production");
  await signOut(page);

  // 7. The approver sees what is missing before approving, and promotes to staging from the review.
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/reviews`);
  const row = page.getByTestId("pending-review");
  await expect(row.getByTestId("review-plan")).toContainText("Also missing:Live in staging first");
  await expect(row.getByTestId("review-plan").getByRole("link", { name: "Promote to staging…" })).toBeVisible();
  await fitsPhone(page, "reviews-plan");
  await row.getByRole("button", { name: "Review…" }).click();
  const review = page.getByRole("dialog", { name: "Review faq v3 for production" });
  await expect(review.getByTestId("approve-cannot-deploy")).toContainText(
    "Approving cannot deploy version 3 to production yet: live in staging first.",
  );
  await expect(review.getByRole("button", { name: "Approve and deploy to production" })).toBeDisabled();
  await checkedScreenshot(page, "review-dialog-missing");
  await review.locator('[data-step="live_in"]').getByRole("button", { name: "Promote to staging…" }).click();
  const toStaging = page.getByRole("dialog", { name: "Promote to staging" });
  await expect(toStaging.getByLabel("Version", { exact: true })).toHaveValue("3");
  await toStaging.getByRole("button", { name: "Promote version 3 to staging" }).click();
  await expect(page.getByTestId("live-staging")).toHaveText("v3");
  await expect(page).not.toHaveURL(/open=/);

  await page.goto(`/${seeded.slug}/reviews`);
  await expect(row.getByTestId("review-plan")).toHaveText("Goes live when approved.");
  await row.getByRole("button", { name: "Review…" }).click();
  await review.getByLabel("Comment").fill("Staging has it, the gate agrees");
  await review.getByRole("button", { name: "Approve and deploy to production" }).click();
  await expect(page.getByText("Approved: production now serves version 3 of faq.")).toBeVisible();
});

test("Run them starts the gate runs that the versions need, and they count once done", async ({ page, seeded }) => {
  const ctx = systemCtx(seeded);
  await seedPrompt(seeded, "faq", [questionVersion("Answer: {{question}}")], { live: ["production"] });
  const ds = await seedDataset(seeded, { name: "faq-gate", prompt: "faq", description: "" }, questions(2));
  await updateEnvironment(ctx, "production", {
    evaluationGate: { dataset: ds.id, minScore: 0.8, maxDrop: 1, scorers: exact },
  });

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/settings#gates`);
  const gate = page.getByRole("region", { name: "production's evaluation gate" });
  await expect(gate.getByTestId("gate-need-run")).toHaveText("One version needs a run before production takes it.");
  await expect(gate.getByTestId("gate-version")).toContainText("Needs a run");
  await gate.getByRole("button", { name: "Run them" }).click();
  await expect(page.getByText("Started one evaluation run for production's gate.")).toBeVisible();
  await expect
    .poll(async () => (await page.reload(), await gate.getByTestId("gate-version").getAttribute("data-state")), {
      timeout: 60_000,
      intervals: [1000],
    })
    .toBe("passes");
  await expect(gate.getByTestId("gate-need-run")).toHaveText("Every version that matters has a run that counts.");
  await expect(gate.getByTestId("gate-version")).toContainText("Counts: 100.0%");
  await expect(gate.getByRole("button", { name: "Run them" })).toHaveCount(0);
});
