// An optimization on the demo's own data (bootstrap with the demo: support-reply, its 120-item regression
// dataset and its scorers), with the local model server playing the model and the reflection: it compares
// on the demo's held-out items and, finding nothing better, says so with no draft; a small budget stops
// the search.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drafts as draftsTable, users } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { localCaller } from "../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import type { Actor } from "../auth/permissions";
import { noEvents } from "../announcements";
import { createScorerModels } from "../scorers";
import { bootstrap } from "../setup/bootstrap";
import { demoDatasetName } from "../setup/demo-evaluation";
import { createOptimization, executeOptimization, getOptimization, type OptimizationDeps } from ".";

let t: TestDatabase;
let server: LlmServer;
let deps: OptimizationDeps;
let projectId = "";
let admin: Actor;

// The starting version's answers have no next step; the instruction the reflection proposes makes the model
// promise one (the demo's next_step scorer looks for it).
const script = {
  rules: [
    { match: "New Value", text: "newValue: Reply to the customer and always say what the next step is." },
    { match: "Feedback Summary", text: "feedbackSummary: Answers must name the next step." },
    { match: "next step is", text: "Sorry about that. The next step: I will refund you today." },
  ],
  default: { text: "Sorry about that." },
};

beforeAll(async () => {
  t = await createTestDatabase();
  ({ projectId } = await bootstrap(t.db, { seedDemo: true }));
  const [user] = await t.db.select().from(users).where(eq(users.email, "admin@lectern.local"));
  admin = { type: "user", id: user!.id, label: user!.email, role: "admin" };
  server = await startLlmServer({ script });
  deps = { modelsFor: () => createScorerModels(() => localCaller(server, { maxRetries: 0 })) };
});
afterAll(async () => {
  await server?.stop();
  await t?.drop();
});
beforeEach(() => server.reset());

const start = (calls: number) =>
  createOptimization(
    { db: t.db, actor: admin, projectId, events: noEvents },
    { prompt: "support-reply", version: 1, dataset: demoDatasetName, budget: { calls, costUsd: 5 } },
    { enqueue: async () => {}, limits: null, models: null },
  );

describe("an optimization on the demo's dataset", () => {
  it("says it found nothing when the search finds nothing better on the demo's data: no draft", async () => {
    const drafts = (await t.db.select().from(draftsTable)).length;
    const row = await start(1_000);
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    const o = await getOptimization(t.db, projectId, row.id);
    expect(o.split!.train + o.split!.heldOut).toBe(120);
    expect(o.calls).toBe(server.requests.length);
    // With this script GEPA keeps the starting instruction on the demo's chat prompt and no answer scores
    // well enough to become an example: the candidate is version 1 itself, and the optimization says so
    // instead of comparing it with itself or offering a draft to merge.
    expect(o.best).toMatchObject({ index: 0, examples: 0 });
    expect(o.outcome).toBe("no_improvement");
    expect(o.comparison).toBeUndefined();
    expect(o.draft).toBeUndefined();
    expect(o.noImprovement).toMatch(/found no instruction or examples that scored better/);
    expect((await t.db.select().from(draftsTable)).length).toBe(drafts);
  });

  it("stops the search at a small call budget, and says it found nothing", async () => {
    const refused = await start(1).catch((e: { details?: { minimum?: number } }) => e);
    const least = (refused as { details?: { minimum?: number } }).details?.minimum;
    expect(least).toBeGreaterThan(1);
    const row = await start(least! + 4);
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    const o = await getOptimization(t.db, projectId, row.id);
    expect(o.calls).toBeLessThanOrEqual(least! + 4);
    expect(o.calls).toBe(server.requests.length);
    expect(o.searchStoppedBy).toBe("budget");
    expect(o.outcome).toBe("no_improvement");
  });
});
