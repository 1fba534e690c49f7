// The runtime paths answered by Lectern's own server (`npm start`, server/main.ts) and by plain
// `next start` (the route handlers), side by side on one database and Redis: status, headers that
// matter and bodies must be the same byte for byte. Needs both servers: scripts/with-server.sh with
// LECTERN_TEST_SERVER=both (postgres mode) sets LECTERN_TEST_NEXT_URL; scripts/test.sh runs it so.
import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "./client";

const nextUrl = process.env.LECTERN_TEST_NEXT_URL ?? "";
const uniq = () => randomBytes(4).toString("hex");

type Raw = { status: number; headers: Record<string, string>; body: string };

// Headers that describe the connection or the clock, not the answer.
const transport = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/** One request with node:http, so nothing is added (no Accept-Encoding) and nothing is decoded. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  opts: { chunked?: boolean; maxBytes?: number } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const u = new URL(base + path);
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined && !opts.chunked) h["content-length"] = Buffer.byteLength(body);
    const req = request({ host: u.hostname, port: u.port, method, path: path, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (!transport.has(k) && v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode!, headers: out, body: Buffer.concat(chunks).toString("utf8") });
      };
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // An event stream never ends: keep what came first and hang up.
        if (opts.maxBytes && size >= opts.maxBytes) {
          res.destroy();
          done();
        }
      });
      res.on("end", done);
      res.on("error", () => done());
    });
    req.on("error", (e) => (opts.maxBytes ? undefined : reject(e)));
    if (body !== undefined) {
      if (opts.chunked) {
        // Written in pieces without a declared length: the limit must hold while streaming.
        const b = Buffer.from(body);
        for (let i = 0; i < b.length; i += 64 * 1024) req.write(b.subarray(i, i + 64 * 1024));
      } else req.write(body);
    }
    req.end();
  });
}

// The instant of the answer differs between two requests; nothing else may.
const normalize = (r: Raw) => ({ ...r, body: r.body.replace(/"resolvedAt":"[^"]+"/g, '"resolvedAt":"…"') });

async function both(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  opts: { chunked?: boolean; maxBytes?: number } = {},
) {
  const fast = normalize(await raw(baseUrl, method, path, headers, body, opts));
  const next = normalize(await raw(nextUrl, method, path, headers, body, opts));
  return { fast, next };
}

/** Sends the same request to both servers and asserts the same answer; returns it. */
async function same(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  opts: { chunked?: boolean; maxBytes?: number } = {},
) {
  const { fast, next } = await both(method, path, headers, body, opts);
  expect(fast, `${method} ${path}`).toEqual(next);
  return fast;
}

let name = "";
let runtimeKey = "";
let limitedKey = "";
let publicId = "";
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

beforeAll(async () => {
  if (!nextUrl)
    throw new Error(
      "LECTERN_TEST_NEXT_URL is not set: run with LECTERN_TEST_SERVER=both scripts/with-server.sh postgres (scripts/test.sh does).",
    );
  name = `parity-${uniq()}`;
  expect(
    (
      await call("POST", "/api/v1/prompts", {
        body: { name, type: "text", template: "Hello {{name}}!", variables: [{ name: "name" }] },
      })
    ).status,
  ).toBe(201);
  expect(
    (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } }))
      .status,
  ).toBe(201);
  expect(
    (await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Unreleased {{name}}" } })).status,
  ).toBe(201);
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: "parity", scope: "runtime" } })).body.key;
  limitedKey = (
    await call("POST", "/api/v1/api-keys", {
      body: { name: "parity staging", scope: "runtime", environments: ["staging"] },
    })
  ).body.key;
  publicId = (await call("GET", "/api/v1/project")).body.publicId;
  // Both instances hold the prompt and the keys in L1, so `x-lectern-cache` says the same.
  for (const base of [baseUrl, nextUrl])
    for (let i = 0; i < 2; i++) await raw(base, "GET", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey));
});

