// A gate decides on evidence, not on whatever part of a run happened to work (gate-evidence.ts): runs
// executed for real through the local model server, with versions that cannot be rendered for most of
// the gate's items. A run whose items failed counts as completed and has a score (the mean over the
// items that ran), so the release plan, promote, the API's release plan, the gate status and
// auto-promote must all refuse it; and a paired gate needs enough real pairs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { newRun } from "../../../test/eval-runs-fixture";
import { failure, liveVersion, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { localCaller } from "../../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../../test/llm-server";
import { addItems, createDataset } from "../../evaluation/datasets";
import { executeRun, getEvalRun, recordRun, type RunDeps } from "../../evaluation/runs";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { autoPromote } from "./auto-promote";
import { startRollout } from "../../experiments/rollouts/rollouts";
import { getEnvironmentRow, updateEnvironment } from "../environments";
import { noEvents } from "../../announcements";
import { gateStatus } from "./gate-status";
import { planFor } from "../plan/plan-facts";
import { promoteVersion } from "../promote";
import { getVersionReleasePlan } from "../../views/prompt-reads";
import { decideReview, requestReview } from "../reviews/reviews";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;
let deps: RunDeps;

const ITEMS = 40;
// "thanks" passes when the reply thanks the customer; "concise" when it is at most 12 words.
const scorers = [
  { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
  { type: "length", name: "concise", unit: "words", max: 12 },
];
const config = { model: "scripted-model" };
const q = { name: "q" };
// Only item 0 has x; items 0–4 have y.
const missing = (v: string) => `the version cannot be rendered for this item: Missing required variables: ${v}`;
const versions = [
  { template: "Reply to {{q}}", variables: [q] }, // v1: thanks, concisely
  { template: "Reply to {{q}} for {{x}}", variables: [q, { name: "x" }] }, // v2: renders for item 0 only
  { template: "Answer {{q}}", variables: [q] }, // v3: as good as v1
  { template: "Reply to {{q}} about {{y}}", variables: [q, { name: "y" }] }, // v4: renders for 5 items
];

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "gate-evidence");
  server = await startLlmServer({
    script: {
      // v2's one answer fails both scorers: it scores 0.
      rules: [{ match: "for order", text: "This is fixed now and here are many more words than a concise reply has." }],
      default: { text: "Thank you, it is fixed." },
    },
  });
  const caller = localCaller(server, { concurrency: 16, maxRetries: 0 });
  deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
  const ctx = f.ctx(f.editor);
  for (const name of ["reply", "brief"]) {
    const [first, ...rest] = name === "reply" ? versions : [versions[3]!, versions[0]!];
    await createPrompt(ctx, { name, type: "text", ...first!, config });
    for (const v of rest) await createVersion(ctx, name, { ...v, config });
  }
  const tickets = await createDataset(f.ctx(f.admin), { name: "tickets" });
  await addItems(
    f.ctx(f.admin),
    tickets.id,
    Array.from({ length: ITEMS }, (_, i) => ({
      input: { q: `ticket ${i}`, ...(i === 0 && { x: "order 7" }), ...(i < 5 && { y: "billing" }) },
      tags: [],
      metadata: {},
    })),
    { source: "test" },
  );
  const few = await createDataset(f.ctx(f.admin), { name: "few" });
  await addItems(
    f.ctx(f.admin),
    few.id,
    Array.from({ length: 5 }, (_, i) => ({ input: { q: `ticket ${i}` }, tags: [], metadata: {} })),
    { source: "test" },
  );
  // Live before any gate: reply v1 in development and staging, brief v1 (renders for 5 items) in development.
  await promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 1 });
  await promoteVersion(f.ctx(f.editor), "reply", { environment: "staging", version: 1 });
  await promoteVersion(f.ctx(f.editor), "brief", { environment: "development", version: 1 });
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});

const gate = (environment: string, mode: "threshold" | "paired" | "both", extra: Record<string, unknown> = {}) =>
  updateEnvironment(f.ctx(f.admin), environment, {
    evaluationGate: { dataset: "tickets", mode, maxDrop: 1, scorers, ...extra },
  });

/** Runs a version of a prompt on the tickets with the gate's scorers, through the model server. */
async function run(prompt: string, version: number, runDeps: RunDeps = deps) {
  const r = await newRun(f.ctx(f.editor), {
    prompt,
    version,
    dataset: "tickets",
    scorers,
    environment: "development",
  });
  await executeRun(t.db, r.id, runDeps);
  return getEvalRun(t.db, f.projectId, r.id);
}

