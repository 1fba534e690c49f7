// Experiments end to end: defined and started in the UI, fed through the real resolve and events APIs
// with a runtime key, called significant on the dashboard, and shipped — after which resolve serves the
// winner. Also: roles (others see why not) and a ship refused by the environment's rules.
import { createApiKey } from "../lib/auth/api-keys";
import { ingestEvents } from "../lib/events/ingest";
import { setWeights, startExperiment } from "../lib/experiments/lifecycle";
import { createExperiment } from "../lib/experiments/store";
import { updateEnvironmentRules } from "../lib/release/environments";
import {
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

const v1 = {
  type: "text",
  template: "Answer the customer: {{question}}",
  variables: [{ name: "question", type: "string", required: true }],
};
const v2 = { ...v1, template: "Answer the customer in two sentences: {{question}}" };

async function runtimeKey(seeded: Seeded) {
  return (
    await createApiKey(seeded.database.db, { type: "system", label: "e2e" }, seeded.projectId, {
      name: "e2e runtime",
      scope: "runtime",
    })
  ).key;
}

async function http(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${process.env.LECTERN_TEST_BASE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & {
      version: number;
      experiment: { id: string; variant: string; phase: number } | null;
    },
  };
}

/**
 * What an application does: resolve with the user's subject (the server assigns), then report a
 * generation and a thumbs up or down. Variant b is truly better: 80% thumbs up against 30%.
 */
async function driveTraffic(key: string, prompt: string, environment: string, users: number) {
  const events: Record<string, unknown>[] = [];
  const seen = { control: 0, b: 0 } as Record<string, number>;
  for (let from = 0; from < users; from += 25) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(25, users - from) }, (_, j) => from + j).map(async (i) => ({
        i,
        r: await http(
          "GET",
          `/api/v1/prompts/resolve?name=${prompt}&environment=${environment}&subject=user-${i}`,
          key,
        ),
      })),
    );
    for (const { i, r } of answers) {
      expect(r.status).toBe(200);
      const variant = r.body.experiment!.variant;
      const n = seen[variant]!++;
      const up = variant === "b" ? n % 10 < 8 : n % 10 < 3;
      const common = {
        prompt,
        version: r.body.version,
        environment,
        subject: `user-${i}`,
        experimentId: r.body.experiment!.id,
        variant,
      };
      events.push({ id: `fb-${i}`, type: "feedback", ...common, value: up ? 1 : 0 });
      events.push({
        id: `gen-${i}`,
        type: "generation",
        ...common,
        latencyMs: 800 + (i % 9) * 20,
        ttftMs: 200 + (i % 5) * 10,
        inputTokens: 300,
        outputTokens: variant === "b" ? 90 : 140,
        costUsd: variant === "b" ? 0.0002 : 0.0003,
      });
    }
  }
  const sent = await http("POST", "/api/v1/events", key, { events });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  expect(sent.body).toEqual({ accepted: events.length, duplicates: 0 });
  return seen;
}

