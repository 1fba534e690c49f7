// Resource limits of a server, as a process, from outside: connection caps (idle connections from one
// address cannot take resolve and health down), the documented header timeout measured, requests no
// route takes (TRACE, absolute-form targets), and per-key budgets of ingest and of batch resolve answers.
import { request } from "node:http";
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, instanceWithPrompt, type createDatabase, type ServerProcess } from "./harness";
import { waitFor } from "../waits";

const ADMIN = `lk_cluster_limits_${randomBytes(12).toString("hex")}`;
let db: Awaited<ReturnType<typeof createDatabase>>;
let server: ServerProcess;
let runtimeKey = "";
const onlyNext = process.env.LECTERN_TEST_SERVER === "next";
const PER_ADDRESS = 20;

beforeAll(async () => {
  ({ db, server, runtimeKey } = await instanceWithPrompt({
    admin: ADMIN,
    secret: "limits-secret-limits-secret-limits-0001",
    prompt: "lim-prompt",
    templates: ["Hi {{x}}"],
    env: {
      LECTERN_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
      LECTERN_INGEST_REQUESTS_PER_MINUTE: "5",
      LECTERN_INGEST_BYTES_PER_MINUTE: "20000",
      LECTERN_BATCH_BYTES_PER_MINUTE: "20000",
    },
  }));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

/** A raw connection from `localAddress` (another loopback address stands for another client). */
function open(localAddress = "127.0.0.1"): Promise<Socket & { closedAt?: number; received: string }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port: server.port, localAddress }) as Socket & {
      closedAt?: number;
      received: string;
    };
    s.received = "";
    s.on("data", (d) => (s.received += d));
    s.on("close", () => (s.closedAt = performance.now()));
    s.on("error", () => {});
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Sends a raw request and reads the status line of the answer. */
async function raw(request: string): Promise<string> {
  const s = await open();
  s.write(request);
  await new Promise((r) => s.once("close", r));
  return s.received;
}

