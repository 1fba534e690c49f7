// The scoring tick takes projects in turns (docs/decisions/bounded-work.md): one project's
// flood of sampled outputs does not hold another project's behind it — each project with samples waiting
// gets its share of the tick, oldest first.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onlineSamples } from "../../../db/schema";
import { type TestDatabase } from "../../../test/db";
import { projectDatabaseForFile, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { ingestEvents } from "../../ingest/ingest";
import { createPrompt } from "../../registry/prompts";
import { promoteVersion } from "../../release/promote";
import { putOnlineEvaluation } from "./rules";
import { scorePendingSamples } from "./scoring";

let t: TestDatabase;
let a: Fixture;
let b: Fixture;

async function live(f: Fixture) {
  await createPrompt(f.ctx(f.editor), {
    name: "reply",
    type: "text",
    template: "Reply to {{q}}",
    variables: [{ name: "q" }],
  });
  await promoteVersion(f.ctx(f.approver), "reply", { environment: "staging", version: 1 });
  await putOnlineEvaluation(f.ctx(f.approver), "reply", {
    environment: "staging",
    sampleRate: 1,
    scorers: [{ type: "length", max: 40 }],
    signals: [],
    window: 200,
    minSamples: 20,
    alert: { maxDrop: 0.1 },
  });
}

const outputs = (f: Fixture, n: number, tag: string) =>
  ingestEvents(t.db, f.projectId, {
    events: Array.from({ length: n }, (_, i) => ({
      id: `${tag}-${i}`,
      type: "generation",
      prompt: "reply",
      version: 1,
      environment: "staging",
      subject: `${tag}-user-${i}`,
      latencyMs: 10,
      input: { q: "hi" },
      output: "Hello there.",
    })),
  });

const scoredIn = async (f: Fixture) =>
  (
    await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(onlineSamples)
      .where(and(eq(onlineSamples.projectId, f.projectId), eq(onlineSamples.status, "scored")))
  )[0]!.n;

projectDatabaseForFile("turns-a", async (db, fx) => {
  t = db;
  a = fx;
  b = await seedProject(t.db, "turns-b");
  await live(a);
  await live(b);
});

describe("the scoring tick", () => {
  it("scores another project's samples in the first tick, though one project's flood arrived first", async () => {
    await outputs(a, 40, "flood");
    await outputs(b, 2, "late");
    expect(await scorePendingSamples(t.db, undefined, { limit: 10 })).toMatchObject({ scored: 10, remaining: 32 });
    expect(await scoredIn(b)).toBe(2);
    expect(await scoredIn(a)).toBe(8);
    // The flood is scored on the next ticks, oldest first.
    await scorePendingSamples(t.db, undefined, { limit: 100 });
    expect(await scoredIn(a)).toBe(40);
  });
});
