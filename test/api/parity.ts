// Shared by the fast-path parity api tests: raw requests to Lectern's own server (`npm start`) and to
// plain `next start` on the same database and Redis, and a prompt and keys both servers hold in L1.
// Needs both servers: scripts/with-server.sh with LECTERN_TEST_SERVER=both (postgres mode) sets
// LECTERN_TEST_NEXT_URL; scripts/test.sh runs it so.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { expect } from "vitest";
import { baseUrl, call } from "./client";

export const nextUrl = process.env.LECTERN_TEST_NEXT_URL ?? "";
export const uniq = () => randomBytes(4).toString("hex");

export type Raw = { status: number; headers: Record<string, string>; body: string };

// Headers that describe the connection or the clock, not the answer.
const transport = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/** One request with node:http, so nothing is added (no Accept-Encoding) and nothing is decoded. */
export function raw(
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
export const normalize = (r: Raw) => ({ ...r, body: r.body.replace(/"resolvedAt":"[^"]+"/g, '"resolvedAt":"…"') });

export async function both(
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
export async function same(...request: Parameters<typeof both>) {
  const { fast, next } = await both(...request);
  const [method, path] = request;
  expect(fast, `${method} ${path}`).toEqual(next);
  return fast;
}

export const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

/**
 * Listens to a server's event stream (GET /api/v1/events) from now on. `heard(text, what)` resolves once a
 * `prompt.changed` frame containing `text` has come: the server has applied that change to its caches, which it
 * does before telling its listeners. Throws naming `what` after 15 s.
 */
export async function changesOn(base: string, key: string) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers: bearer(key), signal: ac.signal });
  expect(res.status, `GET ${base}/api/v1/events`).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const until = async (found: (frame: string) => boolean, what: string) => {
    const timer = setTimeout(() => ac.abort(), 15_000);
    try {
      for (;;) {
        const frames = buf.split("\n\n");
        buf = frames.pop()!;
        if (frames.some(found)) return;
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) throw new Error(`${base} did not announce ${what} within 15 s`);
        buf += decoder.decode(chunk.value, { stream: true });
      }
    } finally {
      clearTimeout(timer);
    }
  };
  await until((f) => f.includes(": connected"), "that the stream is connected");
  return {
    heard: (text: string, what: string) =>
      until((f) => f.includes("event: prompt.changed") && f.includes(text), what).finally(() => ac.abort()),
  };
}

/** A prompt (v1 live in production, v2 unreleased), a runtime key, one limited to staging, and the public id. */
export async function paritySetup() {
  if (!nextUrl)
    throw new Error(
      "LECTERN_TEST_NEXT_URL is not set: run with LECTERN_TEST_SERVER=both scripts/with-server.sh postgres (scripts/test.sh does).",
    );
  const name = `parity-${uniq()}`;
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
  const runtimeKey: string = (await call("POST", "/api/v1/api-keys", { body: { name: "parity", scope: "runtime" } }))
    .body.key;
  const limitedKey: string = (
    await call("POST", "/api/v1/api-keys", {
      body: { name: "parity staging", scope: "runtime", environments: ["staging"] },
    })
  ).body.key;
  const publicId: string = (await call("GET", "/api/v1/project")).body.publicId;
  // Both instances hold the prompt and the keys in L1, so `x-lectern-cache` says the same.
  for (const base of [baseUrl, nextUrl])
    for (let i = 0; i < 2; i++) await raw(base, "GET", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey));
  return { name, runtimeKey, limitedKey, publicId };
}
