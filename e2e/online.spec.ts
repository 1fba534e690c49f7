import { noEvents } from "../lib/announcements";
import { liveVersions } from "../lib/release/deployments";
import { getPrompt } from "../lib/registry/prompts";
import { ingestEvents } from "../lib/ingest/ingest";
import { runRegressionChecks } from "../lib/evaluation/online/loop/loop";
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { createDataset, listDatasetItems } from "../lib/evaluation/datasets";
import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  seedDeploy,
  seedPrompt,
  signIn,
  systemCtx,
  test,
  type Seeded,
} from "./fixtures";

let n = 0;
/** Generation events as an application would send them: `good` of them thank the customer. */
async function outputs(seeded: Seeded, prompt: string, version: number, count: number, good: number) {
  const events = Array.from({ length: count }, (_, i) => ({
    id: `e2e-online-${seeded.slug}-${++n}`,
    type: "generation",
    prompt,
    version,
    environment: "staging",
    subject: `customer-${n}`,
    latencyMs: 200,
    // The curt ones log the user's message as their input, as many applications do.
    input: i < good ? { customer: "Ana" } : "Where is my refund?",
    output: i < good ? "Thank you for waiting, Ana. Your refund is on its way." : "Refund sent.",
  }));
  await ingestEvents(seeded.database.db, seeded.projectId, { events });
}

