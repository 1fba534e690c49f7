// Lectern's own server (`npm start`) around the runtime fast path, as a process: LECTERN_ROLE=runtime
// serves only the runtime API; SIGTERM ends event streams at once and finishes requests in flight
// (an ingest acknowledged during shutdown is in the database).
import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, freePort, instanceWithPrompt, ServerProcess, type createDatabase } from "./harness";

const ADMIN = `lk_cluster_fastpath_${randomBytes(12).toString("hex")}`;
let db: Awaited<ReturnType<typeof createDatabase>>;
let env: Record<string, string>;
let ui: ServerProcess;
let runtimeKey = "";

// What this file tests exists only in Lectern's own server: under plain `next start` there is nothing to test.
const onlyNext = process.env.LECTERN_TEST_SERVER === "next";

beforeAll(async () => {
  if (onlyNext) return;
  ({
    db,
    env,
    server: ui,
    runtimeKey,
  } = await instanceWithPrompt({
    admin: ADMIN,
    secret: "fast-path-secret-fast-path-secret-0001",
    prompt: "fp-prompt",
    templates: ["Hi {{x}}"],
  }));
});

afterAll(async () => {
  await ui?.stop();
  await db?.drop();
});

describe.skipIf(onlyNext)("LECTERN_ROLE=runtime", () => {
  it("serves resolve, events and /api/health, and answers 404 JSON for the UI and the management API", async () => {
    const rt = new ServerProcess(await freePort(), { ...env, LECTERN_ROLE: "runtime" });
    await rt.start();
    try {
      const r = await api(rt, "GET", "/api/v1/prompts/resolve?name=fp-prompt", runtimeKey);
      expect(r.status).toBe(200);
      expect(r.body.template).toBe("Hi {{x}}");
      expect((await fetch(`${rt.url}/api/health`)).status).toBe(200);
      for (const path of ["/", "/login", "/api/v1/prompts", "/api/v1/prompts/resolve/extra"]) {
        const res = await fetch(rt.url + path, { headers: { authorization: `Bearer ${ADMIN}` } });
        expect(res.status, path).toBe(404);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("not_found");
        expect(body.error.message).toContain("LECTERN_ROLE=runtime");
      }
      // A key sees what the health check used, as on an ordinary instance (no sessions: there is no UI).
      const health = await api(rt, "GET", "/api/health", runtimeKey);
      expect(health.body).toMatchObject({ status: "ok", database: { ok: true, kind: "postgres" } });
      // Other methods on the runtime paths get the route handlers' 405, with the same Allow and body.
      for (const s of [rt, ui]) {
        const put = await fetch(`${s.url}/api/v1/prompts/resolve`, { method: "PUT" });
        expect(put.status).toBe(405);
        expect(put.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
        expect(await put.json()).toEqual({
          error: {
            code: "method_not_allowed",
            message: "PUT is not supported here; use GET or POST.",
            details: { allow: ["GET", "POST"] },
          },
        });
        const options = await fetch(`${s.url}/api/health`, { method: "OPTIONS" });
        expect(options.status).toBe(204);
        expect(options.headers.get("allow")).toContain("GET");
        const head = await fetch(`${s.url}/api/v1/prompts/resolve?name=fp-prompt`, {
          method: "HEAD",
          headers: { authorization: `Bearer ${runtimeKey}` },
        });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe("");
      }
      // The same instance on the ordinary role serves the UI.
      expect((await fetch(`${ui.url}/login`)).status).toBe(200);
    } finally {
      await rt.stop();
    }
  });
});

describe.skipIf(onlyNext)("graceful shutdown", () => {
  it("ends event streams at once, finishes an ingest in flight (acknowledged = durable) and exits", async () => {
    const s = new ServerProcess(await freePort(), env);
    await s.start();
    const stream = await fetch(`${s.url}/api/v1/events`, { headers: { authorization: `Bearer ${runtimeKey}` } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // connected

    const ids = Array.from({ length: 1000 }, () => randomUUID());
    const body = Buffer.from(
      JSON.stringify({
        events: ids.map((id, i) => ({
          id,
          type: "metric",
          name: "score",
          value: i,
          prompt: "fp-prompt",
          version: 1,
          subject: `s${i}`,
        })),
      }),
    );
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${s.url}/api/v1/events`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${runtimeKey}`,
            "content-type": "application/json",
            "content-length": body.length,
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on("error", reject);
      // Half the body, then the signal, then the rest: the request is in flight when shutdown starts.
      req.write(body.subarray(0, body.length >> 1));
      setTimeout(() => {
        const t = Date.now();
        const exited = s.stop();
        setTimeout(() => req.end(body.subarray(body.length >> 1)), 300);
        void exited.then(() => (exitedAfter = Date.now() - t));
      }, 200);
    });
    let exitedAfter = -1;
    const t0 = Date.now();
    // The stream ends (it does not wait for the 10 s grace period).
    for (;;) if ((await reader.read()).done) break;
    expect(Date.now() - t0).toBeLessThan(5_000);
    const ack = await answer;
    expect(ack.status, ack.body).toBe(202);
    expect(JSON.parse(ack.body)).toEqual({ accepted: 1000, duplicates: 0 });
    const c = new Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    const { rows } = await c.query("select count(*)::int as n from metric_events where event_id = any($1)", [ids]);
    await c.end();
    expect(rows[0].n).toBe(1000);
    for (let i = 0; i < 100 && exitedAfter < 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(exitedAfter).toBeGreaterThanOrEqual(0);
    expect(exitedAfter).toBeLessThan(10_000);
  });
});
