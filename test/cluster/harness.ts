// Real processes for the cluster tests: a private redis-server (so it can be stopped and restarted),
// a TCP proxy in front of PostgreSQL (so the database can be made unreachable), and `next start`
// instances of the production build.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Client } from "pg";
import { waitFor } from "../waits";

export const pgUrl = process.env.TEST_DATABASE_URL ?? "";
/** Set by scripts/with-topology.sh: PgBouncer in transaction mode in front of the primary, and a streaming replica. */
export const poolerUrl = process.env.LECTERN_TEST_POOLER_URL ?? "";
export const replicaUrl = process.env.LECTERN_TEST_REPLICA_URL ?? "";

const withDatabase = (base: string, name: string) => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
};

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export class RedisProcess {
  private proc: ChildProcess | undefined;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    this.proc = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await waitFor(
      `redis on ${this.port}`,
      () =>
        new Promise<boolean>((res) =>
          net
            .connect(this.port, "127.0.0.1")
            .on("connect", function (this: net.Socket) {
              this.destroy();
              res(true);
            })
            .on("error", () => res(false)),
        ),
      60_000,
    );
  }
  async stop() {
    const p = this.proc;
    if (!p) return;
    await new Promise((r) => {
      p.once("exit", r);
      p.kill("SIGKILL");
    });
    this.proc = undefined;
  }
  /** Freezes the process (kill -STOP): connections stay open, nothing answers. */
  pause() {
    this.proc?.kill("SIGSTOP");
  }
  resume() {
    this.proc?.kill("SIGCONT");
  }
}

/** Forwards 127.0.0.1:port → target; `cut()` drops every connection and refuses new ones until `restore()`. */
export class TcpProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private targetHost: string,
    private targetPort: number,
  ) {}
  async start() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      // One side gone: close the other, as a real connection would end.
      upstream.on("close", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", r));
  }
  async cut() {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise((r) => this.server?.close(r));
    this.server = undefined;
  }
  async restore() {
    await this.start();
  }
}

/**
 * A fresh database on the test PostgreSQL: its name, its URL on the primary (for the tests' own reads), the
 * settings a server reaches it with (`env`: through PgBouncer, with a direct URL and a replica, under
 * scripts/with-topology.sh), and how to drop it.
 */
export async function createDatabase(): Promise<{
  name: string;
  url: string;
  env: Record<string, string>;
  drop: () => Promise<void>;
}> {
  const name = `lectern_cluster_${randomBytes(5).toString("hex")}`;
  const c = new Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDatabase(pgUrl, name);
  const env: Record<string, string> = poolerUrl
    ? {
        DATABASE_URL: withDatabase(poolerUrl, name),
        DATABASE_DIRECT_URL: url,
        ...(replicaUrl ? { DATABASE_READ_URL: withDatabase(replicaUrl, name) } : {}),
      }
    : { DATABASE_URL: url };
  return {
    name,
    url,
    env,
    drop: async () => {
      const d = new Client({ connectionString: pgUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** A fresh database (TEST_DATABASE_URL is required) and a Redis of its own, started: what a file's servers share. */
export async function databaseAndRedis() {
  if (!pgUrl) throw new Error("TEST_DATABASE_URL is required for the cluster tests");
  const db = await createDatabase();
  const redis = new RedisProcess(await freePort());
  await redis.start().catch(async (e: unknown) => {
    await db.drop();
    throw e;
  });
  return { db, redis };
}

/** The installation id of a database (its Redis namespace: lib/server/wiring/runtime-wiring.ts). */
export async function installationOf(dbName: string): Promise<string> {
  const u = new URL(pgUrl);
  u.pathname = `/${dbName}`;
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return (await c.query<{ id: string }>("select id from installation")).rows[0]!.id;
  } finally {
    await c.end();
  }
}

export class ServerProcess {
  private proc: ChildProcess | undefined;
  log = "";
  constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}
  /** The server's process id, for memory readings. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    // Run Next's own CLI with node directly (not through npx) so stop() and pid reach the server itself.
    // LECTERN_TEST_SERVER=next runs plain `next start` (hosts that only run Next); default is `npm start`.
    const entry =
      process.env.LECTERN_TEST_SERVER === "next" ? ["node_modules/next/dist/bin/next", "start"] : ["scripts/start.mjs"];
    this.proc = spawn(process.execPath, [...entry, "-p", String(this.port), "-H", "127.0.0.1"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        LECTERN_LOG_LEVEL: "warn",
        // Tests own time: nothing fires on a schedule; a test runs the job it needs through the cron route.
        LECTERN_SCHEDULER: "off",
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.proc.stdout!.on("data", (d) => (this.log += d));
    this.proc.stderr!.on("data", (d) => (this.log += d));
    await waitFor(
      () => `server on ${this.port}: ${this.log}`,
      () =>
        fetch(`${this.url}/api/health`).then(
          (r) => r.status < 600,
          () => false,
        ),
      90_000,
    );
  }
  async stop() {
    const p = this.proc;
    if (!p?.pid) return;
    await new Promise((r) => {
      p.once("exit", r);
      p.kill("SIGTERM");
    });
  }
}

export async function api(server: { url: string }, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * One instance on a fresh database (no Redis), with a runtime key and a text prompt whose `templates` are
 * its versions, the first live in production: the starting point of a file that tests one server.
 */
export async function instanceWithPrompt(o: {
  admin: string;
  secret: string;
  prompt: string;
  templates: string[];
  /** More settings for the server. */
  env?: Record<string, string>;
}) {
  const db = await createDatabase();
  const env = {
    ...db.env,
    LECTERN_BOOTSTRAP_ADMIN_KEY: o.admin,
    NEXTAUTH_SECRET: o.secret,
    LECTERN_DATA_DIR: `/tmp/lectern-${db.name}`,
    LECTERN_SEED_DEMO: "false",
    ...o.env,
  };
  const server = new ServerProcess(await freePort(), env);
  await server.start();
  const must = async (r: Promise<{ status: number; body: { key?: string } }>, status: number) => {
    const res = await r;
    if (res.status !== status) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const runtimeKey = (
    await must(api(server, "POST", "/api/v1/api-keys", o.admin, { name: "tests", scope: "runtime" }), 201)
  ).key!;
  const [first, ...more] = o.templates;
  await must(
    api(server, "POST", "/api/v1/prompts", o.admin, {
      name: o.prompt,
      type: "text",
      template: first,
      variables: [{ name: "x" }],
    }),
    201,
  );
  for (const template of more)
    await must(api(server, "POST", `/api/v1/prompts/${o.prompt}/versions`, o.admin, { template }), 201);
  await must(
    api(server, "POST", `/api/v1/prompts/${o.prompt}/deployments`, o.admin, { environment: "production", version: 1 }),
    201,
  );
  return { db, env, server, runtimeKey };
}

/** Polls until `check` passes, returning how long it took; throws with the last value after `ms`. */
export async function eventually<T>(get: () => Promise<T>, check: (v: T) => boolean, ms = 5000): Promise<number> {
  const start = performance.now();
  let last: T | undefined;
  while (performance.now() - start < ms) {
    last = await get();
    if (check(last)) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(last)}`);
}
