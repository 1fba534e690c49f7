import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PEER_HEADER } from "../lib/auth/client-ip";
import {
  BUS_SEQ_HEADER,
  forward,
  requestHeadersForNext,
  responseHeadersFromNext,
  type Upstream,
} from "./forward-to-next";

// Hop-by-hop fields a client or Next may send, as raw name/value pairs: neither direction passes them on.
const hopByHop = ["Connection", "keep-alive", "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked"];

describe("headers across the proxy", () => {
  it.each([
    [
      "keeps names' case, order and repeated fields",
      ["Host", "x", "Cookie", "a=1", "Cookie", "b=2"],
      ["Host", "x", "Cookie", "a=1", "Cookie", "b=2"],
    ],
    [
      "drops hop-by-hop fields",
      [...hopByHop, "TE", "trailers", "Upgrade", "h2c", "Expect", "100-continue", "Accept", "*/*"],
      ["Accept", "*/*"],
    ],
    [
      "drops the fields Connection names",
      ["Connection", "close, X-Secret", "X-Secret", "1", "X-Kept", "2"],
      ["X-Kept", "2"],
    ],
    [
      "drops a client's own peer header (only this server knows the peer)",
      ["X-Lectern-Peer", "6.6.6.6", "x-lectern-peer", "7.7.7.7"],
      [],
    ],
  ])("request: %s", (_, raw, kept) => {
    expect(requestHeadersForNext(raw, "10.0.0.9")).toEqual([...kept, PEER_HEADER, "10.0.0.9"]);
  });

  it("request: a peer the socket does not know is sent empty, never left out", () => {
    expect(requestHeadersForNext(["Host", "x"], undefined)).toEqual(["Host", "x", PEER_HEADER, ""]);
  });

  it.each([
    [
      "keeps every Set-Cookie",
      ["Set-Cookie", "a=1", "Set-Cookie", "b=2", "Content-Type", "text/html"],
      ["Set-Cookie", "a=1", "Set-Cookie", "b=2", "Content-Type", "text/html"],
    ],
    ["drops hop-by-hop fields and the bus sequence", [...hopByHop, BUS_SEQ_HEADER, "4", "Date", "d"], ["Date", "d"]],
  ])("response: %s", (_, raw, kept) => {
    expect(responseHeadersFromNext(raw)).toEqual(kept);
  });
});

// forward() over real sockets: a client → this "front" server → an upstream on a Unix socket, as Next's.
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const listen = (s: Server, where: string | number) =>
  new Promise<void>((r) => {
    s.listen(where as number, ...(typeof where === "number" ? ["127.0.0.1"] : []), () => r());
    closers.push(() => new Promise((done) => (s.closeAllConnections(), s.close(() => done()))));
  });

async function rig(
  upstream: ((req: IncomingMessage, res: ServerResponse) => void) | null,
  applied: Upstream["applied"] = async () => {},
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lectern-proxy-test-"));
  closers.push(async () => rmSync(dir, { recursive: true, force: true }));
  const socketPath = path.join(dir, "next.sock");
  if (upstream) await listen(createServer(upstream), socketPath);
  const agent = new Agent({ keepAlive: true });
  closers.push(async () => agent.destroy());
  const up: Upstream = { agent, socketPath, applied };
  const front = createServer((req, res) =>
    forward(req, res, up, (_req, r) => {
      r.writeHead(503, { "content-type": "application/json" });
      r.end('{"error":{"code":"unavailable"}}');
    }),
  );
  await listen(front, 0);
  return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}

function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer[] } = {}) {
  return new Promise<{ status: number; raw: string[]; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, raw: res.rawHeaders, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    for (const b of opts.body ?? []) req.write(b);
    req.end();
  });
}

describe("forward", () => {
  it("streams a large body each way, byte for byte, with the status, cookies and the client's address", async () => {
    let seen: { peer?: string; method?: string; url?: string; bytes?: number } = {};
    const url = await rig((req, res) => {
      let bytes = 0;
      req.on("data", (c: Buffer) => (bytes += c.length));
      req.on("end", () => {
        seen = { peer: req.headers[PEER_HEADER] as string, method: req.method, url: req.url, bytes };
        res.statusCode = 201;
        res.statusMessage = "Made";
        res.setHeader("set-cookie", ["a=1", "b=2"]);
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, i));
        res.end();
      });
    });
    const upload = Array.from({ length: 40 }, (_, i) => Buffer.alloc(128 * 1024, i));
    const r = await call(`${url}/api/v1/datasets/x/items?q=1`, {
      method: "POST",
      headers: { [PEER_HEADER]: "6.6.6.6" },
      body: upload,
    });
    expect(seen).toEqual({
      peer: "127.0.0.1",
      method: "POST",
      url: "/api/v1/datasets/x/items?q=1",
      bytes: 40 * 128 * 1024,
    });
    expect(r.status).toBe(201);
    expect(r.raw.filter((_, i) => i % 2 === 0 && r.raw[i]!.toLowerCase() === "set-cookie")).toHaveLength(2);
    expect(r.body.length).toBe(64 * 64 * 1024);
    expect(r.body[64 * 1024 * 63]).toBe(63);
  });

  it("answers `unavailable` when nothing listens on the socket, and a HEAD gets no body", async () => {
    const url = await rig(null);
    const r = await call(`${url}/login`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body.toString())).toEqual({ error: { code: "unavailable" } });
    const head = await call(`${await rig((_req, res) => res.end("a body"))}/x`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("holds an answer until the bus messages announced before it are applied", async () => {
    const order: string[] = [];
    let apply!: () => void;
    const applied = (n: number) => {
      order.push(`wait ${n}`);
      return new Promise<void>((r) => (apply = r));
    };
    const url = await rig((_req, res) => {
      res.setHeader(BUS_SEQ_HEADER, "3");
      res.end("changed");
    }, applied);
    const answer = call(`${url}/api/v1/prompts/p/deployments`, { method: "POST" }).then(
      (r) => (order.push("answered"), r),
    );
    await new Promise((r) => setTimeout(r, 100));
    order.push("applied");
    apply();
    const r = await answer;
    expect(order).toEqual(["wait 3", "applied", "answered"]);
    expect(r.body.toString()).toBe("changed");
    expect(r.raw.map((h) => h.toLowerCase())).not.toContain(BUS_SEQ_HEADER);
  });

  it("stops Next's work when the client goes away mid-answer", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    const url = await rig((_req, res) => {
      res.write("first chunk");
      res.once("close", upstreamClosed); // never ends on its own, like a stream
    });
    await new Promise<void>((resolve) => {
      const req = request(`${url}/stream`, (res) => res.once("data", () => (req.destroy(), resolve())));
      req.on("error", () => {});
      req.end();
    });
    await closed;
  });
});
