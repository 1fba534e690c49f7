import { describe, expect, it } from "vitest";
import type { Endpoint } from "./endpoint";
import * as runtimeEndpoints from "./endpoints/runtime";
import { SSE_MAX_BUFFERED, type EventStream, type SseSink } from "./event-stream";
import { runtimeRoute, toResponse } from "./next-runtime";
import { RUNTIME_PATHS } from "./runtime-http";

// The Next adapter's event stream (plain `next start`): a reader that stops reading is cut off once
// SSE_MAX_BUFFERED bytes wait for it, and a reader that keeps up never is.

const CHUNK = "x".repeat(16 * 1024);

/** An event stream driven by the test: `write` sends CHUNK and, as eventStream does, closes when refused. */
function scripted() {
  const seen = { written: 0, refused: false, closed: false };
  let sink: SseSink | undefined;
  const stream: EventStream = {
    open(s) {
      sink = s;
    },
    close() {
      seen.closed = true;
      sink?.end();
    },
  };
  const write = () => {
    seen.written++;
    const ok = sink!.write(CHUNK);
    if (!ok) {
      seen.refused = true;
      stream.close();
    }
    return ok;
  };
  return { stream, seen, write };
}

const answer = (stream: EventStream) =>
  toResponse(new Request("http://lectern.test/api/v1/events"), {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    body: null,
    stream,
  });

describe("Next adapter: event stream backpressure", () => {
  it("cuts off a reader that stopped reading once SSE_MAX_BUFFERED bytes wait, and ends its body", async () => {
    const f = scripted();
    const res = answer(f.stream);
    for (let i = 0; i < 1000 && f.write(); i++); // bounded: an adapter without backpressure never refuses
    expect(f.seen.closed).toBe(true);
    expect(f.seen.written * CHUNK.length).toBe(SSE_MAX_BUFFERED);
    // What was queued is still delivered, then the body ends (the client reconnects with Last-Event-ID).
    expect((await res.text()).length).toBe(SSE_MAX_BUFFERED);
  });

  it("never cuts off a reader that keeps up, however much it is sent", async () => {
    const f = scripted();
    const reader = answer(f.stream).body!.getReader();
    const perRound = SSE_MAX_BUFFERED / CHUNK.length - 1;
    let received = 0;
    // Eight times the limit: a little less than the limit at a time, each read in full before the next.
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < perRound; i++) expect(f.write()).toBe(true);
      for (let i = 0; i < perRound; i++) received += (await reader.read()).value!.byteLength;
    }
    expect(f.seen.refused).toBe(false);
    expect(received).toBe(8 * perRound * CHUNK.length);
    f.stream.close();
    expect((await reader.read()).done).toBe(true);
  });
});

describe("runtimeRoute", () => {
  it("serves each runtime declaration from the core endpoint its path names", () => {
    const declared = Object.values(runtimeEndpoints) as Endpoint[];
    expect(new Set(declared.map((e) => e.path))).toEqual(new Set(Object.keys(RUNTIME_PATHS)));
    for (const e of declared) expect(typeof runtimeRoute(e as never)).toBe("function");
  });

  it("refuses a declaration whose path the core does not serve", () => {
    const e = { ...runtimeEndpoints.resolvePrompt, path: "/api/v1/prompts" };
    expect(() => runtimeRoute(e as never)).toThrow(/not a runtime path/);
  });
});

describe("Next's adapter: an answer's own ETag", () => {
  it("is sent beside the shared headers, which stay untouched", () => {
    const shared = Object.freeze({ "content-type": "application/json" });
    const res = toResponse(new Request("http://lectern.test/api/compat/x"), {
      status: 200,
      headers: shared,
      body: "{}",
      etag: '"abc"',
    });
    expect(res.headers.get("etag")).toBe('"abc"');
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(shared).toEqual({ "content-type": "application/json" });
  });
});
