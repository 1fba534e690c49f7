// Event ingest and the event stream, answered by Lectern's own server (`npm start`) and by plain `next start`
// on one database and Redis: the same status, headers and body byte for byte (parity.ts).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl } from "./client";
import { bearer, nextUrl, paritySetup, raw, same, uniq } from "./parity";

let name = "";
let runtimeKey = "";

beforeAll(async () => {
  ({ name, runtimeKey } = await paritySetup());
});

describe("/api/v1/events: the same answer from both servers", () => {
  const post = (body: unknown, headers: Record<string, string> = bearer(runtimeKey)) =>
    same("POST", "/api/v1/events", { ...headers, "content-type": "application/json" }, JSON.stringify(body));
  const event = () => ({
    id: randomUUID(),
    type: "metric",
    name: "score",
    value: 1,
    prompt: name,
    version: 1,
    subject: `s-${uniq()}`,
  });

  it("ingests a batch (202 once written) and refuses bad events listing each", async () => {
    // Different event ids for each server: the second would otherwise count them as duplicates.
    const h = { ...bearer(runtimeKey), "content-type": "application/json" };
    const fast = await raw(baseUrl, "POST", "/api/v1/events", h, JSON.stringify({ events: [event(), event()] }));
    const next = await raw(nextUrl, "POST", "/api/v1/events", h, JSON.stringify({ events: [event(), event()] }));
    expect(fast).toEqual(next);
    expect(fast.status).toBe(202);
    expect(JSON.parse(fast.body)).toEqual({ accepted: 2, duplicates: 0 });
    // A repeated id is acknowledged and not counted twice, on either server.
    const batch = JSON.stringify({ events: [event(), event()] });
    expect(await raw(baseUrl, "POST", "/api/v1/events", h, batch)).toEqual({
      ...fast,
      body: '{"accepted":2,"duplicates":0}',
    });
    expect(await raw(nextUrl, "POST", "/api/v1/events", h, batch)).toEqual({
      ...fast,
      body: '{"accepted":0,"duplicates":2}',
    });
    const bad = await post({ events: [event(), { type: "nope" }] });
    expect(bad.status).toBe(422);
    expect((await post({ events: "x" })).status).toBe(422);
    expect((await post({ events: [event()] }, {})).status).toBe(401);
  });

  it("the stream's status, headers and first frame; bad Last-Event-ID input", async () => {
    const r = await same("GET", "/api/v1/events", bearer(runtimeKey), undefined, { maxBytes: 24 });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(r.body.startsWith("retry: 2000\n: connected\n\n")).toBe(true);
    expect((await same("GET", "/api/v1/events?lastEventId=abc", bearer(runtimeKey))).status).toBe(400);
    expect((await same("GET", "/api/v1/events", {})).status).toBe(401);
  });
});
