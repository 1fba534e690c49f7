// The bandit cadence: reweighting from the aggregates, with sticky assignments kept.
import { noEvents } from "../announcements";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { experiments } from "../../db/schema";
import { reweightBandits } from "./bandit-job";
import { ingestEvents } from "../ingest/ingest";
import { startExperiment } from "./lifecycle";
import { StickyAssignments } from "./sticky";
import { experimentResults } from "./analysis/results";
import { createExperiment, getExperiment } from "./store";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-bandit");

describe("bandits", () => {
  it("burn-in, then a reweight into a new phase; subjects keep their first assignment", async () => {
    await servedPrompt("exp-bandit", 2);
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-bandit", {
        mode: "bandit",
        bandit: { algorithm: "thompson", burnIn: 20, floor: 0.1 },
        ratioMetrics: [{ name: "thumbs_per_rating", numerator: "thumbs", denominator: "rating" }],
      }),
    );
    await startExperiment(f.ctx(f.approver), e.id);
    const sticky = new StickyAssignments(() => t.db);
    const def = (x: Awaited<ReturnType<typeof getExperiment>>) => ({
      id: x.id,
      phase: x.phase,
      seed: x.phases.at(-1)!.seed,
      coverage: x.coverage,
      variants: x.variants.map((v) => ({
        key: v.key,
        weight: (x.phases.at(-1)!.weights as Record<string, number>)[v.key]!,
      })),
    });
    let current = await getExperiment(t.db, f.projectId, e.id);
    const firstAssignments = new Map<string, string>();
    // 80 subjects: with a random seed each arm gets its burn-in of 20 except with probability ~1e-5 (50 left ~12% of runs short).
    for (let i = 0; i < 80; i++) firstAssignments.set(`b${i}`, (await sticky.variantFor(def(current), `b${i}`))!);
    expect((await reweightBandits(t.db, noEvents)).find((r) => r.experimentId === e.id)?.action).toBe("burn-in");
    const events = [...firstAssignments.entries()].map(([subject, variant], i) => ({
      id: `bandit-${i}`,
      type: "feedback",
      prompt: "exp-bandit",
      version: variant === "A" ? 1 : 2,
      subject,
      value: variant === "B" ? 1 : i % 4 === 0 ? 1 : 0,
      environment: "staging",
    }));
    await ingestEvents(t.db, f.projectId, { events });
    const runs = await reweightBandits(t.db, noEvents);
    const mine = runs.find((r) => r.experimentId === e.id)!;
    expect(mine.action).toBe("reweighted");
    expect(mine.weights!.B).toBeGreaterThan(mine.weights!.A!);
    expect(mine.weights!.A).toBeGreaterThanOrEqual(0.1 - 1e-9);
    current = await getExperiment(t.db, f.projectId, e.id);
    expect(current.phase).toBe(2);
    const fresh = new StickyAssignments(() => t.db); // another instance: reads the stored assignments
    for (const [subject, variant] of firstAssignments)
      expect(await fresh.variantFor(def(current), subject)).toBe(variant);
    const [row] = await t.db.select({ phase: experiments.phase }).from(experiments).where(eq(experiments.id, e.id));
    expect(row!.phase).toBe(2);

    // The same subjects again in phase 2: a ratio metric counts each once, its sums across both phases.
    const again = [...firstAssignments.entries()].map(([subject, variant], i) => ({
      id: `bandit-2-${i}`,
      type: "feedback",
      prompt: "exp-bandit",
      version: variant === "A" ? 1 : 2,
      subject,
      value: i % 2,
      rating: 1 + (i % 5),
      environment: "staging",
    }));
    await ingestEvents(t.db, f.projectId, { events: again });
    const r = await experimentResults(t.db, f.projectId, e.id);
    for (const variant of ["A", "B"]) {
      const mine = [...firstAssignments.entries()].map(([, v], i) => ({ v, i })).filter((x) => x.v === variant);
      const arm = r.ratios[0]!.arms.find((a) => a.variant === variant)!;
      expect(arm.n).toBe(mine.length);
      expect(arm.numerator).toBe(mine.reduce((n, { i }) => n + events[i]!.value + (i % 2), 0));
      expect(arm.denominator).toBe(mine.reduce((n, { i }) => n + 1 + (i % 5), 0));
    }
  });
});
