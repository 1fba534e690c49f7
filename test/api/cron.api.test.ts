// The cron routes over HTTP: 503 without CRON_SECRET (a second server), 401 without the right bearer,
// 200 with what the job did, 404/405, the vercel.json entries, and concurrent calls: one runs, the
// other is told another run holds the lock.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";

const secret = process.env.LECTERN_TEST_CRON_SECRET ?? "";
const cron = (method: string, name: string, opts: { key?: string | null; query?: string } = {}) =>
  call(method, `/api/cron/${name}${opts.query ?? ""}`, { key: opts.key === undefined ? secret : opts.key });

describe("cron routes", () => {
  it("needs the secret: 401 when it is missing or wrong", async () => {
    expect(secret.length).toBeGreaterThanOrEqual(16);
    for (const key of [null, "wrong-secret-wrong-secret", `${secret}x`]) {
      const r = await cron("POST", "housekeeping", { key });
      expect(r.status).toBe(401);
      expect(errorCode(r)).toBe("unauthorized");
    }
    const basic = await call("GET", "/api/cron/housekeeping", {
      key: null,
      headers: { authorization: `Basic ${Buffer.from(`x:${secret}`).toString("base64")}` },
    });
    expect(basic.status).toBe(401);
    // An unknown job is not revealed to a caller without the secret.
    expect((await cron("GET", "no-such-job", { key: null })).status).toBe(401);
  });

  it("runs a job with GET or POST and answers what it did", async () => {
    for (const method of ["GET", "POST"]) {
      const r = await cron(method, "housekeeping");
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        job: "housekeeping",
        ran: true,
        result: { sessionsPruned: expect.any(Number), deliveriesPruned: expect.any(Number) },
      });
      expect(Date.parse(r.body.finishedAt)).toBeGreaterThanOrEqual(Date.parse(r.body.startedAt));
    }
    const sweep = await cron("POST", "webhooks");
    expect(sweep.status).toBe(200);
    expect(sweep.body).toMatchObject({
      job: "webhooks",
      ran: true,
      result: { dispatched: { examined: expect.any(Number) } },
    });
  });

  it("runs a job as of the time a test names (?at=, the test clock with-server.sh turns on); a bad time is a 400", async () => {
    const at = "2031-05-06T07:08:09.000Z";
    const r = await cron("POST", "debug-sleep", { query: `?seconds=0&at=${at}` });
    expect(r.body).toMatchObject({
      job: "debug-sleep",
      ran: true,
      startedAt: at,
      finishedAt: at,
      result: { slept: 0 },
    });
    const bad = await cron("POST", "debug-sleep", { query: "?at=next%20week" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_input", details: { field: "at" } });
  });

  it("404 for an unknown job (listing the known ones), 405 for other methods", async () => {
    const r = await cron("POST", "no-such-job");
    expect(r.status).toBe(404);
    expect(r.body.error.details.jobs).toEqual(expect.arrayContaining(["housekeeping", "webhooks"]));
    const put = await cron("PUT", "housekeeping");
    expect(put.status).toBe(405);
    expect(errorCode(put)).toBe("method_not_allowed");
  });

  it("every job in vercel.json exists and runs", async () => {
    const config = JSON.parse(readFileSync(path.join(process.cwd(), "vercel.json"), "utf8")) as {
      crons: { path: string; schedule: string }[];
    };
    expect(config.crons.length).toBeGreaterThanOrEqual(2);
    for (const c of config.crons) {
      expect(c.schedule.trim().split(/\s+/)).toHaveLength(5);
      const r = await call("GET", c.path, { key: secret });
      expect([r.status, r.body.job]).toEqual([200, c.path.split("/").pop()]);
    }
  });

  it("two calls at once: one runs, the other reports that another run holds the lock", async () => {
    // The first call holds debug-sleep's lock for 8 s. Calls made meanwhile must be refused; a call
    // that lands before the first one took the lock may run (instantly) — then the first is retried.
    let first = cron("POST", "debug-sleep", { query: "?seconds=8" });
    let done: Awaited<typeof first> | undefined;
    void first.then((r) => (done = r));
    let refused: Awaited<typeof first> | undefined;
    while (!refused) {
      const second = await cron("POST", "debug-sleep", { query: "?seconds=0" });
      expect(second.status).toBe(200);
      if (second.body.ran === false) refused = second;
      else if (done) {
        // The first call finished without any overlapping call being refused: only acceptable if it was itself skipped.
        expect(done.body).toMatchObject({ ran: false, skipped: "locked" });
        first = cron("POST", "debug-sleep", { query: "?seconds=8" });
        done = undefined;
        void first.then((r) => (done = r));
      }
    }
    expect(refused.body).toEqual({
      job: "debug-sleep",
      ran: false,
      skipped: "locked",
      message: "Another run of debug-sleep holds its lock; this call did nothing.",
    });
    const held = await first;
    expect(held.body).toMatchObject({ job: "debug-sleep", ran: true, result: { slept: 8 } });
    // Released: the next call runs.
    expect((await cron("POST", "debug-sleep", { query: "?seconds=0" })).body).toMatchObject({ ran: true });
  });
});

describe("without CRON_SECRET", () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the cron routes answer 503 (a second server, started without the secret)", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    dir = mkdtempSync(path.join(tmpdir(), "lectern-nocron-"));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      LECTERN_DATA_DIR: dir,
      LECTERN_LOG_LEVEL: "error",
      NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0002",
      LECTERN_SEED_DEMO: "false",
    };
    if (process.env.LECTERN_NEXT_DIST_DIR) env.LECTERN_NEXT_DIST_DIR = process.env.LECTERN_NEXT_DIST_DIR;
    const server = spawn(process.execPath, ["scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"], {
      env: env as NodeJS.ProcessEnv,
      stdio: "ignore",
    });
    child = server;
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 240; i++) {
      if (server.exitCode !== null) throw new Error(`the second server exited with ${server.exitCode}`);
      if (
        await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const auth of [`Bearer ${secret}`, ""]) {
      const r = await fetch(`${base}/api/cron/housekeeping`, {
        method: "POST",
        headers: auth ? { authorization: auth } : {},
      });
      expect(r.status).toBe(503);
      expect((await r.json()).error).toMatchObject({
        code: "unavailable",
        message: "Scheduled-job routes are off: set CRON_SECRET to use them.",
      });
    }
  }, 150_000);
});
