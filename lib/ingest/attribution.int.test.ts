// Which experiment an event counts for: an event dated before the experiment started is the subject's
// history (CUPED's covariate), never part of the experiment, even when it names a variant's version.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ingestEvents } from "./ingest";
import { assign } from "../experiments/assign";
import { startExperiment } from "../experiments/lifecycle";
import { experimentResults } from "../experiments/analysis/results";
import { createExperiment, getExperiment } from "../experiments/store";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-attribution");

describe("attribution by date", () => {
  let id = "";
  let startedAt = 0;
  const subjects = new Map<number, string>();
  beforeAll(async () => {
    await servedPrompt("exp-dated", 2);
    id = (await createExperiment(f.ctx(f.approver), base("exp-dated"))).id;
    startedAt = (await startExperiment(f.ctx(f.approver), id)).startedAt!.getTime();
    // Events after the start count only for a subject assigned the variant of their version: d4 in A, d5 in B.
    const x = await getExperiment(t.db, f.projectId, id);
    const phase = x.phases.at(-1)!;
    const def = {
      seed: phase.seed,
      coverage: x.coverage,
      variants: x.variants.map((v) => ({ key: v.key, weight: 0.5 })),
    };
    const subjectIn = (key: string) => {
      for (let i = 0; ; i++) if (assign(def, `d${i}`)?.key === key) return `d${i}`;
    };
    subjects.set(4, subjectIn("A")).set(5, subjectIn("B"));
  });

  it("leaves events dated before the start unattributed and counts those after it", async () => {
    const event = (n: number, version: number, offsetMs: number) => ({
      id: `dated-${n}`,
      type: "feedback",
      prompt: "exp-dated",
      version,
      environment: "staging",
      subject: subjects.get(n) ?? `d${n}`,
      value: 1,
      at: new Date(startedAt + offsetMs).toISOString(),
    });
    const now = new Date(startedAt + 60_000);
    await ingestEvents(
      t.db,
      f.projectId,
      {
        events: [
          event(1, 1, -3 * 86_400_000),
          event(2, 2, -60_000),
          event(3, 1, -1),
          event(4, 1, 1_000),
          event(5, 2, 2_000),
        ],
      },
      now,
    );
    const rows = await queryRows<{ event_id: string; experiment_id: string | null }>(
      t.db,
      sql`select event_id, experiment_id from metric_events where event_id like 'dated-%' order by event_id`,
    );
    expect(rows.map((r) => [r.event_id, r.experiment_id])).toEqual([
      ["dated-1", null],
      ["dated-2", null],
      ["dated-3", null],
      ["dated-4", id],
      ["dated-5", id],
    ]);
    const results = await experimentResults(t.db, f.projectId, id, { now });
    expect(results.arms.map((a) => [a.variant, a.subjects])).toEqual([
      ["A", 1],
      ["B", 1],
    ]);
  });
});
