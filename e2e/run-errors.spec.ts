// A run in which some answers could not be scored says so beside its score, on the run page and in the runs list,
// and counts them as failures: three right answers of four read 75%, not 100%. A run whose scorer could not score
// any answer reads "could not score" in the list, on its page and in the activity log, never a score of 100%.
// (exact_match scores an item without an expected answer as an error.)
import { recordRun } from "../lib/evaluation/runs/record-run";
import { seedDataset } from "./dataset-fixtures";
import { expect, expectNoSeriousA11yViolations, seedPrompt, signIn, systemCtx, test } from "./fixtures";

test("a run whose answers partly errored says how many beside its score", async ({ page, seeded }) => {
  const ctx = systemCtx(seeded);
  await seedPrompt(seeded, "capitals", [
    { type: "text", template: "Capital of {{country}}?", variables: [{ name: "country" }] },
  ]);
  const ds = await seedDataset(
    seeded,
    { name: "capitals", prompt: "capitals" },
    [
      { input: { country: "France" }, expected: "Paris" },
      { input: { country: "Peru" }, expected: "Lima" },
      { input: { country: "Chad" }, expected: "N'Djamena" },
      { input: { country: "Atlantis" } },
    ],
    { source: "test" },
  );
  const answers: Record<string, string> = { France: "Paris", Peru: "Lima", Chad: "N'Djamena", Atlantis: "?" };
  const run = await recordRun(
    ctx,
    { prompt: "capitals", version: 1, dataset: ds.id, scorers: [{ type: "exact_match" }] },
    ({ input }) => ({ text: answers[String(input.country)]! }),
  );

  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/evaluations/${run.id}`);
  await expect(page.getByTestId("run-score")).toHaveText("75.0%");
  await expect(page.getByTestId("run-errored")).toHaveText("1 of 4 answers could not be scored: counted as failures");
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/${seeded.slug}/evaluations?prompt=capitals`);
  const row = page.getByRole("row").filter({ hasText: "capitals v1" });
  await expect(row).toContainText("75.0%");
  await expect(row.getByTestId("run-errored")).toHaveText("1 of 4 answers could not be scored: counted as failures");
});

test("a run whose scorer could not score any answer reads 'could not score' everywhere", async ({ page, seeded }) => {
  const ctx = systemCtx(seeded);
  await seedPrompt(seeded, "greeting", [{ type: "text", template: "Greet {{name}}", variables: [{ name: "name" }] }]);
  const names = ["Ada", "Lin", "Sam"];
  const ds = await seedDataset(
    seeded,
    { name: "greetings", prompt: "greeting" },
    names.map((name) => ({ input: { name } })),
    { source: "test" },
  );
  // No item has an expected answer: exact_match can score none of them.
  const run = await recordRun(
    ctx,
    { prompt: "greeting", version: 1, dataset: ds.id, scorers: [{ type: "exact_match" }] },
    ({ input }) => ({ text: `Hello ${String(input.name)}` }),
  );
  expect(run.status).toBe("unscored");

  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/evaluations/${run.id}`);
  await expect(page.getByText("could not score", { exact: true })).toBeVisible();
  await expect(
    page.getByText(/exact_match could not score any answer: exact_match needs the item's expected/),
  ).toBeVisible();
  await expect(page.getByTestId("run-score")).not.toHaveText("100.0%");
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/${seeded.slug}/evaluations?prompt=greeting`);
  const row = page.getByRole("row").filter({ hasText: "greeting v1" });
  await expect(row).toContainText("could not score");
  await expect(row).not.toContainText("100.0%");

  await page.goto(`/${seeded.slug}/activity`);
  await expect(
    page.getByText(/greeting v1 on greetings \(dataset v1\): could not score \(exact_match could not/),
  ).toBeVisible();
});
