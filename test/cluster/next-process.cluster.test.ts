// `npm start` on PostgreSQL runs Next in a process of its own (gateway/next-process.ts). As processes:
// a change made through Next is served by Lectern's server as soon as its call returns (no Redis here:
// the link between the two processes is the only way it can know); a Next process that dies is started
// again while the runtime API goes on answering; both processes end together, however the server ends.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, freePort, instanceWithPrompt, ServerProcess, type createDatabase } from "./harness";

const ADMIN = `lk_cluster_nextproc_${randomBytes(12).toString("hex")}`;
let db: Awaited<ReturnType<typeof createDatabase>>;
let env: Record<string, string>;
let server: ServerProcess;
let runtimeKey = "";

// Only Lectern's own server has a Next process of its own.
const onlyNext = process.env.LECTERN_TEST_SERVER === "next";

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid)
        out.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

function nextProcessOf(s: ServerProcess) {
  const kids = childrenOf(s.pid!).filter((c) => c.cmdline.includes("--lectern-next-child"));
  expect(kids).toHaveLength(1);
  return kids[0]!.pid;
}

const resolve = async (key = runtimeKey) => api(server, "GET", "/api/v1/prompts/resolve?name=np-prompt", key);
/** Serves the other of np-prompt's two versions in production (a promotion to 2, a rollback to 1); returns it. */
async function switchLive() {
  const current = (await resolve()).body.version as number;
  const target = current === 1 ? 2 : 1;
  await api(server, "POST", `/api/v1/prompts/np-prompt/${target === 2 ? "deployments" : "rollback"}`, ADMIN, {
    environment: "production",
    version: target,
    ...(target === 2 ? { confirmRolledBack: true } : {}),
  });
  return target;
}

