// track() and flush() against a real HTTP server on this machine: what is sent, what a refusal drops,
// what a failure keeps, and that flush() never rejects.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Tracker } from "./track";
import type { TrackEvent } from "./types";

type Batch = { events: (TrackEvent & { id: string; at: string })[] };
let server: Server | undefined;
afterEach(() => server?.close());

/** A server that answers each POST with the next status (and body) in `answers`, then 202. */
async function lectern(answers: { status: number; body?: unknown }[]) {
  const batches: Batch[] = [];
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d));
    req.on("end", () => {
      batches.push(JSON.parse(text) as Batch);
      const a = answers.shift() ?? { status: 202, body: { accepted: 1 } };
      res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const errors: (Error & { code?: string })[] = [];
  const tracker = new Tracker(
    {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: "lk_rt_test",
      timeoutMs: 5_000,
      fetch: (input, init) => fetch(input, init),
    },
    { flushIntervalMs: 60_000, onError: (e) => errors.push(e), now: Date.now },
  );
  return { batches, errors, tracker };
}

const event = (subject: string): TrackEvent => ({
  type: "feedback",
  prompt: "support-reply",
  version: 3,
  subject,
  value: 1,
});

describe("Tracker", () => {
  it("flush() sends what is queued in one batch, with an id and a time on each event", async () => {
    const { batches, errors, tracker } = await lectern([]);
    tracker.track(event("a"));
    tracker.track({ ...event("b"), id: "mine", at: "2026-01-01T00:00:00Z" });
    await tracker.flush();
    expect(batches).toHaveLength(1);
    const [a, b] = batches[0]!.events;
    expect(a).toMatchObject({ subject: "a", type: "feedback" });
    expect(a!.id).toMatch(/\S{8,}/);
    expect(Date.parse(a!.at)).not.toBeNaN();
    expect(b).toMatchObject({ id: "mine", at: "2026-01-01T00:00:00Z" });
    expect(errors).toEqual([]);
  });

  it("a 422 drops the events it names and sends the others again", async () => {
    const problems = [{ index: 1, field: "version", message: "support-reply has no version 3" }];
    const { batches, errors, tracker } = await lectern([
      { status: 422, body: { error: { message: "1 invalid event", details: { problems } } } },
    ]);
    for (const s of ["a", "b", "c"]) tracker.track(event(s));
    await tracker.flush();
    expect(batches.map((b) => b.events.map((e) => e.subject))).toEqual([
      ["a", "b", "c"],
      ["a", "c"],
    ]);
    expect(errors.map((e) => e.code)).toEqual(["invalid_events"]);
  });

  it("a 5xx keeps the batch for later; flush() resolves, and a later flush sends it", async () => {
    const { batches, errors, tracker } = await lectern([{ status: 503 }]);
    tracker.track(event("a"));
    await expect(tracker.flush()).resolves.toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(["unavailable"]);
    await tracker.flush();
    expect(batches.map((b) => b.events.map((e) => e.subject))).toEqual([["a"], ["a"]]);
  });

  it("a refusal other than 422 (a wrong key) drops the batch", async () => {
    const { batches, errors, tracker } = await lectern([{ status: 401, body: { error: { message: "Unknown key" } } }]);
    tracker.track(event("a"));
    await tracker.flush();
    await tracker.flush();
    expect(batches).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(["events_refused"]);
  });

  it("two flushes at once both resolve when the send fails", async () => {
    const { errors, tracker } = await lectern([{ status: 500 }, { status: 500 }]);
    tracker.track(event("a"));
    const results = await Promise.allSettled([tracker.flush(), tracker.flush()]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
