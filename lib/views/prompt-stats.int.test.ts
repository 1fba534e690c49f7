// GET /api/v1/prompts/{name}/stats's read: per version usage, latency percentiles, scores and feedback from the
// kept sums, equal to what the raw events say; ranges and environments narrow it; the migration's backfill bins
// latencies as ingest does.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promptWith } from "../../test/domain-fixtures";
import { ingestEvents } from "../ingest/ingest";
import { latencyBin } from "../stats/latency-bins";
import { getPromptStats } from "./prompt-stats";

withReleaseDatabase("prompt-stats");
beforeAll(async () => {
  await promptWith(t.db, f, "usage", 2);
});

const exact = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
const day1 = "2026-11-02T10:00:00Z";
const day2 = "2026-11-03T10:00:00Z";
const now = new Date("2026-11-03T12:00:00Z");

// v1: 400 generations over two days in staging, v2: 100 in production; thumbs and ratings on v1.
const latencies = Array.from({ length: 400 }, (_, i) => 200 + ((i * 7919) % 1800));
const events = [
  ...latencies.map((latencyMs, i) => ({
    ...{ id: `g-${i}`, type: "generation", prompt: "usage", version: 1, environment: "staging", subject: `u${i}` },
    ...{ at: i < 200 ? day1 : day2, latencyMs, inputTokens: 100 + i, outputTokens: 10, costUsd: 0.001 },
    input: i % 2 ? "Where is my refund?" : { customer: "Ana" },
  })),
  ...Array.from({ length: 100 }, (_, i) => ({
    ...{ id: `h-${i}`, type: "generation", prompt: "usage", version: 2, environment: "production", subject: `v${i}` },
    ...{ at: day2, latencyMs: 50, inputTokens: 10, outputTokens: 5, costUsd: 0.0002 },
  })),
  ...Array.from({ length: 30 }, (_, i) => ({
    ...{ id: `f-${i}`, type: "feedback", prompt: "usage", version: 1, environment: "staging", subject: `u${i}` },
    ...{ at: day2, value: i % 3 === 0 ? 0 : 1, rating: 1 + (i % 5) },
  })),
];

describe("prompt stats", () => {
  it("are what the events say, per version, and the percentiles within 2.5% of the exact ones", async () => {
    for (let i = 0; i < events.length; i += 200)
      await ingestEvents(t.db, f.projectId, { events: events.slice(i, i + 200) }, now);
    const s = await getPromptStats(t.db, f.projectId, "usage", {});
    expect(s.versions.map((v) => v.version)).toEqual([2, 1]);
    const [v2, v1] = s.versions;
    expect(v1).toMatchObject({
      environments: ["staging"],
      generations: 400,
      inputTokens: latencies.reduce((a, _, i) => a + 100 + i, 0),
      outputTokens: 4000,
      feedback: { thumbsUp: 20, thumbsDown: 10, ratings: 30, meanRating: 3 },
      scores: { samples: 0, mean: null, scorers: {} },
    });
    expect(v1!.costUsd).toBeCloseTo(0.4, 9);
    expect(v1!.latencyMs.mean).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / 400, 6);
    for (const [q, key] of [
      [0.5, "p50"],
      [0.95, "p95"],
    ] as const)
      expect(Math.abs(v1!.latencyMs[key]! - exact(latencies, q))).toBeLessThan(0.025 * (exact(latencies, q) + 1));
    expect(v2).toMatchObject({ environments: ["production"], generations: 100, inputTokens: 1000, outputTokens: 500 });
    expect(Math.abs(v2!.latencyMs.p95! - 50)).toBeLessThan(0.025 * 51);
  });

  it("narrow to an environment and to whole UTC days", async () => {
    const staging = await getPromptStats(t.db, f.projectId, "usage", { environment: "staging" });
    expect(staging.versions.map((v) => v.version)).toEqual([1]);
    const second = await getPromptStats(t.db, f.projectId, "usage", { from: new Date("2026-11-03T23:00:00Z") });
    expect(second.from).toBe("2026-11-03T00:00:00.000Z");
    expect(second.versions.find((v) => v.version === 1)!.generations).toBe(200);
    const first = await getPromptStats(t.db, f.projectId, "usage", { to: new Date("2026-11-03T00:00:00Z") });
    expect(first.versions.map((v) => [v.version, v.generations])).toEqual([[1, 200]]);
    await expect(
      getPromptStats(t.db, f.projectId, "usage", { from: new Date(day2), to: new Date(day1) }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(getPromptStats(t.db, f.projectId, "usage", { environment: "prodution" })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("bin latencies in the migration's backfill as ingest does", async () => {
    const values = [0, 0.4, 1, 19.5, 50, 200, 1999, 123_456, 86_400_000];
    const rows = await queryRows<{ ms: number; bin: number }>(
      t.db,
      sql`select ms, floor(ln(ms + 1) / ln(1.05))::smallint as bin from unnest(${sql.param(values)}::float8[]) as ms`,
    );
    expect(rows.map((r) => r.bin)).toEqual(values.map(latencyBin));
  });
});
