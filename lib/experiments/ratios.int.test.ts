// Ratio metrics in experiment results: Σ cost / Σ completed tasks per arm from the per-subject sums the
// ingest keeps, compared with the delta method; subjects with a cost but no completed task count with 0.
import { beforeAll, describe, expect, it } from "vitest";
import { base, f, servedPrompt, split, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { AppError } from "../errors";
import { ingestEvents } from "../ingest/ingest";
import { generators } from "../stats/random";
import { ratioOf, type RatioSubject } from "../stats/ratio";
import { assign } from "./assign";
import { startExperiment } from "./lifecycle";
import { experimentResults } from "./analysis/results";
import { createExperiment, getExperiment } from "./store";
import { experimentDto } from "./dto";

withExperimentsDatabase("ratios");
beforeAll(() => servedPrompt("ratio-int", 2));

const definition = base("ratio-int", {
  name: "Cheaper answers",
  seed: "ratio-seed",
  primaryMetric: { name: "completed", kind: "binary" as const },
});

describe("ratio metrics", () => {
  let id = "";
  // What the test sent, per variant: each subject's Σ cost and Σ completed.
  const sent: Record<string, RatioSubject[]> = { A: [], B: [] };

  beforeAll(async () => {
    id = (
      await createExperiment(f.ctx(f.approver), {
        ...definition,
        ratioMetrics: [
          { name: "cost_per_task", numerator: "cost_usd", denominator: "completed" },
          { name: "tokens_per_thumbs_up", numerator: "output_tokens", denominator: "thumbs", goal: "decrease" },
        ],
      })
    ).id;
    await startExperiment(f.ctx(f.approver), id);
    const g = generators("ratio-int");
    const events: Record<string, unknown>[] = [];
    for (let s = 0; s < 120; s++) {
      const subject = `u${s}`;
      const variant = assign(split("ratio-seed"), subject)!.key;
      const common = {
        prompt: "ratio-int",
        version: variant === "A" ? 1 : 2,
        environment: "staging",
        subject,
        experimentId: id,
        variant,
      };
      // Heavy users make more calls and complete more tasks; B costs about 40% more per call.
      const calls = 1 + Math.floor(g.uniform() * 6);
      let cost = 0;
      let completed = 0;
      for (let k = 0; k < calls; k++) {
        const c = Math.round((variant === "B" ? 0.014 : 0.01) * (0.5 + g.uniform()) * 1e6) / 1e6;
        cost += c;
        events.push({ ...common, id: `g-${s}-${k}`, type: "generation", latencyMs: 300, costUsd: c, outputTokens: 50 });
        // Every fifth subject never completes a task (its cost still counts, over 0 tasks).
        if (s % 5 !== 0) {
          const done = g.uniform() < 0.7;
          completed += done ? 1 : 0;
          events.push({ ...common, id: `o-${s}-${k}`, type: "outcome", value: done });
        }
      }
      sent[variant]!.push({ x: cost, y: completed });
    }
    await ingestEvents(t.db, f.projectId, { events }, new Date());
  });

  it("reads each arm's ratio from the per-subject sums and compares it with the delta method", async () => {
    const results = await experimentResults(t.db, f.projectId, id);
    expect(results.ratios.map((r) => r.name)).toEqual(["cost_per_task", "tokens_per_thumbs_up"]);
    const cost = results.ratios[0]!;
    expect(cost).toMatchObject({ numerator: "cost_usd", denominator: "completed", goal: "decrease" });
    for (const [i, key] of ["A", "B"].entries()) {
      const want = ratioOf(sent[key]!);
      const got = cost.arms[i]!;
      expect(got.variant).toBe(key);
      expect(got.n).toBe(sent[key]!.length);
      expect(got.denominator).toBe(want.denominator);
      expect(got.numerator).toBeCloseTo(want.numerator, 9);
      expect(got.ratio).toBeCloseTo(want.ratio!, 9);
      expect(got.variance! / want.variance!).toBeCloseTo(1, 6);
    }
    const b = cost.comparisons[0]!;
    expect(b.variant).toBe("B");
    // About +40% per task; sequential mode until a fixed test's planned sample.
    expect(b.lift!).toBeGreaterThan(0.2);
    expect(b.lift!).toBeLessThan(0.6);
    expect(b.ci![0]).toBeLessThan(b.lift!);
    expect(b.statistic).toBeNull();
    expect(b).not.toHaveProperty("chanceToWin");
  });

  it("says why a ratio cannot be read instead of dividing by zero", async () => {
    // No feedback was sent: no subject has a thumbs value, so there is no denominator anywhere.
    const results = await experimentResults(t.db, f.projectId, id);
    const tokens = results.ratios[1]!;
    expect(tokens.goal).toBe("decrease");
    // Its subjects have tokens (the numerator) and are counted, but the ratio has no denominator.
    expect(tokens.arms.map((a) => [a.n, a.denominator, a.ratio])).toEqual([
      [sent.A!.length, 0, null],
      [sent.B!.length, 0, null],
    ]);
    expect(tokens.comparisons[0]!.note).toMatch(/denominator is 0/);
    expect(tokens.comparisons[0]!.pValue).toBeNull();
  });

  it("keeps the definition with the experiment, and summaries skip the per-subject read", async () => {
    const dto = experimentDto(await getExperiment(t.db, f.projectId, id));
    expect(dto.ratioMetrics).toEqual([
      { name: "cost_per_task", numerator: "cost_usd", denominator: "completed" },
      { name: "tokens_per_thumbs_up", numerator: "output_tokens", denominator: "thumbs", goal: "decrease" },
    ]);
    expect((await experimentResults(t.db, f.projectId, id, { perSubject: "decision" })).ratios).toEqual([]);
  });

  it("refuses a ratio of a metric by itself or a name already taken, naming the field", async () => {
    const refused = async (ratioMetrics: unknown) => {
      try {
        await createExperiment(f.ctx(f.approver), { ...definition, name: "bad", ratioMetrics } as never);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as AppError).message;
      }
      throw new Error("accepted");
    };
    expect(await refused([{ name: "r", numerator: "cost_usd", denominator: "cost_usd" }])).toMatch(
      /numerator and denominator must be different/,
    );
    expect(await refused([{ name: "completed", numerator: "cost_usd", denominator: "completed" }])).toMatch(
      /"completed" is already used/,
    );
    expect(await refused([{ name: "r", numerator: "cost_usd" }])).toMatch(/denominator/);
    expect(
      await refused(Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, numerator: "a", denominator: "b" }))),
    ).toMatch(/at most 10/);
  });
});
