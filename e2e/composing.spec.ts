// What is served is one thing (issue 58), on the demo: a product manager promotes a new version of the
// shared/tone partial to staging while "Concise replies" runs there on support-reply, which includes it. The
// release dialog says the experiment would change under it and asks what happens; choosing a new phase, the
// release goes through, and the experiment's page shows phase 2, where and why it began, and what each arm
// serves from then on, with phase 1's results still a click away.
import { createVersion } from "../lib/registry/versions";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { expect, hydrated, screenshot, signIn, systemCtx, test } from "./fixtures";
import { listExperiments } from "../lib/experiments/store";

test("a partial's release under a running experiment asks, and a new phase is marked", async ({ page, seeded }) => {
  test.setTimeout(240_000);
  const db = seeded.database.db;
  const ctx = systemCtx(seeded);
  await seedDemoPrompts(db, seeded.projectId, ctx.actor);
  await createVersion(ctx, "shared/tone", {
    template: "Write in a warm, plain tone. Prefer short sentences.",
    commitMessage: "Shorter sentences",
  });
  const [experiment] = await listExperiments(db, seeded.projectId, { status: "running" });
  expect(experiment!.name).toBe("Concise replies");

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/prompts/shared/tone`);
  await hydrated(page);
  await page.getByTestId("env-staging").getByRole("button", { name: "Promote…" }).click();
  const dialog = page.getByRole("dialog", { name: "Promote to staging" });
  await dialog.getByLabel("Version", { exact: true }).selectOption("2");
  const choice = dialog.getByTestId("experiment-choice");
  await expect(choice).toContainText("“Concise replies” on support-reply runs in staging and includes shared/tone");
  const promote = dialog.getByRole("button", { name: "Promote version 2 to staging" });
  await expect(promote).toBeDisabled();
  await expect(dialog.locator('[data-step="experiments"]')).toHaveAttribute("data-met", "false");
  await screenshot(page, "composing-asks");
  await choice.getByRole("radio", { name: /Start a new phase/ }).check();
  await expect(dialog.locator('[data-step="experiments"]')).toHaveAttribute("data-met", "true");
  await promote.click();
  await expect(page.getByText("staging now serves version 2.")).toBeVisible();

  await page.goto(`/${seeded.slug}/experiments/${experiment!.id}`);
  await hydrated(page);
  await expect(page.getByRole("link", { name: "phase 2" })).toBeVisible();
  const second = page.getByTestId("phase-2");
  await expect(second).toContainText("Phase 2 (current)");
  await expect(second).toContainText("New phase: shared/tone v2 released to staging");
  await expect(second).toContainText("with shared/tone v2");
  await expect(second).toContainText("Results above read this phase");
  await screenshot(page, "composing-phase-2");
  await page.getByTestId("phase-1").getByRole("link", { name: "Read this phase's results" }).click();
  await expect(page.getByRole("status").filter({ hasText: "You are reading phase 1" })).toBeVisible();
  await expect(page.getByTestId("phase-1")).toContainText("Results above read this phase");
});