async function step(prompt: string, version: number, environment = "development") {
  const p = await getPrompt(t.db, f.projectId, prompt);
  const plan = await planFor(t.db, p, await getEnvironmentRow(t.db, f.projectId, environment), version);
  return plan.steps.find((s) => s.id === "evaluation")!;
}

describe("a gate run whose items failed", () => {
  it("paired: 39 of 40 items that could not be rendered and one scoring 0 do not pass, on any path", async () => {
    await gate("development", "paired");
    await run("reply", 1);
    const bad = await run("reply", 2);
    // The run completes, with the score of the one item that rendered: this is what the gate used to read.
    expect(bad).toMatchObject({ status: "completed", score: 0, progress: { done: ITEMS, total: ITEMS } });
    const s = await step("reply", 2);
    const detail = `39 of 40 gate items failed for version 2 in run ${bad.id} on tickets (version 1) (the first: ${missing("x")}); a gate needs every item to run and be scored.`;
    expect(s).toMatchObject({ met: false, detail, evaluation: { items: ITEMS, failedItems: 39, score: 0 } });
    // Each scorer paired one item, not 40.
    expect(s.evaluation!.paired!.scorers.map((x) => [x.name, x.n])).toEqual([
      ["thanks", 1],
      ["concise", 1],
    ]);
    // Promote, the API's release plan and the gate's refusal all say the same.
    const e = await failure(promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 2 }));
    expect(e.code).toBe("gate_failed");
    expect(e.message).toBe(`development has an evaluation gate: ${detail}`);
    expect(e.details).toMatchObject({ failedItems: 39, items: ITEMS });
    const api = await getVersionReleasePlan(t.db, f.projectId, "reply", "2", "development");
    expect(api).toMatchObject({ status: "blocked", missing: ["evaluation"] });
    expect(api.steps.find((x) => x.id === "evaluation")!.detail).toBe(detail);
    // An approved review deploys through the same plan: refused, the review stays pending.
    const review = await requestReview(f.ctx(f.editor), "reply", {
      version: 2,
      environment: "development",
      acknowledgeMissing: true,
    });
    const approval = await failure(decideReview(f.ctx(f.approver), review.id, { decision: "approve" }));
    expect([approval.code, approval.message]).toEqual(["gate_failed", e.message]);
    expect(await liveVersion(t.db, f, "reply", "development")).toBe(1);
  });

  it("auto-promote does not promote it, even with a threshold of 0", async () => {
    await gate("staging", "paired");
    await updateEnvironment(f.ctx(f.admin), "staging", { autoPromote: { minScore: 0 } });
    let decisions: Awaited<ReturnType<typeof autoPromote>> = [];
    const withAuto: RunDeps = {
      ...deps,
      onCompleted: async (db, r) => void (decisions = await autoPromote(db, r, noEvents, startRollout)),
    };
    const bad = await run("reply", 2, withAuto);
    expect(bad).toMatchObject({ status: "completed", score: 0 });
    expect(decisions).toEqual([
      {
        environment: "staging",
        action: "skipped",
        reason: expect.stringContaining(`not promoted: staging has an evaluation gate: 39 of 40 gate items failed`),
      },
    ]);
    expect(await liveVersion(t.db, f, "reply", "staging")).toBe(1);
    await updateEnvironment(f.ctx(f.admin), "staging", { evaluationGate: null, autoPromote: null });
  });

  it("threshold and both: 5 items of 40 rendered (the others count as failures) do not meet a minimum of 80%", async () => {
    const four = await run("reply", 4);
    // The 5 that rendered scored 100%; the 35 that did not count as failures in the run's score.
    expect(four).toMatchObject({ status: "completed", score: 5 / 40 });
    for (const mode of ["threshold", "both"] as const) {
      await gate("development", mode, { minScore: 0.8 });
      const s = await step("reply", 4);
      expect(s).toMatchObject({
        met: false,
        detail: `35 of 40 gate items failed for version 4 in run ${four.id} on tickets (version 1) (the first: ${missing("y")}); a gate needs every item to run and be scored.`,
        evaluation: { mode, score: 5 / 40, failedItems: 35 },
      });
    }
  });

  it("the gate status lists a failed run as counting but not passing, not as one to run again", async () => {
    // brief v1 is live in development and its run failed on 35 items; reply v2 waits for a review there.
    await run("brief", 1);
    const [status] = (await gateStatus(t.db, f.projectId)).filter((g) => g.environment === "development");
    expect(status!.versions.find((v) => v.prompt === "brief" && v.version === 1)).toMatchObject({
      state: "fails",
      detail: expect.stringMatching(/^35 of 40 gate items failed for version 1/),
    });
    expect(status!.versions.find((v) => v.prompt === "reply" && v.version === 2)).toMatchObject({
      state: "fails",
      detail: expect.stringMatching(/^39 of 40 gate items failed for version 2/),
    });
    expect(status!.needRun).toBe(0);
  });

  it("a gate scorer that could not judge some items fails those items too", async () => {
    const exact = [{ type: "exact_match" }];
    await updateEnvironment(f.ctx(f.admin), "development", {
      evaluationGate: { dataset: "tickets", mode: "threshold", minScore: 0.5, maxDrop: 1, scorers: exact },
    });
    // The items have no expected answer: exact_match cannot judge any of them.
    const r = await newRun(f.ctx(f.editor), { prompt: "reply", version: 3, dataset: "tickets", scorers: exact });
    await executeRun(t.db, r.id, deps);
    // The run could not score any answer: no verdict, and it says why.
    expect(await getEvalRun(t.db, f.projectId, r.id)).toMatchObject({
      status: "unscored",
      error:
        "exact_match could not score any answer: exact_match needs the item's expected output, or a value in the scorer spec",
    });
    expect(await step("reply", 3)).toMatchObject({
      met: false,
      detail: expect.stringMatching(
        /^40 of 40 gate items failed for version 3 in run .+ \(the first: exact_match could not judge the answer: exact_match needs the item's expected output/,
      ),
    });
  });
});

