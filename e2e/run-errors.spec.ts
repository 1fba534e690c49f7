// A run in which some answers errored says so beside its score, on the run page and in the runs list: the
// score is the mean over the answers that were scored, and a reader must not take 100% of three for 100%
// of four. (exact_match scores an item without an expected answer as an error.)
import { addItems, createDataset } from "../lib/evaluation/datasets";
import { recordRun } from "../lib/evaluation/runs/record";
import { expect, expectNoSeriousA11yViolations, seedPrompt, signIn, systemCtx, test } from "./fixtures";

test("a run whose answers partly errored says how many beside its score", async ({ page, seeded }) => {
  const ctx = systemCtx(seeded);
  await seedPrompt(seeded, "capitals", [
    { type: "text", template: "Capital of {{country}}?", variables: [{ name: "country" }] },
  ]);
  const ds = await createDataset(ctx, { name: "capitals", prompt: "capitals" });
  await addItems(
    ctx,
    ds.id,
    [
      { input: { country: "France" }, expected: "Paris" },
      { input: { country: "Peru" }, expected: "Lima" },
      { input: { country: "Chad" }, expected: "N'Djamena" },
      { input: { country: "Atlantis" } },
    ].map((item) => ({ ...item, tags: [], metadata: {} })),
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
  await expect(page.getByTestId("run-score")).toHaveText("100.0%");
  await expect(page.getByTestId("run-errored")).toHaveText("1 of 4 answers errored, left out of the score");
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/${seeded.slug}/evaluations?prompt=capitals`);
  const row = page.getByRole("row").filter({ hasText: "capitals v1" });
  await expect(row).toContainText("100.0%");
  await expect(row.getByTestId("run-errored")).toHaveText("1 of 4 answers errored, left out of the score");
});