test("an approver defines and starts an experiment, traffic flows through resolve and events, the dashboard calls it, and the shipped winner is what resolve serves", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2]);
  await seedDeploy(seeded, "support", "production", 1);
  const key = await runtimeKey(seeded);

  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/support`);
  await expect(page.getByRole("region", { name: "Experiments" })).toContainText(
    "No experiment is running on this prompt.",
  );
  await page.getByRole("region", { name: "Experiments" }).getByRole("link", { name: "New experiment" }).click();

  // The form: the prompt, its live version as the control, equal weights, and the plan before anything is saved.
  const form = page.getByRole("form", { name: "New experiment" });
  await expect(form.getByLabel("Prompt", { exact: true })).toHaveValue("support");
  await expect(form.getByLabel("Environment")).toHaveValue("production");
  await expect(form.getByLabel("Variant 1 version")).toHaveValue("1");
  await expect(form.getByLabel("Variant 2 version")).toHaveValue("2");
  await expect(form.getByLabel("Variant 2 weight, percent")).toHaveValue("50");
  await form.getByLabel("Name", { exact: true }).fill("Two-sentence answers");
  await form.getByLabel("Hypothesis").fill("Shorter answers get more thumbs up");
  await form.getByLabel("Baseline rate (%)").fill("30");
  await form.getByLabel("Smallest lift worth detecting (%)").fill("50");
  const plan = page.getByTestId("plan");
  // 30% → 45% at α 0.05 and 80% power: 160 per variant (two-proportion normal approximation).
  await expect(plan).toContainText("160 subjects per variant");
  await expect(plan).toContainText("320 in all");

  // A server refusal comes back at its field: two variants serving one version.
  await form.getByLabel("Variant 2 version").selectOption("1");
  await form.getByRole("button", { name: "Save as draft" }).click();
  await expect(form.getByRole("group", { name: "Variants" }).getByRole("alert")).toContainText(
    "Each variant must serve a different version",
  );
  await expectNoSeriousA11yViolations(page);
  await form.getByLabel("Variant 2 version").selectOption("2");
  await expect(form.getByRole("group", { name: "Variants" }).getByRole("alert")).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "experiment-form");
  await form.getByRole("button", { name: "Save as draft" }).click();

  // The draft: nothing changes for users until it starts.
  await expect(page.getByRole("heading", { level: 1, name: "Two-sentence answers" })).toBeVisible();
  await expect(page.getByTestId("headline")).toHaveText("Not started yet.");
  await page.getByRole("button", { name: "Start experiment…" }).click();
  await page
    .getByRole("dialog", { name: "Start “Two-sentence answers”" })
    .getByRole("button", { name: "Start now" })
    .click();
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");

  const seen = await driveTraffic(key, "support", "production", 240);
  expect(seen.control! + seen.b!).toBe(240);
  expect(Math.min(seen.control!, seen.b!)).toBeGreaterThan(80);

  await page.reload();
  await expect(page.getByTestId("headline")).toHaveText("Recommendation: ship b.");
  await expect(page.getByTestId("arm-b")).toContainText("significantly better");
  await expect(page.getByTestId("arm-b")).toContainText("winner");
  await expect(page.getByTestId("verdict")).toContainText("b is better than control on thumbs");
  await expect(page.getByTestId("lift-summary")).toContainText("b: +");
  await expect(page.getByTestId("guardrail-b-latency_ms")).toContainText("holding");
  await expect(page.getByTestId("srm-warning")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "experiment-dashboard");

  await page.getByRole("button", { name: "Stop and decide…" }).click();
  const stop = page.getByRole("dialog", { name: "Stop “Two-sentence answers”" });
  await expect(stop.getByRole("radio", { name: /Ship b \(version 2\)/ })).toBeChecked();
  await stop.getByLabel("Reason (kept with the decision)").fill("b wins on thumbs up");
  await expectNoSeriousA11yViolations(page);
  await stop.getByRole("button", { name: "Ship b to production" }).click();
  await expect(page.getByTestId("headline")).toHaveText("Shipped b: production now serves version 2.");
  await expect(page.getByTestId("decision")).toContainText("b wins on thumbs up");

  // Resolve serves the winner to everyone, with no experiment.
  const after = await http("GET", "/api/v1/prompts/resolve?name=support&environment=production&subject=user-1", key);
  expect(after.body).toMatchObject({ version: 2, experiment: null });

  // The prompt page: the deployment names the experiment; cost and latency per version from the generation events.
  await page.goto(`/${seeded.slug}/prompts/support`);
  await expect(page.getByTestId("live-production")).toHaveText("v2");
  await expect(page.getByRole("list", { name: "Deployments" })).toContainText("Two-sentence answers");
  await expect(page.getByTestId("version-stats-2")).toContainText("$0.0002");
  await expect(page.getByTestId("version-stats-1")).toContainText("$0.0003");
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "prompt-page-experiments");

  await page.goto(`/${seeded.slug}/experiments`);
  await expect(page.getByTestId("experiment-row")).toContainText("Shipped b");
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "experiments-list");
});

/** A running 50/50 sequential experiment on "support" (control v1, b v2) in an environment. */
async function runningSplit(seeded: Seeded, environment: string, name: string) {
  const e = await createExperiment(systemCtx(seeded), {
    prompt: "support",
    environment,
    name,
    variants: [
      { key: "control", version: 1, weight: 0.5 },
      { key: "b", version: 2, weight: 0.5 },
    ],
    mode: "sequential",
    primaryMetric: { name: "thumbs", kind: "binary" },
  });
  await startExperiment(systemCtx(seeded), e.id);
  return e;
}

test("editors see experiments but not the buttons, and are told why", async ({ page, seeded }) => {
  await seedPrompt(seeded, "support", [v1, v2]);
  await seedDeploy(seeded, "support", "staging", 1);
  await runningSplit(seeded, "staging", "Shorter");

  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/experiments`);
  await expect(
    page.getByText("Your role (editor) cannot manage experiments; approver or higher is required."),
  ).toBeVisible();
  await page.getByRole("link", { name: "Shorter" }).click();
  const stop = page.getByRole("button", { name: "Stop and decide…" });
  await expect(stop).toHaveAttribute("aria-disabled", "true");
  await expect(stop).toHaveAccessibleDescription(/Your role \(editor\) cannot manage experiments/);
  await page.goto(`/${seeded.slug}/prompts/support`);
  await expect(page.getByTestId("running-experiment")).toContainText("Shorter");
});

