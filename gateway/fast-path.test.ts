import { createServer, get, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EventStream, SseSink } from "../lib/server/http/event-stream";
import { fastPath } from "./fast-path";

// Lectern's own server's event streams, over a real socket: a client that stops reading is cut off
// (its connection destroyed, its stream closed) once SSE_MAX_BUFFERED bytes wait beyond what the kernel
// holds; a client that keeps reading is never cut off.

const CHUNK = "x".repeat(16 * 1024);

/** An event stream that writes CHUNK `perTick` times a millisecond until refused or `total` chunks, as eventStream closes when refused. */
function scripted(perTick: number, total = Infinity) {
  const seen = { written: 0, refused: false, closed: false };
  let sink: SseSink | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stream: EventStream = {
    open(s) {
      sink = s;
      timer = setInterval(() => {
        for (let i = 0; i < perTick && !seen.closed; i++) {
          if (seen.written >= total) {
            stream.close();
            return;
          }
          seen.written++;
          if (!s.write(CHUNK)) {
            seen.refused = true;
            stream.close();
          }
        }
      }, 1);
    },
    close() {
      if (seen.closed) return;
      seen.closed = true;
      clearInterval(timer);
      sink?.end();
    },
  };
  return { stream, seen };
}

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server whose every request gets `stream`; resolves with its port and a promise of the response's close. */
async function serve(stream: EventStream) {
  const fast = fastPath();
  let closed!: () => void;
  const responseClosed = new Promise<void>((r) => (closed = r));
  server = createServer((req, res) => {
    res.once("close", closed);
    fast.answer(req, res, {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8" },
      body: null,
      stream,
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, responseClosed };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} within ${ms} ms`)), ms))]);

describe("fast path: event stream backpressure", () => {
  it("destroys the connection of a client that stopped reading, and closes its stream", async () => {
    const f = scripted(8);
    const { port, responseClosed } = await serve(f.stream);
    const client = connect(port, "127.0.0.1");
    client.write("GET /api/v1/events HTTP/1.1\r\nHost: lectern.test\r\n\r\n");
    client.pause(); // reads nothing, ever
    await within(responseClosed, 20_000, "the slow reader was not cut off");
    expect(f.seen.refused).toBe(true);
    expect(f.seen.closed).toBe(true);
    // What it was sent is bounded: the kernel's buffers (a few MiB on loopback) plus SSE_MAX_BUFFERED.
    expect(f.seen.written * CHUNK.length).toBeLessThan(32 * 2 ** 20);
    client.destroy();
  }, 30_000);

  it("never cuts off a client that keeps reading", async () => {
    const total = 1024; // 16 MiB
    const f = scripted(4, total);
    const { port } = await serve(f.stream);
    const received = await within(
      new Promise<number>((resolve, reject) =>
        get({ port, host: "127.0.0.1", path: "/api/v1/events" }, (res) => {
          let n = 0;
          res.on("data", (d: Buffer) => (n += d.length));
          res.on("end", () => resolve(n));
          res.on("error", reject);
        }).on("error", reject),
      ),
      30_000,
      "the stream did not end",
    );
    expect(f.seen.refused).toBe(false);
    expect(received).toBe(total * CHUNK.length);
  }, 40_000);
});

describe("fast path: an answer's own ETag beside shared headers", () => {
  const fetchOnce = (port: number) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) =>
      get({ port, host: "127.0.0.1", path: "/x" }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      }).on("error", reject),
    );

  it("sends each answer's etag with the frozen headers' prebuilt wire form, and both ways agree", async () => {
    const fast = fastPath();
    const frozen = Object.freeze({ "content-type": "application/json", "cache-control": "private, no-cache" });
    let n = 0;
    server = createServer((req, res) => {
      n++;
      const body = JSON.stringify({ n });
      // The first two share the frozen object (its wire form built once); the third is a plain object.
      const headers = n <= 2 ? frozen : { ...frozen };
      fast.answer(req, res, { status: 200, headers, body, etag: `"tag-${n}"` });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    for (const i of [1, 2, 3]) {
      const r = await fetchOnce(port);
      expect(r.status).toBe(200);
      expect(r.body).toBe(JSON.stringify({ n: i }));
      expect(r.headers.etag).toBe(`"tag-${i}"`);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["cache-control"]).toBe("private, no-cache");
      expect(r.headers["content-length"]).toBe(String(r.body.length));
      expect(r.headers.vary).toMatch(/, Accept-Encoding$/);
    }
  });

  it("varies an archive's answer as Next does: not on Accept-Encoding (it is not compressed)", async () => {
    const fast = fastPath();
    const frozen = Object.freeze({ "content-type": "application/gzip" });
    server = createServer((req, res) =>
      fast.answer(req, res, { status: 200, headers: frozen, body: "x", etag: '"a"' }),
    );
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const r = await fetchOnce((server.address() as AddressInfo).port);
    expect(r.headers.etag).toBe('"a"');
    expect(r.headers.vary).toBe("rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch");
  });
});