describe("GET /api/v1/prompts/resolve: the same answer from both servers", () => {
  it("an L1 hit: status, ETag, cache headers, security headers and body", async () => {
    const r = await same("GET", `/api/v1/prompts/resolve?name=${name}&subject=user-7`, bearer(runtimeKey));
    expect(r.status).toBe(200);
    expect(r.headers["x-lectern-cache"]).toBe("l1");
    expect(r.headers.etag).toMatch(/^"/);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(r.body)).toMatchObject({ name, version: 1, subject: "user-7" });
  });

  it("304 on If-None-Match (strong, weak, in a list) and 200 on another ETag", async () => {
    const etag = (await raw(baseUrl, "GET", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey))).headers.etag!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`]) {
      const r = await same("GET", `/api/v1/prompts/resolve?name=${name}`, {
        ...bearer(runtimeKey),
        "if-none-match": inm,
      });
      expect(r.status).toBe(304);
      expect(r.body).toBe("");
    }
    expect(
      (await same("GET", `/api/v1/prompts/resolve?name=${name}`, { ...bearer(runtimeKey), "if-none-match": '"other"' }))
        .status,
    ).toBe(200);
  });

  it("pins, point-in-time answers and include=experiment", async () => {
    // Each instance caches the pin once; the second asks warm it first, so both say l1.
    for (const q of ["version=2", "include=experiment"])
      for (const base of [baseUrl, nextUrl])
        await raw(base, "GET", `/api/v1/prompts/resolve?name=${name}&${q}`, bearer(runtimeKey));
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}&version=2`, bearer(runtimeKey))).status).toBe(200);
    expect(
      (
        await same(
          "GET",
          `/api/v1/prompts/resolve?name=${name}&at=${encodeURIComponent(new Date().toISOString())}`,
          bearer(runtimeKey),
        )
      ).status,
    ).toBe(200);
    expect(
      (await same("GET", `/api/v1/prompts/resolve?name=${name}&include=experiment`, bearer(runtimeKey))).status,
    ).toBe(200);
  });

  it.each([
    ["no key", "", {}, 401],
    ["a malformed Authorization header", "", { authorization: "Token abc" }, 401],
    ["an unknown key", "", { authorization: "Bearer lk_nope_0000000000000000000000" }, 401],
    [
      "a Basic header with another project's public id",
      "",
      { authorization: `Basic ${Buffer.from("pk-nope:KEY").toString("base64")}` },
      401,
    ],
    ["no name", "environment=production", "runtime", 400],
    ["a bad version", "version=abc&name=NAME", "runtime", 400],
    ["a bad include", "include=all&name=NAME", "runtime", 400],
    ["a bad at", "at=yesterday&name=NAME", "runtime", 400],
    ["a NUL in the query", "name=a%00b", "runtime", 400],
    ["an unknown prompt", "name=does-not-exist-anywhere", "runtime", 404],
    ["an unknown environment", "name=NAME&environment=nowhere", "runtime", 404],
    ["a limited key outside its environments", "name=NAME", "limited", 403],
    ["a limited key asking for a version", "name=NAME&environment=staging&version=2", "limited", 403],
  ])("the same error for %s", async (_what, q, who, status) => {
    const headers =
      who === "runtime" ? bearer(runtimeKey) : who === "limited" ? bearer(limitedKey) : (who as Record<string, string>);
    const r = await same("GET", `/api/v1/prompts/resolve?${q.replace("NAME", name)}`, headers);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body).error.code).toEqual(expect.any(String));
  });

  it("a Basic header with the project's public id (Langfuse style) is accepted by both", async () => {
    const basic = { authorization: `Basic ${Buffer.from(`${publicId}:${runtimeKey}`).toString("base64")}` };
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}`, basic)).status).toBe(200);
  });

  it("methods other than GET and POST", async () => {
    expect((await same("PUT", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey))).status).toBe(405);
    expect((await same("DELETE", "/api/v1/events", bearer(runtimeKey))).status).toBe(405);
  });

  it("HEAD: the GET answer's status and headers, no body (and no event stream held open)", async () => {
    const r = await same("HEAD", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey));
    expect(r.status).toBe(200);
    expect(r.headers.etag).toMatch(/^"/);
    expect(r.body).toBe("");
    expect(
      (await same("HEAD", `/api/v1/prompts/resolve?name=does-not-exist-anywhere`, bearer(runtimeKey))).status,
    ).toBe(404);
    expect((await same("HEAD", `/api/v1/prompts/resolve?name=${name}`)).status).toBe(401);
    const events = await same("HEAD", "/api/v1/events", bearer(runtimeKey));
    expect(events.status).toBe(200);
    expect(events.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  });
});

describe("POST /api/v1/prompts/resolve: the same answer from both servers", () => {
  const post = (body: unknown, headers: Record<string, string> = bearer(runtimeKey)) =>
    same(
      "POST",
      "/api/v1/prompts/resolve",
      { ...headers, "content-type": "application/json" },
      typeof body === "string" ? body : JSON.stringify(body),
    );

  it("renders, and refuses bad input the same way", async () => {
    // POST reads the cache through get(): warm both so the layer header agrees.
    await both(
      "POST",
      "/api/v1/prompts/resolve",
      { ...bearer(runtimeKey), "content-type": "application/json" },
      JSON.stringify({ name, variables: { name: "Ada" } }),
    );
    const ok = await post({ name, variables: { name: "Ada" } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).rendered).toBe("Hello Ada!");
    expect((await post({ name })).status).toBe(422);
    expect((await post({ name, variables: [] })).status).toBe(400);
    expect((await post("{not json")).status).toBe(400);
    expect((await post("")).status).toBe(400);
    expect((await post({ name, variables: { name: "a\u0000b" } })).status).toBe(400);
    expect((await post({ name }, {})).status).toBe(401);
  });

  it("413 for a body over 1 MiB, declared or streamed without a length", async () => {
    const big = JSON.stringify({ name, variables: { name: "x".repeat(1024 * 1024 + 10) } });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.details).toEqual({ limit: 1024 * 1024 });
    const streamed = await same(
      "POST",
      "/api/v1/prompts/resolve",
      { ...bearer(runtimeKey), "content-type": "application/json" },
      big,
      { chunked: true },
    );
    expect(streamed).toEqual(declared);
  });
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

// Keep-alive and pipelining: two requests written at once on one connection get two answers, in order.
describe("Lectern's own server", () => {
  it("answers pipelined requests on one keep-alive connection in order", async () => {
    const { connect } = await import("node:net");
    const u = new URL(baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => {
        const one = (q: string) =>
          `GET /api/v1/prompts/resolve?${q} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${runtimeKey}\r\n\r\n`;
        s.write(
          one(`name=${name}&subject=first`) + one("name=does-not-exist-anywhere") + one(`name=${name}&subject=third`),
        );
      });
      let buf = "";
      s.on("data", (d) => {
        buf += d;
        if ((buf.match(/HTTP\/1\.1 /g) ?? []).length === 3 && buf.includes('"subject":"third"')) {
          s.end();
          resolve(buf);
        }
      });
      s.on("error", reject);
      setTimeout(() => reject(new Error(`timed out: ${buf}`)), 10_000);
    });
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(["200", "404", "200"]);
    expect(text.indexOf('"subject":"first"')).toBeLessThan(text.indexOf('"subject":"third"'));
  });

  it("limits open event streams per key with a 429 naming the limit (LECTERN_SSE_MAX_PER_KEY), on both servers", async () => {
    const limit = Number(process.env.LECTERN_TEST_SSE_MAX_PER_KEY ?? "0");
    expect(limit, "with-server.sh sets LECTERN_TEST_SSE_MAX_PER_KEY").toBeGreaterThan(0);
    for (const base of [baseUrl, nextUrl]) {
      const key = (await call("POST", "/api/v1/api-keys", { body: { name: `sse ${uniq()}`, scope: "runtime" } })).body
        .key as string;
      const open: AbortController[] = [];
      try {
        for (let i = 0; i < limit; i++) {
          const ac = new AbortController();
          open.push(ac);
          expect((await fetch(`${base}/api/v1/events`, { headers: bearer(key), signal: ac.signal })).status).toBe(200);
        }
        const refused = await raw(base, "GET", "/api/v1/events", bearer(key));
        expect(refused.status).toBe(429);
        expect(refused.headers["retry-after"]).toBe("5");
        expect(JSON.parse(refused.body).error).toMatchObject({ code: "rate_limited", details: { limit, open: limit } });
      } finally {
        for (const ac of open) ac.abort();
      }
      // A closed stream gives its slot back.
      await new Promise((r) => setTimeout(r, 300));
      const again = await raw(base, "GET", "/api/v1/events", bearer(key), undefined, { maxBytes: 10 });
      expect(again.status).toBe(200);
    }
  });

  it("refuses a declared body over the limit before it arrives, and closes the connection", async () => {
    const { connect } = await import("node:net");
    const u = new URL(baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => {
        s.write(
          `POST /api/v1/prompts/resolve HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${runtimeKey}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"name":`,
        );
      });
      let buf = "";
      s.on("data", (d) => (buf += d));
      // The server answers without waiting for the 2 MiB and ends the connection.
      s.on("close", () => resolve(buf));
      s.on("error", reject);
      setTimeout(() => reject(new Error(`the connection stayed open: ${buf}`)), 10_000);
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text).toContain(
      '{"error":{"code":"payload_too_large","message":"Request body is larger than 1048576 bytes.","details":{"limit":1048576}}}',
    );
  });

  it("uses the admin key like the route handlers (runtime paths accept it)", async () => {
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}`, bearer(adminKey))).status).toBe(200);
  });
});