test("a ship the environment's rules refuse says which rule, and the experiment keeps running", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2]);
  await seedDeploy(seeded, "support", "production", 1);
  // The experiment started before production required reviews (a start is checked against the rules too);
  // shipping is checked against the rules as they are now.
  const e = await runningSplit(seeded, "production", "Needs review");
  await updateEnvironmentRules(systemCtx(seeded), "production", { requiresReview: true });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${e.id}`);
  await page.getByRole("button", { name: "Stop and decide…" }).click();
  const stop = page.getByRole("dialog", { name: "Stop “Needs review”" });
  await stop.getByRole("radio", { name: /Ship b/ }).check();
  await expect(stop).toContainText("it requires an approved review of the version");
  await stop.getByRole("button", { name: "Ship b to production" }).click();
  await expect(stop.getByRole("alert")).toContainText("Production requires an approved review");
  await stop.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");
  await expect(page.getByRole("button", { name: "Stop and decide…" })).toBeVisible();
});

test("a bandit's weights over time; a fixed-horizon test that waits for its sample, reweighted in the UI", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "support", [v1, v2, { ...v1, template: "Answer briefly: {{question}}" }]);
  await seedDeploy(seeded, "support", "staging", 1);
  await seedDeploy(seeded, "support", "production", 1);
  const bandit = await createExperiment(systemCtx(seeded), {
    prompt: "support",
    environment: "staging",
    name: "Three styles",
    variants: [
      { key: "control", version: 1, weight: 1 / 3 },
      { key: "b", version: 2, weight: 1 / 3 },
      { key: "c", version: 3, weight: 1 / 3 },
    ],
    mode: "bandit",
    bandit: { algorithm: "thompson", floor: 0.05, burnIn: 100 },
    primaryMetric: { name: "completed", kind: "binary" },
  });
  await startExperiment(systemCtx(seeded), bandit.id);
  // What the reweighting job does (lib/experiments/bandit-job.ts), with the chance each arm is best.
  await setWeights(
    systemCtx(seeded),
    bandit.id,
    { weights: { control: 0.2, b: 0.5, c: 0.3 }, reason: "bandit reweight" },
    [0.1, 0.6, 0.3],
  );
  await setWeights(
    systemCtx(seeded),
    bandit.id,
    { weights: { control: 0.1, b: 0.75, c: 0.15 }, reason: "bandit reweight" },
    [0.02, 0.9, 0.08],
  );

  const fixed = await createExperiment(systemCtx(seeded), {
    prompt: "support",
    environment: "production",
    name: "Briefer answers",
    variants: [
      { key: "control", version: 1, weight: 0.5 },
      { key: "brief", version: 3, weight: 0.5 },
    ],
    mode: "fixed",
    primaryMetric: { name: "thumbs", kind: "binary" },
    baseline: { rate: 0.3 },
    minDetectableEffect: 0.5,
  });
  await startExperiment(systemCtx(seeded), fixed.id);
  const events = Array.from({ length: 60 }, (_, i) => ({
    id: `fx-${i}`,
    type: "feedback",
    prompt: "support",
    version: i % 2 ? 3 : 1,
    environment: "production",
    subject: `u-${i}`,
    experimentId: fixed.id,
    variant: i % 2 ? "brief" : "control",
    value: i % 3 === 0 ? 1 : 0,
  }));
  await ingestEvents(seeded.database.db, seeded.projectId, { events });

  await signIn(page, seeded.users.admin);
  await page.goto(`/${seeded.slug}/experiments/${bandit.id}`);
  const weights = page.getByRole("region", { name: "Bandit weights over time" });
  await expect(weights.getByRole("table", { name: "Weights per phase" }).locator("tbody tr")).toHaveCount(3);
  await expect(weights).toContainText("best: 90%");
  await expect(page.getByRole("button", { name: "Change weights…" })).toHaveAccessibleDescription(
    /A bandit sets its own weights/,
  );
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, "experiment-bandit");

  await page.goto(`/${seeded.slug}/experiments/${fixed.id}`);
  await expect(page.getByTestId("headline")).toHaveText("Not enough data yet.");
  await expect(page.getByTestId("verdict")).toContainText(
    "Not enough data yet: 30 of 160 planned subjects per variant (130 more needed per variant before a result can be called).",
  );
  await page.getByRole("button", { name: "Change weights…" }).click();
  const dialog = page.getByRole("dialog", { name: "Change the weights of “Briefer answers”" });
  await dialog.getByLabel("control (version 1, control), %").fill("70");
  await expect(dialog).toContainText("The weights add up to 120%");
  await dialog.getByLabel("brief (version 3), %").fill("30");
  await dialog.getByRole("button", { name: "Start a new phase with these weights" }).click();
  await expect(page.getByRole("region", { name: "Traffic split over time" })).toContainText("70%");
  await expect(page.getByTestId("arm-brief")).toContainText("30%");
  // A new phase counts its own subjects: the 60 of phase 1 are not mixed in.
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");
  await screenshot(page, "experiment-fixed-reweighted");
});
