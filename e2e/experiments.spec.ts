// Experiments end to end: defined and started in the UI, fed through the real resolve and events APIs
// with a runtime key, called significant on the dashboard, and shipped — after which resolve serves the
// winner. Roles and the environment's rules: experiment-rules.spec.ts; bandits and phases:
// experiment-phases.spec.ts; CUPED: cuped.spec.ts.
import { assign } from "../lib/experiments/assign";
import { getExperiment } from "../lib/experiments/store";
import { startFromPage, v1, v2 } from "./experiment-fixtures";
import {
  checkedScreenshot,
  expect,
  expectNoSeriousA11yViolations,
  screenshot,
  seedApiKey,
  type Seeded,
  seedPrompt,
  signIn,
  test,
} from "./fixtures";

async function runtimeKey(seeded: Seeded) {
  return await seedApiKey(seeded, {
    name: "e2e runtime",
    scope: "runtime",
  });
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
/**
 * Resolves each subject through the API (which assigns and records the exposure), then posts a thumbs
 * and a generation for each: 80% thumbs up in b, 30% in control, by each subject's place in its variant.
 */
async function driveTraffic(key: string, prompt: string, environment: string, subjects: string[]) {
  const events: Record<string, unknown>[] = [];
  const seen = { control: 0, b: 0 } as Record<string, number>;
  for (let from = 0; from < subjects.length; from += 25) {
    const answers = await Promise.all(
      subjects.slice(from, from + 25).map(async (subject) => ({
        i: Number(subject.slice("user-".length)),
        r: await http(
          "GET",
          `/api/v1/prompts/resolve?name=${prompt}&environment=${environment}&subject=${subject}`,
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
        // From the subject's place in its own arm, not its number: the arms' latencies are then the same values
        // (the subjects' numbers fall into arms by the experiment's random seed, which once left b's latency
        // higher by chance and the guardrail rightly called it breached).
        latencyMs: 800 + (n % 9) * 20,
        ttftMs: 200 + (n % 5) * 10,
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
  await seedPrompt(seeded, "support", [v1, v2], { live: ["production"] });
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
  await startFromPage(page, "Two-sentence answers");
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");

  // 120 users in each variant, chosen by the experiment's own assignment: a random split of 240 users
  // sometimes strayed far enough from 50/50 that the page rightly distrusted the traffic split.
  const { seed } = await getExperiment(seeded.database.db, seeded.projectId, page.url().split("/").pop()!);
  const variants = [
    { key: "control", weight: 0.5 },
    { key: "b", weight: 0.5 },
  ];
  const subjects: string[] = [];
  const picked = { control: 0, b: 0 } as Record<string, number>;
  for (let n = 0; picked.control! < 120 || picked.b! < 120; n++) {
    const variant = assign({ seed, coverage: 1, variants }, `user-${n}`)!.key;
    if (picked[variant]! < 120) {
      picked[variant]!++;
      subjects.push(`user-${n}`);
    }
  }
  const seen = await driveTraffic(key, "support", "production", subjects);
  expect(seen).toEqual({ control: 120, b: 120 });

  await page.reload();
  await expect(page.getByTestId("headline")).toHaveText("Recommendation: ship b.");
  await expect(page.getByTestId("arm-b")).toContainText("significantly better");
  await expect(page.getByTestId("arm-b")).toContainText("winner");
  await expect(page.getByTestId("verdict")).toContainText("b is better than control on thumbs");
  await expect(page.getByTestId("lift-summary")).toContainText("b: +");
  await expect(page.getByTestId("guardrail-b-latency_ms")).toContainText("holding");
  await expect(page.getByTestId("srm-warning")).toHaveCount(0);
  await checkedScreenshot(page, "experiment-dashboard");

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
  // Latency's median and 95th percentile under its mean, from the kept bins.
  await expect(page.getByTestId("version-stats-1")).toContainText(/p50 \d[\d,.]* ?m?s · p95 \d/);
  await checkedScreenshot(page, "prompt-page-experiments");

  await page.goto(`/${seeded.slug}/experiments`);
  await expect(page.getByTestId("experiment-row")).toContainText("Shipped b");
  await checkedScreenshot(page, "experiments-list");
});
