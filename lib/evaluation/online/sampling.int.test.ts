// Online evaluation's sampling inside event ingest: deterministic, per rule, per environment.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onlineSamples } from "../../../db/schema";
import { ingestEvents } from "../../ingest/ingest";
import { putOnlineEvaluation } from "./rules";
import { isSampled } from "./sampling";
import { count, f, promptLiveIn, rule, t, withOnlineDatabase } from "../../../test/online-fixture";

withOnlineDatabase("online-sampling");

describe("sampling", () => {
  it("is decided by the event id alone, at about the rate", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `evt-${i}`);
    const inAt = (rate: number) => ids.filter((id) => isSampled(id, rate)).length / ids.length;
    expect(inAt(0)).toBe(0);
    expect(inAt(1)).toBe(1);
    expect(inAt(0.1)).toBeCloseTo(0.1, 1);
    expect(Math.abs(inAt(0.25) - 0.25)).toBeLessThan(0.015);
    // Monotone: an event in at 10% is in at 25%.
    expect(ids.filter((id) => isSampled(id, 0.1) && !isSampled(id, 0.25))).toEqual([]);
    for (const id of ids.slice(0, 100)) expect(isSampled(id, 0.5)).toBe(isSampled(id, 0.5));
  });

  it("ingest stores exactly the sampled outputs of the rule's environment, once", async () => {
    await promptLiveIn("ol-sample", 1, 1);
    await putOnlineEvaluation(f.ctx(f.approver), "ol-sample", rule({ sampleRate: 0.25 }));
    const events = Array.from({ length: 400 }, (_, i) => ({
      id: `s-${i}`,
      type: "generation",
      prompt: "ol-sample",
      version: 1,
      environment: i % 4 === 3 ? "production" : "staging",
      subject: `u${i}`,
      latencyMs: 5,
      output: `answer ${i}`,
    }));
    await ingestEvents(t.db, f.projectId, {
      events: [
        ...events,
        {
          id: "s-no-output",
          type: "generation",
          prompt: "ol-sample",
          version: 1,
          environment: "staging",
          subject: "u",
          latencyMs: 5,
        },
      ],
    });
    const expected = events
      .filter((e) => e.environment === "staging" && isSampled(e.id, 0.25))
      .map((e) => e.id)
      .sort();
    const stored = (
      await t.db
        .select({ id: onlineSamples.eventId })
        .from(onlineSamples)
        .where(eq(onlineSamples.eventId, sql`any(${sql.raw(`array[${events.map((e) => `'${e.id}'`).join(",")}]`)})`))
    )
      .map((r) => r.id)
      .sort();
    expect(stored).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
    // Sent again (a client retry): acknowledged, nothing new.
    const again = await ingestEvents(t.db, f.projectId, { events });
    expect(again).toEqual({ accepted: 0, duplicates: 400 });
    expect(await count("online_samples", sql`event_id like 's-%'`)).toBe(expected.length);
  });
});
