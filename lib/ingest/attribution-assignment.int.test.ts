// An event that names no experiment counts for the running one only when its subject is in it: a subject
// outside the coverage or the namespace share is served the control's version without an exposure, and
// counting its events in the control arm would bias the control. Bandit subjects use their stored assignment.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ingestEvents } from "./ingest";
import { assign, type AssignmentDefinition } from "../experiments/assign";
import { startExperiment } from "../experiments/lifecycle";
import { namespaceOf } from "../experiments/namespaces";
import { StickyAssignments } from "../experiments/sticky";
import { createExperiment, getExperiment } from "../experiments/store";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-attribution-assignment");

type Experiment = Awaited<ReturnType<typeof getExperiment>>;

/** The current phase's assignment definition, as resolve builds it. */
const definition = (x: Experiment): AssignmentDefinition & { id: string; phase: number } => {
  const phase = x.phases.at(-1)!;
  return {
    id: x.id,
    phase: x.phase,
    seed: phase.seed,
    coverage: x.coverage,
    namespace: namespaceOf(x),
    variants: x.variants.map((v) => ({ key: v.key, weight: (phase.weights as Record<string, number>)[v.key]! })),
  };
};

/** The first subject `s<n>` whose assignment under `def` is `want` (null: outside the experiment). */
function subjectAssigned(def: AssignmentDefinition, want: string | null, prefix: string): string {
  for (let i = 0; i < 10_000; i++) if ((assign(def, `${prefix}${i}`)?.key ?? null) === want) return `${prefix}${i}`;
  throw new Error(`no subject assigned ${want}`);
}

async function running(prompt: string, extra: Record<string, unknown>): Promise<Experiment> {
  await servedPrompt(prompt, 2);
  const { id } = await createExperiment(f.ctx(f.approver), base(prompt, extra));
  await startExperiment(f.ctx(f.approver), id);
  return getExperiment(t.db, f.projectId, id);
}

const feedback = (prompt: string, n: string, subject: string, version: number) => ({
  id: `${prompt}-${n}`,
  type: "feedback",
  prompt,
  version,
  environment: "staging",
  subject,
  value: 1,
});

async function attributed(prompt: string) {
  const rows = await queryRows<{ event_id: string; experiment_id: string | null; variant_key: string | null }>(
    t.db,
    sql`select event_id, experiment_id, variant_key from metric_events where event_id like ${prompt + "-%"} order by event_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.event_id.slice(prompt.length + 1), r.variant_key]));
}

describe("implicit attribution follows assignment", () => {
  let covered: Experiment;
  let namespaced: Experiment;
  let bandit: Experiment;
  beforeAll(async () => {
    covered = await running("att-coverage", { coverage: 0.5 });
    namespaced = await running("att-namespace", { namespace: { name: "att-layer", range: [0, 0.5] } });
    bandit = await running("att-bandit", { mode: "bandit", bandit: { algorithm: "thompson", burnIn: 20, floor: 0.1 } });
  });

  it.each([
    ["outside coverage", () => covered],
    ["outside the namespace share", () => namespaced],
  ])("does not count a subject %s in the control arm", async (_label, experiment) => {
    const x = experiment();
    const prompt = x.prompt;
    const def = definition(x);
    const outside = subjectAssigned(def, null, "o");
    const inA = subjectAssigned(def, "A", "a");
    const inB = subjectAssigned(def, "B", "b");
    await ingestEvents(t.db, f.projectId, {
      events: [
        feedback(prompt, "1-outside", outside, 1),
        feedback(prompt, "2-a", inA, 1),
        feedback(prompt, "3-b", inB, 2),
        // A version the subject's arm does not serve: not this experiment's event.
        feedback(prompt, "4-a-other", inA, 2),
      ],
    });
    expect(await attributed(prompt)).toEqual({ "1-outside": null, "2-a": "A", "3-b": "B", "4-a-other": null });
  });

  it("uses a bandit subject's stored assignment, and attributes none without one", async () => {
    const def = definition(bandit);
    const stored = await new StickyAssignments(() => t.db).variantFor(def, "stored-1");
    const version = stored === "A" ? 1 : 2;
    const never = subjectAssigned(def, "A", "n"); // the hash would say A, but nothing was stored
    await ingestEvents(t.db, f.projectId, {
      events: [
        feedback(bandit.prompt, "1-stored", "stored-1", version),
        feedback(bandit.prompt, "2-stored-other", "stored-1", 3 - version),
        feedback(bandit.prompt, "3-never", never, 1),
      ],
    });
    expect(await attributed(bandit.prompt)).toEqual({ "1-stored": stored, "2-stored-other": null, "3-never": null });
  });
});
