import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { partsStream } from "../lib/server/http/answer-stream";
import { toResponse } from "../lib/server/http/next-runtime";
import { fastPath } from "./fast-path";

// An answer in parts (batch resolve) through both adapters: the next part is made only when the client has read
// the last (a reader that stops reading holds a bounded amount, never the whole answer); a reader that stops is
// cut off after the idle time; a part that fails cuts the connection instead of ending the answer cleanly.

const PART = "y".repeat(256 * 1024);

/** `total` parts, counting how many were made; `failAt` throws instead of making that part. */
function counted(total: number, failAt = -1) {
  const seen = { made: 0, finished: false };
  async function* parts() {
    for (let i = 0; i < total; i++) {
      if (i === failAt) throw new Error("the database went away");
      seen.made++;
      yield PART;
    }
    seen.finished = true;
  }
  return { parts: parts(), seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(stream: ReturnType<typeof partsStream>) {
  const fast = fastPath();
  let closed!: () => void;
  const responseClosed = new Promise<void>((r) => (closed = r));
  server = createServer((req, res) => {
    res.once("close", closed);
    fast.answer(req, res, { status: 200, headers: { "content-type": "application/json" }, body: null, stream });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, responseClosed };
}

/**
 * A raw HTTP client: sends GET, starts paused; `read()` resumes and resolves with the bytes and whether the chunked
 * answer ended with its last chunk (a connection cut before it is an answer that did not finish).
 */
function client(port: number) {
  const socket = connect(port, "127.0.0.1");
  socket.write("GET /answer HTTP/1.1\r\nHost: lectern.test\r\nConnection: close\r\n\r\n");
  socket.pause();
  let bytes = 0;
  let tail = "";
  const ended = new Promise<{ bytes: number; whole: boolean }>((resolve) => {
    const done = () => resolve({ bytes, whole: tail.endsWith("\r\n0\r\n\r\n") });
    socket.on("data", (d: Buffer) => {
      bytes += d.length;
      tail = (tail + d.toString("latin1")).slice(-16);
    });
    socket.on("close", done);
  });
  return { socket, read: () => (socket.resume(), ended) };
}

describe("an answer in parts, on Lectern's own server", () => {
  it("makes the next part only when the client has read the last, and sends every part", async () => {
    const f = counted(200); // 50 MiB
    const { port } = await serve(partsStream(f.parts));
    const c = client(port);
    await sleep(500);
    // The kernel's buffers (a few MiB on loopback) and the server's mark: far from 200 parts.
    expect(f.seen.made).toBeGreaterThan(0);
    expect(f.seen.made).toBeLessThan(80);
    const { bytes, whole } = await c.read();
    expect(whole).toBe(true);
    expect(f.seen.finished).toBe(true);
    expect(bytes).toBeGreaterThan(200 * PART.length);
  }, 30_000);

  it("cuts off a client that stops reading, and stops making parts", async () => {
    const f = counted(200);
    const { port, responseClosed } = await serve(partsStream(f.parts, { idleMs: 200 }));
    const c = client(port);
    await responseClosed;
    const made = f.seen.made;
    await sleep(100);
    expect(f.seen.made).toBe(made);
    expect(f.seen.finished).toBe(false);
    c.socket.destroy();
  }, 30_000);

  it("a part that fails cuts the connection: the answer never looks whole", async () => {
    const f = counted(10, 3);
    const { port } = await serve(partsStream(f.parts));
    const { whole, bytes } = await client(port).read();
    expect(bytes).toBeGreaterThan(3 * PART.length);
    expect(whole).toBe(false);
  });
});

describe("an answer in parts gives back what it holds once, however it ends", () => {
  it("onDone once: read to the end, cut off for not reading, or the client gone; beforePart before each write", async () => {
    const ended = { count: 0 };
    const whole = counted(3);
    let turns = 0;
    const stream = partsStream(whole.parts, {
      onDone: () => ended.count++,
      beforePart: async () => void turns++,
    });
    const { port } = await serve(stream);
    expect((await client(port).read()).whole).toBe(true);
    await sleep(50);
    expect(ended.count).toBe(1);
    expect(turns).toBe(3);
    server!.close();
    server = undefined;

    const idle = { count: 0 };
    const cut = await serve(partsStream(counted(200).parts, { idleMs: 200, onDone: () => idle.count++ }));
    const c = client(cut.port);
    await cut.responseClosed;
    await sleep(50);
    expect(idle.count).toBe(1);
    c.socket.destroy();
    server!.close();
    server = undefined;

    const gone = { count: 0 };
    const g = await serve(partsStream(counted(200).parts, { onDone: () => gone.count++ }));
    const d = client(g.port);
    await sleep(200);
    d.socket.destroy();
    await g.responseClosed;
    await sleep(50);
    expect(gone.count).toBe(1);
  }, 30_000);
});

describe("an answer in parts, through Next's adapter", () => {
  const respond = (stream: ReturnType<typeof partsStream>) =>
    toResponse(new Request("http://lectern.test/api/v1/prompts/resolve"), {
      status: 200,
      headers: { "content-type": "application/json" },
      body: null,
      stream,
    });

  it("makes parts as the body is read, and delivers all of them", async () => {
    const f = counted(40);
    const reader = respond(partsStream(f.parts)).body!.getReader();
    await sleep(50);
    expect(f.seen.made).toBeLessThanOrEqual(2); // the queue's mark is one part
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      expect(f.seen.made).toBeLessThanOrEqual(Math.ceil(bytes / PART.length) + 2);
    }
    expect(bytes).toBe(40 * PART.length);
    expect(f.seen.finished).toBe(true);
  });

  it("errors the body of a reader that stops reading, and of a part that fails", async () => {
    const idle = counted(40);
    const reader = respond(partsStream(idle.parts, { idleMs: 50 })).body!.getReader();
    await sleep(200);
    expect(idle.seen.made).toBeLessThanOrEqual(2);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })(),
    ).rejects.toThrow(/could not be finished/);
    const failing = counted(10, 3);
    await expect(respond(partsStream(failing.parts)).text()).rejects.toThrow(/could not be finished/);
  });
});