test("an approver sets up online evaluation; a regression is scored, rolled back, shown with its numbers and outputs, alerted and acknowledged", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    "support-reply",
    [
      { type: "text", template: "Reply warmly." },
      { type: "text", template: "Reply briefly." },
    ],
    { live: ["staging"] },
  );
  await signIn(page, seeded.users.approver);

  await page.goto(`/${seeded.slug}/prompts/support-reply`);
  const card = page.locator("#online");
  await expect(card).toContainText("Score real traffic");
  await card.getByRole("link", { name: "Set up" }).click();
  await expect(page.getByRole("heading", { name: "Online evaluation · support-reply" })).toBeVisible();
  await page.getByRole("navigation", { name: "Environment" }).getByRole("link", { name: "staging" }).click();
  await expect(page).toHaveURL(/environment=staging/);

  const form = page.getByRole("form", { name: "Online evaluation rule for staging" });
  await form.getByLabel("Sample rate (%)").fill("100");
  await form.getByLabel("Window").fill("50");
  await form.getByLabel("Minimum samples").fill("100");
  await form.getByRole("button", { name: "Edit as JSON" }).click();
  await form
    .getByLabel("Scorers as JSON")
    .fill(JSON.stringify([{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }]));
  await form.getByRole("checkbox", { name: /Roll back to the last known-good version/ }).check();
  await form.getByLabel("Roll back when a metric drops by (points)").fill("30");
  await form.getByRole("button", { name: "Start evaluating staging" }).click();
  // The server's check (the browser's own limits cannot see it), shown at the field; nothing saved.
  await expect(form.getByText(/minSamples \(100\) cannot exceed window \(50\)/i)).toBeVisible();
  await expect(form.getByLabel("Minimum samples")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Minimum samples").fill("10");
  await form.getByRole("button", { name: "Start evaluating staging" }).click();
  await expect(page.getByText("Online evaluation saved for staging.")).toBeVisible();
  await expect(page.locator("#status")).toContainText("Not checked yet");
  await expect(page.getByRole("link", { name: /staging on/ })).toBeVisible();

  // Traffic: v1 thanks 90% of customers; v2 goes live and thanks 10%. The jobs score and check.
  await outputs(seeded, "support-reply", 1, 20, 18);
  await seedDeploy(seeded, "support-reply", "staging", 2);
  await outputs(seeded, "support-reply", 2, 20, 2);
  await scorePendingSamples(seeded.database.db, undefined, { limit: 10_000 });
  await runRegressionChecks(seeded.database.db, noEvents);
  // Staging serves v1 again by an automatic rollback: this call's, or the server's own scheduled check's (its
  // jobs run beside the test). The decisions list every project's rules: another spec's may be named alike.
  const prompt = await getPrompt(seeded.database.db, seeded.projectId, "support-reply");
  const live = await liveVersions(seeded.database.db, seeded.projectId, prompt.id);
  expect(live.find((e) => e.environment === "staging")?.live).toMatchObject({ version: 1, action: "auto_rollback" });

  await page.reload();
  const status = page.locator("#status");
  await expect(status).toContainText("Rolled back");
  await expect(status.getByRole("row", { name: /thanks/ })).toContainText("90.0%");
  await expect(status.getByRole("row", { name: /thanks/ })).toContainText("10.0%");
  await expect(status.getByRole("row", { name: /thanks/ })).toContainText("past the rollback threshold");
  await expect(page.locator("#alerts")).toContainText("rolled back automatically from v2 to v1");
  await expect(page.locator("#chart .recharts-line")).toHaveCount(2); // v1 and v2
  const versions = page.locator("#versions");
  await expect(versions.getByRole("row", { name: /v1/ })).toContainText("live");

  // The drill-down: v2's outputs with each scorer's reason; only the low ones.
  const samples = page.locator("#samples");
  await samples.getByLabel("Version").selectOption("2");
  await samples.getByRole("checkbox", { name: "Only outputs scoring under 50%" }).check();
  await expect(samples.getByTestId("online-sample")).toHaveCount(18);
  await expect(samples.getByTestId("online-sample").first()).toContainText("Refund sent.");
  await expect(samples.getByTestId("online-sample").first()).toContainText("thanks 0%");
  // Its input, the user's message, shown as it came (not as a table of variables).
  const curt = samples.getByTestId("online-sample").first();
  await curt.getByText("Input", { exact: true }).click();
  await expect(curt).toContainText("Where is my refund?");
  await checkedScreenshot(page, "online-evaluation");

  // A bad production output becomes a test case: added to a dataset, output as the expected answer.
  const dataset = await createDataset(systemCtx(seeded), { name: "regressions", prompt: "support-reply" });
  await page.reload();
  await samples.getByLabel("Version").selectOption("2");
  await samples.getByRole("checkbox", { name: "Only outputs scoring under 50%" }).check();
  await expect(samples.getByLabel("Add outputs to dataset")).toHaveValue(dataset.id);
  const first = samples.getByTestId("online-sample").first();
  await first.getByRole("button", { name: "Add to dataset" }).click();
  await expect(first.getByRole("status")).toHaveText(/Added to regressions \(dataset v\d+\)/);
  const items = await listDatasetItems(seeded.database.db, seeded.projectId, dataset.id);
  expect(items.items).toHaveLength(1);
  // Its input was the user's message, not variables: kept beside the item's (empty) variables.
  expect(items.items[0]).toMatchObject({
    tags: ["production"],
    input: {},
    metadata: { loggedInput: "Where is my refund?" },
  });
  expect(String(items.items[0]!.expected)).toContain("Refund sent.");

  // The nav's badge, the prompt page's banner and the inbox; a person acknowledges.
  await expect(page.getByRole("link", { name: /Alerts.*1 open/ })).toBeVisible();
  await page.goto(`/${seeded.slug}/prompts/support-reply`);
  await expect(page.getByTestId("prompt-alerts")).toContainText("rolled back automatically from v2 to v1");
  await expect(page.locator("#deployments")).toContainText("Automatic rollback from v2 to v1");
  await page
    .getByRole("link", { name: /Alerts/ })
    .first()
    .click();
  const alert = page.getByTestId("alert").filter({ hasText: "support-reply" });
  await expect(alert).toContainText("Rolled back automatically");
  await checkedScreenshot(page, "alerts-inbox");
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("Alert acknowledged.")).toBeVisible();
  await expect(page.getByText("Nothing needs your attention.")).toBeVisible();
  await page.getByRole("link", { name: "All" }).click();
  await expect(page.getByTestId("alert").filter({ hasText: "support-reply" })).toContainText("acknowledged by");
});

test("a viewer sees the evaluation but cannot change the rule or acknowledge", async ({ page, seeded }) => {
  await seedPrompt(seeded, "viewer-online", [{ type: "text", template: "Hi." }]);
  await signIn(page, seeded.users.viewer);
  await page.goto(`/${seeded.slug}/online/viewer-online?environment=production`);
  const form = page.getByRole("form", { name: "Online evaluation rule for production" });
  await expect(form).toContainText("manage evaluation settings");
  await expect(form.getByRole("button", { name: "Start evaluating production" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);
});
