// Per-version cost, tokens, latency and time to first token, read from the daily aggregates that
// ingest keeps, checked against the events sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { promptWith, seedProject, type Fixture } from "../../test/domain-fixtures";
import { ingestEvents } from "../ingest/ingest";
import { versionStats } from "./version-stats";

let t: TestDatabase;
let f: Fixture;
beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "vstats");
});
afterAll(async () => t.drop());

const gen = (
  id: string,
  version: number,
  environment: string,
  latencyMs: number,
  extra: Record<string, unknown> = {},
  at?: string,
) => ({
  id,
  type: "generation",
  prompt: "vs",
  version,
  environment,
  subject: `s-${id}`,
  latencyMs,
  ...(at ? { at } : {}),
  ...extra,
});

describe("versionStats", () => {
  it("aggregates generation events per version, newest first, over environments and days", async () => {
    const prompt = await promptWith(t.db, f, "vs", 3);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await ingestEvents(t.db, f.projectId, {
      events: [
        gen("a1", 1, "production", 100, {
          ttftMs: 40,
          inputTokens: 500,
          outputTokens: 100,
          costUsd: 0.002,
          refusal: false,
        }),
        gen(
          "a2",
          1,
          "production",
          300,
          { ttftMs: 60, inputTokens: 700, outputTokens: 300, costUsd: 0.004, refusal: true },
          yesterday,
        ),
        gen("a3", 1, "staging", 200, { inputTokens: 600 }),
        gen("b1", 2, "staging", 50, { costUsd: 0.001 }),
        // Feedback alone does not make a version appear in the table.
        { id: "f1", type: "feedback", prompt: "vs", version: 3, subject: "s", value: 1 },
      ],
    });
    const stats = await versionStats(t.db, prompt.id);
    expect(stats.map((s) => s.version)).toEqual([2, 1]);
    const v1 = stats.find((s) => s.version === 1)!;
    expect(v1.environments).toEqual(["production", "staging"]);
    expect(v1.generations).toBe(3);
    expect(v1.metrics.latency_ms).toMatchObject({ n: 3, mean: 200 });
    expect(v1.metrics.latency_ms!.sd).toBeCloseTo(100, 9);
    expect(v1.metrics.ttft_ms).toMatchObject({ n: 2, mean: 50 });
    expect(v1.metrics.input_tokens).toMatchObject({ n: 3, mean: 600 });
    expect(v1.metrics.output_tokens).toMatchObject({ n: 2, mean: 200 });
    expect(v1.metrics.cost_usd!.mean).toBeCloseTo(0.003, 12);
    expect(v1.metrics.refusal).toMatchObject({ n: 2, mean: 0.5 });
    const v2 = stats.find((s) => s.version === 2)!;
    expect(v2).toMatchObject({
      environments: ["staging"],
      generations: 1,
      metrics: { latency_ms: { n: 1, mean: 50, sd: null }, cost_usd: { n: 1, mean: 0.001 } },
    });
    expect(v2.metrics.ttft_ms).toBeUndefined();
    // Percentiles from the latency bins: v1's three calls took 100, 200 and 300 ms; each within 2.5% (+1 ms).
    expect(Math.abs(v1.latency.p50! - 200)).toBeLessThan(0.025 * 201);
    expect(Math.abs(v1.latency.p95! - 300)).toBeLessThan(0.025 * 301);
    expect(Math.abs(v2.latency.p95! - 50)).toBeLessThan(0.025 * 51);

    expect(
      (await versionStats(t.db, prompt.id, { environment: "production" })).map((s) => [s.version, s.generations]),
    ).toEqual([[1, 2]]);
    const today = await versionStats(t.db, prompt.id, { since: new Date() });
    expect(today.find((s) => s.version === 1)!.generations).toBe(2);
  });

  it("is empty for a prompt without generation events", async () => {
    const prompt = await promptWith(t.db, f, "vs-empty", 1);
    expect(await versionStats(t.db, prompt.id)).toEqual([]);
  });
});
