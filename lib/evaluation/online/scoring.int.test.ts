// Scoring sampled outputs with heuristics and an LLM judge (retries, failures), and the counts and
// series the pages draw.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts } from "../../../db/schema";
import { ingestEvents } from "../../ingest/ingest";
import { getOnlineEvaluation, putOnlineEvaluation } from "./rules";
import { listOnlineSamples, onlineScoreSeries } from "./rule-reads";
import { listSamples, scorePendingSamples } from "./scoring";
import { sampleCounts, scoreSeries } from "./series";
import { count, f, generations, promptLiveIn, rule, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { liveWithPoliteJudge, liveWithScorers, localScorerModels } from "../../../test/online-scoring-fixture";

withOnlineDatabase("online-scoring");

/** One more generation of version 1 of `prompt` in staging, by subject "x", with this output. */
const oneGeneration = (prompt: string, id: string, output: string) =>
  ingestEvents(t.db, f.projectId, {
    events: [
      {
        id: `${prompt}-${id}`,
        type: "generation",
        prompt,
        version: 1,
        environment: "staging",
        subject: "x",
        latencyMs: 1,
        output,
      },
    ],
  });

describe("scoring", () => {
  beforeEach(() => {
    server.reset();
  });

  it("heuristics score every pending sample with a reason; the job is idempotent", async () => {
    await liveWithScorers("ol-heur", [
      { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
      { type: "length", max: 40 },
      { type: "safety" },
    ]);
    await generations("ol-heur", 1, 10, 4);
    await oneGeneration("ol-heur", "refusal", "I'm sorry, but I can't help with that.");
    const first = await scorePendingSamples(t.db, undefined);
    expect(first).toMatchObject({ scored: expect.any(Number), failed: 0, retrying: 0, remaining: 0 });
    expect(await scorePendingSamples(t.db, undefined)).toEqual({
      scored: 0,
      failed: 0,
      retrying: 0,
      remaining: 0,
      ruleIds: [],
    });
    const r = await getOnlineEvaluation(t.db, f.projectId, "ol-heur", "staging");
    expect(r.versions).toEqual([expect.objectContaining({ version: 1, pending: 0, scored: 11, failed: 0 })]);
    const samples = await listSamples(t.db, r.id, 1, { limit: 50 });
    const refusal = samples.find((s) => s.eventId === "ol-heur-refusal")!;
    expect(refusal.scores.find((x) => x.scorer === "safety")).toMatchObject({
      score: 0,
      passed: false,
      reason: expect.stringMatching(/refusal/),
    });
    const thanked = samples.find((s) => s.output.startsWith("Thank"))!;
    expect(thanked.scores.map((x) => x.scorer).sort()).toEqual(["length", "safety", "thanks"]);
    expect(thanked.scores.find((x) => x.scorer === "thanks")).toMatchObject({ score: 1, passed: true });
    expect(thanked.scores.find((x) => x.scorer === "length")).toMatchObject({
      score: 0,
      reason: expect.stringMatching(/40/),
    });
    // The charts' series: one bucket, the weighted score and each scorer, n = 11.
    const series = await scoreSeries(t.db, r.id);
    expect(series.find((p) => p.scorer === "thanks")).toMatchObject({ version: 1, n: 11, mean: 4 / 11 });
    expect(series.map((p) => p.scorer).sort()).toEqual(["length", "safety", "score", "thanks"]);
    // The API's reads: the first version with samples by default, paged with `next`; the series per bucket.
    const page = await listOnlineSamples(t.db, f.projectId, "ol-heur", { environment: "staging", limit: 4 });
    expect(page.data.map((x) => x.id)).toEqual(samples.slice(0, 4).map((x) => x.id));
    expect(page.next).toBe(samples[3]!.id);
    const rest = await listOnlineSamples(t.db, f.projectId, "ol-heur", {
      environment: "staging",
      version: 1,
      before: page.next!,
      limit: 50,
    });
    expect([rest.data.length, rest.next]).toEqual([7, null]);
    expect(
      await listOnlineSamples(t.db, f.projectId, "ol-heur", { environment: "staging", version: 9, limit: 5 }),
    ).toEqual({
      data: [],
      next: null,
    });
    expect(await onlineScoreSeries(t.db, f.projectId, "ol-heur", { environment: "staging", bucket: "hour" })).toEqual({
      bucket: "hour",
      data: series,
    });
  });

  it("an LLM judge scores through the model connection; a failing judge is retried, then the sample fails", async () => {
    await liveWithPoliteJudge("ol-judge");
    server.script({
      rules: [
        { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
        { match: "broken", fail: { status: 400, message: "context length exceeded" } },
        { json: { reasoning: "Curt.", score: 2 } },
      ],
    });
    await generations("ol-judge", 1, 4, 2);
    await oneGeneration("ol-judge", "broken", "broken");
    const models = localScorerModels();
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await scorePendingSamples(t.db, () => models));
    expect(runs[0]).toMatchObject({ scored: 4, retrying: 1, remaining: 1 });
    expect(runs[1]).toMatchObject({ scored: 0, retrying: 1, remaining: 1 });
    expect(runs[2]).toMatchObject({ scored: 0, failed: 1, remaining: 0 });
    const r = await getOnlineEvaluation(t.db, f.projectId, "ol-judge", "staging");
    const samples = await listSamples(t.db, r.id, 1);
    const warm = samples.find((s) => s.output.startsWith("Thank"))!;
    expect(warm).toMatchObject({
      status: "scored",
      score: 1,
      scores: [{ scorer: "polite", score: 1, passed: true, reason: "judge-1 gave 5/5: Warm and uses the name." }],
    });
    expect(samples.find((s) => s.output === "broken")).toMatchObject({
      status: "failed",
      score: null,
      scores: [
        { scorer: "polite", score: null, reason: expect.stringMatching(/HTTP 400: the provider refused the request/) },
      ],
    });
    // 4 answers + 3 attempts at the broken one: nothing scored twice.
    expect(server.requests.length).toBe(7);
  });

  it("with no model connection the judge's samples fail with the reason, heuristics still score", async () => {
    await liveWithScorers("ol-nomodel", [
      { type: "llm_judge", model: "judge-1", rubric: "Polite?" },
      { type: "length", max: 1000 },
    ]);
    await generations("ol-nomodel", 1, 1, 1);
    for (let i = 0; i < 3; i++) await scorePendingSamples(t.db, undefined);
    const r = await getOnlineEvaluation(t.db, f.projectId, "ol-nomodel", "staging");
    const [s] = await listSamples(t.db, r.id, 1);
    expect(s).toMatchObject({ status: "scored", score: 1 });
    expect(s!.scores.find((x) => x.scorer === "llm_judge")).toMatchObject({
      score: null,
      reason: expect.stringMatching(/model/i),
    });
  });
});

describe("counts", () => {
  it("per version: pending, scored, failed and the mean", async () => {
    await promptLiveIn("ol-counts", 1, 1);
    const r = await putOnlineEvaluation(f.ctx(f.approver), "ol-counts", rule());
    await generations("ol-counts", 1, 5, 5);
    expect(await sampleCounts(t.db, r.id)).toEqual([
      expect.objectContaining({ version: 1, pending: 5, scored: 0, failed: 0, mean: null }),
    ]);
    await scorePendingSamples(t.db, undefined);
    expect(await sampleCounts(t.db, r.id)).toEqual([
      expect.objectContaining({ version: 1, pending: 0, scored: 5, mean: 1 }),
    ]);
    expect(await count("alerts", and(eq(alerts.ruleId, r.id))!)).toBe(0);
  });
});
