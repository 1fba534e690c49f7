// What is served is one thing (docs/decisions/compositions.md), on the demo: a product manager promotes a new version
// of the shared/tone partial to staging while "Concise replies" runs there on support-reply, which includes it. The
// release dialog says the experiment would change under it and asks what happens; choosing a new phase, the
// release goes through, and the experiment's page shows phase 2, where and why it began, and what each arm
// serves from then on, with phase 1's results still a click away. A guarded rollout of a partial, ready to complete
// while an experiment on a prompt that includes it runs, holds and says why; completing it by hand asks the same.
import type { Locator, Page } from "@playwright/test";
import { createVersion } from "../lib/registry/versions";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { checkedScreenshot, expect, hydrated, screenshot, signIn, systemCtx, test } from "./fixtures";
import { getExperiment, listExperiments } from "../lib/experiments/store";
import { startRollout } from "../lib/experiments/rollouts/rollouts";
import { halves, seedToneAndReply, startedExperiment } from "./experiment-fixtures";
import { rolloutTraffic, tickRollouts } from "./rollout-fixtures";

/** Clicking `button` first asks about the experiment (its choice, within `scope`, `says` so), and waits for an answer. */
async function clickAsks(button: Locator, scope: Locator | Page, says: string) {
  await button.click();
  const choice = scope.getByTestId("experiment-choice");
  await expect(choice).toContainText(says);
  await expect(choice).not.toContainText("experimentAction");
  await expect(button).toBeDisabled();
  return choice;
}

test("a partial's release under a running experiment asks, and a new phase is marked", async ({ page, seeded }) => {
  test.setTimeout(240_000);
  const db = seeded.database.db;
  const ctx = systemCtx(seeded);
  await seedDemoPrompts(ctx);
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

test("a partial's rollout ready to complete under an experiment holds, and completing it asks", async ({
  page,
  seeded,
}) => {
  test.setTimeout(240_000);
  await seedToneAndReply(seeded, "hold");
  // The rollout starts first (under a running experiment that includes the partial it would not start), then an
  // experiment on the prompt that includes it.
  const rollout = await startRollout(systemCtx(seeded), "hold/tone", {
    environment: "production",
    version: 2,
    steps: [
      { percent: 50, minMinutes: 0, minSubjects: 0 },
      { percent: 100, minMinutes: 0, minSubjects: 0 },
    ],
    guardrails: ["latency_ms"],
    minSamplePerArm: 10,
  });
  const experiment = await startedExperiment(seeded, {
    prompt: "hold/reply",
    environment: "production",
    name: "Answer first",
    variants: halves("b"),
  });
  await rolloutTraffic(seeded, "hold/tone", { tag: "hold", n: 200, latency: (_v, k) => 1200 + (k % 50) });
  await tickRollouts();

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/rollouts/${rollout.id}`);
  await hydrated(page);
  await expect(page.getByTestId("rollout-waiting")).toContainText(
    "Waiting: ready to complete, but completing changes what experiment “Answer first” on hold/reply serves while it runs",
  );
  await page.getByRole("button", { name: "Advance now…" }).click();
  await page.getByLabel("Reason (kept in the decision log)").pressSequentially("guardrails held at half");
  const complete = page.getByRole("button", { name: "Complete: version 2 for everyone" });
  const choice = await clickAsks(
    complete,
    page,
    "Experiment “Answer first” on hold/reply runs in production and includes hold/tone: version 2 would change what",
  );
  await checkedScreenshot(page, "rollout-completion-asks");
  await choice.getByRole("radio", { name: /Stop it/ }).check();
  await complete.click();
  await expect(page.getByText("production now serves version 2 to everyone.")).toBeVisible();
  expect((await getExperiment(seeded.database.db, seeded.projectId, experiment.id)).status).toBe("stopped");
});

test("shipping a partial's variant under an experiment that includes it asks in the stop dialog", async ({
  page,
  seeded,
}) => {
  test.setTimeout(240_000);
  await seedToneAndReply(seeded, "ship");
  const own = await startedExperiment(seeded, {
    prompt: "ship/tone",
    environment: "production",
    name: "Warmer tone",
    variants: halves("b"),
  });
  const reply = await startedExperiment(seeded, {
    prompt: "ship/reply",
    environment: "production",
    name: "Answer first",
    variants: halves("b"),
  });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${own.id}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Stop and decide…" }).click();
  const stop = page.getByRole("dialog", { name: "Stop “Warmer tone”" });
  await stop.getByRole("radio", { name: /Ship b/ }).check();
  await stop.getByLabel("Reason (kept with the decision)").pressSequentially("warmer reads better");
  const ship = stop.getByRole("button", { name: "Ship b to production" });
  const choice = await clickAsks(
    ship,
    stop,
    "Experiment “Answer first” on ship/reply runs in production and includes ship/tone",
  );
  await choice.getByRole("radio", { name: /Start a new phase/ }).check();
  await ship.click();
  await expect(page.getByTestId("headline")).toHaveText("Shipped b: production now serves version 2.");
  const after = await getExperiment(seeded.database.db, seeded.projectId, reply.id);
  expect([after.status, after.phase]).toEqual(["running", 2]);
});
