// An event that names an experiment's arm counts there only for a subject the server served that arm
// (an exposure it recorded, or the assignment recomputed), dated in the phase's window; the others are kept and
// counted apart with their reason, never in an arm's sums. Its composition is the one the phase served.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ingestEvents } from "./ingest";
import { ingestOtlpTraces } from "./otlp-ingest";
import { assign, type AssignmentDefinition } from "../experiments/assign";
import { recordExposures } from "../experiments/exposures";
import { startExperiment } from "../experiments/lifecycle";
import { experimentResults } from "../experiments/analysis/results";
import { stopExperiment } from "../experiments/stop";
import { createExperiment, getExperiment } from "../experiments/store";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { base, f, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-attribution-served");

const prompt = "served/reply";

/** `n` subjects `<prefix><i>` whose assignment under `def` is `want` (null: outside the coverage). */
function subjects(def: AssignmentDefinition, want: string | null, prefix: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++)
    if ((assign(def, `${prefix}${i}`)?.key ?? null) === want) out.push(`${prefix}${i}`);
  return out;
}

describe("experiments count only what the server served", () => {
  let id = "";
  let def: AssignmentDefinition;
  let inB: string[] = [];
  let exposedA: string[] = [];
  let outside: string[] = [];
  const feedbackB = (n: string, subject: string, extra: Record<string, unknown> = {}) => ({
    id: `fb-${n}`,
    type: "feedback",
    prompt,
    version: 2,
    environment: "staging",
    subject,
    value: 1,
    experiment: { id, variant: "B", phase: 1 },
    ...extra,
  });

  beforeAll(async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(editor, { name: "served/tone", type: "text", template: "Be kind." });
    await createPrompt(editor, { name: prompt, type: "text", template: "Reply. {{> served/tone}}" });
    await createVersion(editor, prompt, { template: "Answer. {{> served/tone}}" });
    for (const p of ["served/tone", prompt])
      await promoteVersion(f.ctx(f.approver), p, { environment: "staging", version: 1 });
    id = (await createExperiment(f.ctx(f.approver), base(prompt, { coverage: 0.6 }))).id;
    await startExperiment(f.ctx(f.approver), id);
    const x = await getExperiment(t.db, f.projectId, id);
    def = {
      seed: x.phases[0]!.seed,
      coverage: x.coverage,
      variants: x.variants.map((v) => ({ key: v.key, weight: 0.5 })),
    };
    inB = subjects(def, "B", "b", 15);
    exposedA = subjects(def, "A", "a", 10);
    outside = subjects(def, null, "o", 20);
    // What resolve records: 10 of the B subjects and the 10 control subjects were exposed; 5 B subjects were served
    // without a recorded exposure (an SDK assigning locally), the 20 outside the coverage never.
    const at = new Date();
    await recordExposures(t.db, [
      ...inB.slice(0, 10).map((subject) => ({ experimentId: id, phase: 1, variant: "B", subject, at })),
      ...exposedA.map((subject) => ({ experimentId: id, phase: 1, variant: "A", subject, at })),
    ]);
  });

  it("counts feedback naming B only for subjects served B, and the rest apart with its reason", async () => {
    await ingestEvents(t.db, f.projectId, {
      events: [
        ...inB.map((s, i) => feedbackB(`b${i}`, s)),
        ...exposedA.map((s, i) => feedbackB(`a${i}`, s)),
        ...outside.map((s, i) => feedbackB(`o${i}`, s)),
      ],
    });
    const r = await experimentResults(t.db, f.projectId, id);
    const b = r.arms.find((a) => a.variant === "B")!;
    expect(b.subjects).toBe(15);
    expect(b.metrics.thumbs!.n).toBe(15);
    expect(r.arms.find((a) => a.variant === "A")!.metrics.thumbs).toBeUndefined();
    expect(r.unattributed.events).toBe(30);
    expect(r.unattributed.groups).toEqual([
      { reason: "other_arm", variant: "B", served: "A", events: 10 },
      { reason: "never_exposed", variant: "B", served: null, events: 20 },
    ]);
    expect(r.unattributed.line).toMatch(/^30 events unattributed: 10 from subjects served A \(the control\), 20 from/);
    // Kept, with the arm they named and why they do not count there.
    const [kept] = await queryRows<{ n: number; reason: string }>(
      t.db,
      sql`select count(*)::int as n, min(data->'unattributed'->>'reason') as reason from metric_events
          where event_id like 'fb-a%' and experiment_id is null`,
    );
    expect(kept).toEqual({ n: 10, reason: "other_arm" });
  });

  it("stores the composition the phase served, not the one an event sent", async () => {
    await ingestEvents(t.db, f.projectId, {
      events: [
        feedbackB("forged", inB[0]!, {
          composition: {
            prompt: { name: prompt, version: 2 },
            partials: [
              { name: "evil", version: 1 },
              { name: "served/tone", version: 99 },
            ],
          },
        }),
      ],
    });
    const [row] = await queryRows<{ partials: string | null; variant_key: string }>(
      t.db,
      sql`select partials, variant_key from metric_events where event_id = 'fb-forged'`,
    );
    expect(row).toEqual({ partials: "served/tone@1", variant_key: "B" });
  });

  it("holds for a model call reported as an OpenTelemetry span (POST /api/v1/otel/v1/traces)", async () => {
    const attr = (key: string, v: string | number) => ({
      key,
      value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v },
    });
    const end = BigInt(Date.now()) * 1_000_000n;
    const span = (n: number, subject: string) => ({
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId: n.toString(16).padStart(16, "0"),
      name: "chat m",
      startTimeUnixNano: String(end - 1_000_000_000n),
      endTimeUnixNano: String(end),
      attributes: [
        attr("gen_ai.operation.name", "chat"),
        attr("gen_ai.request.model", "m"),
        attr("lectern.prompt.name", prompt),
        attr("lectern.prompt.version", 2),
        attr("lectern.environment", "staging"),
        attr("lectern.subject", subject),
        attr("lectern.experiment.id", id),
        attr("lectern.experiment.variant", "B"),
        attr("lectern.experiment.phase", 1),
        attr("lectern.prompt.partials", "evil@1"),
      ],
    });
    const body = {
      resourceSpans: [
        { resource: {}, scopeSpans: [{ scope: { name: "t" }, spans: [span(1, inB[3]!), span(2, exposedA[0]!)] }] },
      ],
    };
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    await ingestOtlpTraces(t.db, f.projectId, { bytes, format: "json" });
    const rows = await queryRows<{ subject: string; variant_key: string | null; partials: string | null }>(
      t.db,
      sql`select subject, variant_key, partials from metric_events where event_id like 'otel:%' order by subject`,
    );
    expect(rows).toEqual(
      [
        { subject: inB[3]!, variant_key: "B", partials: "served/tone@1" },
        { subject: exposedA[0]!, variant_key: null, partials: "served/tone@1" },
      ].sort((a, b) => (a.subject < b.subject ? -1 : 1)),
    );
    const r = await experimentResults(t.db, f.projectId, id);
    expect(r.unattributed.groups[0]).toEqual({ reason: "other_arm", variant: "B", served: "A", events: 11 });
  });

  it("counts nothing after the experiment stopped, and says so", async () => {
    await stopExperiment(f.ctx(f.approver), id, { decision: { keep: "control" } });
    const late = new Date(Date.now() + 60_000);
    await ingestEvents(t.db, f.projectId, {
      events: [feedbackB("late-1", inB[1]!), feedbackB("late-2", inB[2]!, { at: late.toISOString() })],
    });
    const r = await experimentResults(t.db, f.projectId, id);
    expect(r.arms.find((a) => a.variant === "B")!.metrics.thumbs!.n).toBe(15);
    expect(r.unattributed.events).toBe(33);
    expect(r.unattributed.groups.at(-1)).toEqual({ reason: "after_stop", variant: "B", served: null, events: 2 });
    expect(r.unattributed.line).toMatch(
      /^33 events unattributed: 11 from subjects served A \(the control\), 20 from .*, 2 after it stopped$/,
    );
  });
});