describe.skipIf(onlyNext)("connection caps (Lectern's own server)", () => {
  it("idle connections from one address stop at the cap; other clients are still answered", async () => {
    const idle = await Promise.all(Array.from({ length: PER_ADDRESS * 3 }, () => open("127.0.0.2")));
    // Every connection past the cap is answered 429 and closed.
    await waitFor(
      "the connections past the cap to be closed",
      () => idle.filter((s) => s.closedAt !== undefined).length >= PER_ADDRESS * 2,
    );
    const stillOpen = idle.filter((s) => s.closedAt === undefined);
    expect(stillOpen.length).toBe(PER_ADDRESS);
    const refused = idle.find((s) => s.closedAt !== undefined)!;
    expect(refused.received).toMatch(/^HTTP\/1\.1 429 /);
    expect(refused.received).toContain("LECTERN_MAX_CONNECTIONS_PER_ADDRESS");
    const resolve = await api(server, "GET", "/api/v1/prompts/resolve?name=lim-prompt", runtimeKey);
    expect(resolve.status).toBe(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    for (const s of idle) s.destroy();
    // Closed connections give their places back: a new connection from the address is answered, not refused.
    const answer = await waitFor("a new connection from the address to be served", async () => {
      const again = await open("127.0.0.2");
      again.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      const status = await waitFor("an answer", () => /^HTTP\/1\.1 \d{3}/.exec(again.received)?.[0]);
      again.destroy();
      return status.endsWith("200") && status;
    });
    expect(answer).toBe("HTTP/1.1 200");
  });

  it("a connection that sends no complete headers is closed after the documented 20 s, not 30–50 s", async () => {
    const s = await open("127.0.0.3");
    const start = performance.now();
    s.write("GET /api/health HTTP/1.1\r\nHost: x\r\n"); // never finished
    await new Promise((r) => s.once("close", r));
    const seconds = (s.closedAt! - start) / 1000;
    // headersTimeout is 20 s, checked every second: a reading outside [19, 25) means the limit is not
    // the documented one (Node's default 30 s check interval made it 30–50 s).
    expect(seconds).toBeGreaterThanOrEqual(19);
    expect(seconds).toBeLessThan(25);
  }, 40_000);
});

// Plain `next start` answers these before proxy.ts or any route handler runs (TRACE: 500 from Next's
// own server; an absolute-form target: Next's 308 normalisation), so nothing Lectern ships can change
// them there: put a reverse proxy that refuses them in front of `next start`, or run `npm start`.
describe.skipIf(onlyNext)("requests no route takes (Lectern's own server)", () => {
  it("TRACE is 405 with the one error shape, not a 500", async () => {
    const answer = await raw("TRACE /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toContain('"code":"method_not_allowed"');
    const root = await raw("TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(root).toMatch(/^HTTP\/1\.1 405 /);
    expect(server.log).not.toMatch(/TRACE|at .*\.js:\d+/);
  });

  it("an absolute-form target is refused, never redirected to its host", async () => {
    for (const path of ["/", "/api/health", "/login"]) {
      const answer = await raw(
        `GET http://evil.example${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, path).not.toMatch(/evil\.example/i);
      expect(answer, path).toMatch(/^HTTP\/1\.1 400 /);
    }
  });
});

describe("ingest budgets per key", () => {
  const batch = (n: number, pad = "") => ({
    events: Array.from({ length: n }, (_, i) => ({
      id: `lim-${randomBytes(6).toString("hex")}-${i}`,
      type: "feedback",
      prompt: "lim-prompt",
      version: 1,
      subject: "u",
      value: 1,
      ...(pad && { comment: pad }),
    })),
  });

  it("over the requests or bytes a minute: 429 rate_limited with Retry-After, nothing stored", async () => {
    const key = (await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: "ingest", scope: "runtime" })).body
      .key as string;
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 7; i++) {
      const r = await api(server, "POST", "/api/v1/events", key, batch(1));
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    expect(limited!.body.error.code).toBe("rate_limited");
    expect(limited!.body.error.message).toContain("LECTERN_INGEST_REQUESTS_PER_MINUTE");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = (await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: "ingest2", scope: "runtime" })).body
      .key as string;
    // 20,000 bytes a minute: a 30 KB batch passes once (the budget goes into debt), the next waits.
    const big = await api(server, "POST", "/api/v1/events", other, batch(8, "x".repeat(3900)));
    expect(big.status).toBe(202);
    const next = await api(server, "POST", "/api/v1/events", other, batch(1));
    expect([next.status, next.body.error.code]).toEqual([429, "rate_limited"]);
    expect(next.body.error.message).toContain("LECTERN_INGEST_BYTES_PER_MINUTE");
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(10);
    // In debt, a key is refused before its body is read: the answer comes while most of the body is unsent.
    const early = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(
        `${server.url}/api/v1/events`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${other}`,
            "content-type": "application/json",
            "content-length": 4_000_000,
          },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode!, sent });
          req.destroy();
        },
      );
      req.on("error", (e) => (sent ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const write = () => {
        if (sent >= 4_000_000 || req.destroyed) return;
        sent += chunk.length;
        if (req.write(chunk)) setTimeout(write, 5);
        else req.once("drain", () => setTimeout(write, 5));
      };
      write();
    });
    expect(early.status).toBe(429);
    expect(early.sent).toBeLessThan(2_000_000);
  });

  it("Pezzo's reports are charged to the key's budget too: 429 in Pezzo's error body", async () => {
    const key = (await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: "pezzo", scope: "runtime" })).body
      .key as string;
    const at = new Date().toISOString();
    // Well formed, naming no prompt: refused after the budget is charged (422), until the budget refuses (429).
    const body = JSON.stringify({
      metadata: { environment: "production" },
      request: { timestamp: at, body: {} },
      response: { timestamp: at, body: {}, status: 200 },
    });
    const answers: [number, unknown][] = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(`${server.url}/api/compat/pezzo/api/reporting/v2/request`, {
        method: "POST",
        headers: { "x-pezzo-api-key": key, "content-type": "application/json" },
        body,
      });
      answers.push([r.status, ((await r.json()) as { code: string }).code]);
    }
    expect(answers).toEqual([...Array(5).fill([422, "unprocessable"]), ...Array(2).fill([429, "rate_limited"])]);
  });

  it("batch resolve answers over the bytes a minute: 429 before the work, with Retry-After", async () => {
    const key = (await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: "batch", scope: "runtime" })).body
      .key as string;
    const big = "lim-big";
    await api(server, "POST", "/api/v1/prompts", ADMIN, { name: big, type: "text", template: "y".repeat(30_000) });
    await api(server, "POST", `/api/v1/prompts/${big}/deployments`, ADMIN, { environment: "production", version: 1 });
    const batch = () => api(server, "POST", "/api/v1/prompts/resolve", key, { names: [big, "lim-prompt"] });
    // 20,000 bytes a minute: a 30 KB answer passes once (the budget goes into debt), the next waits.
    const first = await batch();
    expect(first.status).toBe(200);
    expect(first.body.prompts).toHaveLength(2);
    const next = await batch();
    expect([next.status, next.body.error.code]).toEqual([429, "rate_limited"]);
    expect(next.body.error.message).toContain("LECTERN_BATCH_BYTES_PER_MINUTE");
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(10);
    // One prompt at a time is not counted against it.
    const one = await api(server, "GET", `/api/v1/prompts/resolve?name=${big}`, key);
    expect(one.status).toBe(200);
  });
});
