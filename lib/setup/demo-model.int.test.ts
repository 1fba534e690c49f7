// The demo works on a fresh install with nothing configured (docs/decisions/demo-without-model.md): the demo project's
// default connection is the built-in scripted model, and through the same resolver the server uses — with no
// LLM_BASE_URL, no model server, no network — a gate run, a partial's gate run, the optimizer, shadow
// evaluation and the playground all complete, each saying which model answered.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import type { Actor } from "../auth/permissions";
import { ingestEvents } from "../ingest/ingest";
import { runShadow } from "../evaluation/online/shadow/shadow";
import { scorePendingSamples } from "../evaluation/online/scoring";
import { runPromptPlayground } from "../evaluation/playground";
import { createEvalRun, executeRun, getEvalRun, parseCreateRunInput, runSubject } from "../evaluation/runs";
import { listConnections } from "../llm/connections";
import { SCRIPTED_LABEL } from "../llm/provider-labels";
import { createCallerResolver } from "../llm/resolver";
import { createOptimization, executeOptimization, getOptimization } from "../optimization";
import { createVersion } from "../registry/versions";
import { noEvents } from "../announcements";
import { createScorerModels } from "../scorers";
import { bootstrap } from "./bootstrap";
import { demoDatasetName } from "./demo-evaluation";
import { projectContext } from "../context";

let t: TestDatabase;
let projectId = "";
let admin: Actor;
// The server's resolver with nothing configured: no LLM_BASE_URL fallback, and no private address allowed.
const resolver = createCallerResolver({
  encryptionKey: () => new Uint8Array(32),
  allowPrivate: false,
  maxResponseBytes: 1 << 20,
});
const ctx = () => ({ db: t.db, actor: admin, projectId, events: noEvents });
const start = { enqueue: async () => {}, limits: null, models: resolver };
const runDeps = { modelsFor: (id: string) => resolver.resolveAll(t.db, id) };
const scorerModels = async (id: string) => createScorerModels(await resolver.resolveAll(t.db, id));

beforeAll(async () => {
  t = await createTestDatabase();
  ({ projectId } = await bootstrap(t.db, { seedDemo: true }));
  const [user] = await t.db.select().from(users).where(eq(users.email, "admin@lectern.local"));
  admin = { type: "user", id: user!.id, label: user!.email, role: "admin" };
});
afterAll(async () => t?.drop());

const gateRun = async (version: number, partials?: Record<string, number>) => {
  const run = await createEvalRun(
    ctx(),
    parseCreateRunInput({ prompt: "support-reply", version, gate: "production", partials }),
    start,
  );
  expect(await executeRun(t.db, run.id, runDeps)).toMatchObject({ status: "completed" });
  return getEvalRun(t.db, projectId, run.id);
};

describe("the demo on a fresh install, with no model configured", () => {
  it("has the built-in scripted model as its default connection, named as such", async () => {
    const [c, ...others] = await listConnections(projectContext(t.db, admin, projectId, noEvents));
    expect(others).toEqual([]);
    expect(c).toMatchObject({ name: SCRIPTED_LABEL, provider: "scripted", isDefault: true, baseUrl: null });
    expect(c!.apiKeyHint).toBeNull();
  });

  it("runs production's gate from the plan: the run names the scripted model, and the scores differ by version", async () => {
    const v1 = await gateRun(1);
    const v3 = await gateRun(3);
    for (const r of [v1, v3]) expect(r.connectionName).toBe(SCRIPTED_LABEL);
    expect(v1.costUsd).toBe(0);
    // Version 3 asks for under 120 words and a next step; version 1 does not, and its answers sometimes
    // ramble or stop without one: sensible, varied scores.
    expect(v3.scores).toMatchObject({ concise: 1, next_step: 1, safe: 1 });
    expect(v1.scores.concise).toBeGreaterThan(0.4);
    expect(v1.scores.concise).toBeLessThan(1);
    expect(v1.scores.next_step).toBeLessThan(1);
    expect(v3.score!).toBeGreaterThan(v1.score!);
  });

  it("runs a partial's gate run for a prompt that includes it, titled with the candidate partial", async () => {
    await createVersion(ctx(), "shared/tone", {
      type: "text",
      template: "Write in a warm, plain tone. Use short sentences.",
      commitMessage: "Shorter house style",
    });
    const run = await gateRun(1, { "shared/tone": 2 });
    expect(runSubject(run)).toBe("support-reply v1 with shared/tone v2");
    expect(run.connectionName).toBe(SCRIPTED_LABEL);
  });

  it("optimizes: version 1 gets a better draft; version 3 has nothing to gain, and says so", async () => {
    const optimize = async (version: number) => {
      const row = await createOptimization(
        ctx(),
        { prompt: "support-reply", version, dataset: demoDatasetName, budget: { calls: 400, costUsd: 5 } },
        start,
      );
      expect(row.connectionName).toBe(SCRIPTED_LABEL);
      expect(await executeOptimization(t.db, row.id, { modelsFor: scorerModels })).toEqual({ status: "completed" });
      return getOptimization(t.db, projectId, row.id);
    };
    const better = await optimize(1);
    expect(better).toMatchObject({ outcome: "improved", comparison: { overall: { direction: "better" } } });
    expect(better.draft).toBeDefined();
    expect(better.candidates[better.best!.index]!.instruction).toMatch(/under 120 words|next step/);
    const same = await optimize(3);
    expect(same.outcome).toBe("no_improvement");
    expect(same.draft).toBeUndefined();
  });

  it("answers in the playground, and in the shadow of the live summarizer", async () => {
    const play = (version: number) =>
      runPromptPlayground(
        projectContext(t.db, admin, projectId, noEvents),
        "support-reply",
        {
          version,
          variables: {
            customer_name: "Ann",
            ticket: "My order has not arrived after two weeks.",
            kb_excerpt: "Orders ship within 2 days; tracking links are in the confirmation email.",
          },
        },
        resolver,
      );
    const played = await play(3);
    expect(played.error).toBeNull();
    expect(played.connection).toMatchObject({ name: SCRIPTED_LABEL, provider: "scripted" });
    // Version 3 asks for under 120 words and a next step: brief, without version 2's pleasantry.
    expect(played.output).toMatch(/^Hi Ann\. .*Next step/s);
    expect((await play(2)).output).toMatch(/^Hi Ann, thanks for reaching out\./);

    // New live answers of the summarizer: the demo's rule samples them and version 2 answers in the shadow.
    const document = "Hana Ito from Search reports that 77 orders were delayed on Friday; the fix ships in 3 days.";
    await ingestEvents(t.db, projectId, {
      events: [0, 1, 2].map((i) => ({
        id: `fresh-${i}`,
        type: "generation" as const,
        prompt: "summarizer",
        version: 1,
        environment: "production",
        subject: `fresh-reader-${i}`,
        at: new Date().toISOString(),
        latencyMs: 900,
        inputTokens: 190,
        outputTokens: 45,
        costUsd: 0.0006,
        model: "gpt-4o-mini",
        input: { document: `${document} (${i})`, doc_type: "incident report", max_bullets: 3 },
        output: `- Hana Ito (Search): 77 orders delayed on Friday.\n- Fix ships in 3 days.`,
      })),
    });
    await scorePendingSamples(t.db, scorerModels);
    const shadow = await runShadow(t.db, scorerModels, { concurrency: 1 });
    expect(shadow).toMatchObject({ answered: 3, failed: 0 });
  });
});