describe("a paired gate's pairs", () => {
  it("too few pairs because the live version's run failed: unmet, with each scorer's real count", async () => {
    await gate("development", "paired");
    const live = await run("brief", 1);
    await run("brief", 2);
    const s = await step("brief", 2);
    expect(s.met).toBe(false);
    expect(s.detail).toBe(
      `Too few paired items on thanks: 5 of 40, and on concise: 5 of 40; a paired gate needs 32 (80% of the gate's 40 items, and at least 10) scored by both version 2 and live version 1 on every gate scorer. Live version 1's run ${live.id} failed on 35 of 40 items (the first: ${missing("y")}).`,
    );
    expect(s.action).toMatchObject({ kind: "run_evaluation", version: 1 });
  });

  it("a healthy paired run still passes, and promotes", async () => {
    await gate("development", "paired");
    await run("reply", 3);
    const s = await step("reply", 3);
    expect(s).toMatchObject({ met: true, evaluation: { failedItems: 0, pairsNeeded: 32 } });
    expect(s.detail).toContain(
      "Item by item, no gate scorer is clearly lower than live version 1 (40 items; paired t test).",
    );
    await promoteVersion(f.ctx(f.editor), "reply", { environment: "development", version: 3 });
    expect(await liveVersion(t.db, f, "reply", "development")).toBe(3);
  });

  it("a 5-item gate: a version that drops the thanks on every item is refused, one as good passes", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: { dataset: "few", mode: "paired", maxDrop: 1, scorers },
    });
    const record = (version: number, text: string) =>
      recordRun(f.ctx(f.admin), { prompt: "reply", version, dataset: "few", scorers, environment: "staging" }, () => ({
        text,
      }));
    await record(1, "Thank you, it is fixed.");
    await record(3, "Fixed.");
    const s = await step("reply", 3, "staging");
    // Alone, the paired test finds no significant loss: 5 equal differences, p = 0.037, Holm-adjusted 0.074.
    expect(s.evaluation!.paired!.scorers.find((x) => x.name === "thanks")).toMatchObject({ n: 5, direction: "same" });
    expect(s).toMatchObject({
      met: false,
      detail:
        "On a gate of fewer than 10 items a paired test can hardly find a loss, so no gate scorer may be lower on average: version 3 is below live version 1 on thanks by 100.0 points (5 items).",
    });
    await record(4, "Thank you, it is fixed.");
    expect(await step("reply", 4, "staging")).toMatchObject({ met: true });
  });
});