beforeAll(async () => {
  if (onlyNext) return;
  // No REDIS_URL: only the link between the two processes can carry an invalidation from one to the other.
  ({ db, env, server, runtimeKey } = await instanceWithPrompt({
    admin: ADMIN,
    secret: "next-proc-secret-next-proc-secret-0001",
    prompt: "np-prompt",
    templates: ["One {{x}}", "Two {{x}}"],
  }));
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe.skipIf(onlyNext)("Next in a process of its own", () => {
  it("a promotion or rollback made through Next is what this server resolves as soon as the call returns", async () => {
    expect((await resolve()).body.version).toBe(1);
    for (let i = 0; i < 30; i++) {
      // The resolve right before warms this server's L1: the call must have dropped it by the time it returns.
      const target = i % 2 === 0 ? 2 : 1;
      const call = await api(
        server,
        "POST",
        `/api/v1/prompts/np-prompt/${target === 2 ? "deployments" : "rollback"}`,
        ADMIN,
        // Version 2 was rolled back the round before: the admin key's person says they know.
        { environment: "production", version: target, ...(target === 2 ? { confirmRolledBack: true } : {}) },
      );
      expect(call.status).toBe(201);
      const r = await resolve();
      expect(r.body.version, `round ${i}`).toBe(target);
      expect((await resolve()).headers.get("x-lectern-cache")).toBe("l1");
    }
  });

  it("an event stream on this server hears a change made through Next", async () => {
    const stream = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${runtimeKey}` } });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (what: string) => {
      const deadline = Date.now() + 10_000;
      while (!text.includes(what)) {
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no "${what}" within 10 s; got: ${text}`)),
            Math.max(0, deadline - Date.now()),
          ),
        );
        const { done, value } = await Promise.race([reader.read(), timeout]);
        if (done) throw new Error(`the stream ended before "${what}"; got: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(": connected");
    const target = await switchLive();
    await readUntil("event: prompt.changed");
    expect(text).toContain(`"version":${target}`);
    await reader.cancel();
  });

  it("a key revoked through Next is refused by this server as soon as the call returns", async () => {
    const created = await api(server, "POST", "/api/v1/api-keys", ADMIN, { name: "short-lived", scope: "runtime" });
    const key = created.body.key as string;
    expect((await resolve(key)).status).toBe(200); // cached here now
    expect((await api(server, "DELETE", `/api/v1/api-keys/${created.body.id}`, ADMIN)).status).toBe(200);
    expect((await resolve(key)).status).toBe(401);
  });

  it("when the Next process dies, the runtime API goes on; the rest answers 503 until it is back", async () => {
    const first = nextProcessOf(server);
    process.kill(first, "SIGKILL");
    await until(() => !alive(first), 5_000, "the Next process to die");
    // The runtime API never depended on it (its caches were dropped: this one reads the database).
    const r = await resolve();
    expect(r.status).toBe(200);
    const ui = await fetch(`${server.url}/api/v1/prompts`, { headers: { authorization: `Bearer ${ADMIN}` } });
    if (ui.status === 503) {
      expect(ui.headers.get("retry-after")).toBe("5");
      expect(((await ui.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: "unavailable",
        message: expect.stringContaining("restarting"),
      });
    } else expect(ui.status).toBe(200); // already back (the restart takes about a second and a half)
    await until(
      async () =>
        (await fetch(`${server.url}/api/v1/prompts`, { headers: { authorization: `Bearer ${ADMIN}` } })).status === 200,
      30_000,
      "the Next process to be back",
    );
    const second = nextProcessOf(server);
    expect(second).not.toBe(first);
    // And the link works with the new one.
    const target = await switchLive();
    expect((await resolve()).body.version).toBe(target);
  });

  it("both processes end on SIGTERM; a killed server takes its Next process with it", async () => {
    const s = new ServerProcess(await freePort(), env);
    await s.start();
    const child = nextProcessOf(s);
    await s.stop();
    await until(() => !alive(child), 10_000, "the Next process to end after SIGTERM");

    const k = new ServerProcess(await freePort(), env);
    await k.start();
    const orphan = nextProcessOf(k);
    process.kill(k.pid!, "SIGKILL");
    await until(() => !alive(orphan), 10_000, "the Next process to end when its parent was killed");
  });

  it.each(["SIGTERM", "SIGKILL"] as const)(
    "a server stopped (%s) while its Next process is still starting leaves no Next process behind",
    async (signal) => {
      const port = await freePort();
      const parent = spawn(process.execPath, ["scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"], {
        env: { ...process.env, NODE_ENV: "production", LECTERN_LOG_LEVEL: "warn", ...env },
        stdio: "ignore",
      });
      let child: number | undefined;
      try {
        // The moment the Next process exists, long before it has loaded Next and listens.
        await until(
          () =>
            (child = childrenOf(parent.pid!).find((c) => c.cmdline.includes("--lectern-next-child"))?.pid) !==
            undefined,
          60_000,
          "the Next process to be started",
        );
        expect(
          await fetch(`http://127.0.0.1:${port}/api/health`).then(
            () => "answered",
            () => "not listening",
          ),
        ).toBe("not listening");
        parent.kill(signal);
        await until(() => !alive(parent.pid!), 15_000, "the server to end");
        await until(
          () => !alive(child!),
          15_000,
          `the Next process to end after its parent got ${signal} while it started`,
        );
      } finally {
        if (child && alive(child)) process.kill(child, "SIGKILL");
        if (alive(parent.pid!)) parent.kill("SIGKILL");
      }
    },
    120_000,
  );

  it("LECTERN_NEXT_PROCESS=same runs one process that serves everything", async () => {
    const s = new ServerProcess(await freePort(), { ...env, LECTERN_NEXT_PROCESS: "same" });
    await s.start();
    try {
      expect(childrenOf(s.pid!).filter((c) => c.cmdline.includes("--lectern-next-child"))).toEqual([]);
      expect((await fetch(`${s.url}/login`)).status).toBe(200);
      expect((await api(s, "GET", "/api/v1/prompts/resolve?name=np-prompt", runtimeKey)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
