// Two real server instances sharing PostgreSQL and a Redis of their own: cache hits and misses,
// invalidation across instances, Redis stopped and restarted mid-run, and the database made
// unreachable (stale-if-error); MCP behind a round-robin balancer (mcp-cases.ts). Needs the production build, TEST_DATABASE_URL and redis-server.
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { busChannel } from "../../lib/runtime/bus";
import {
  api,
  createDatabase,
  eventually,
  freePort,
  installationOf,
  databaseAndRedis,
  RedisProcess,
  ServerProcess,
  TcpProxy,
} from "./harness";
import { mcpAcrossInstances } from "./mcp-cases";

const ADMIN = "lk_cluster_admin_key_0000000000000000000000";
let redis: RedisProcess;
let proxy: TcpProxy;
let a: ServerProcess;
let b: ServerProcess;
let db: Awaited<ReturnType<typeof createDatabase>>;
let runtimeKey = "";
let projectId = "";

const resolveOn = async (s: ServerProcess, name: string) => {
  const r = await api(s, "GET", `/api/v1/prompts/resolve?name=${name}`, runtimeKey);
  return {
    status: r.status,
    version: r.body?.version as number | undefined,
    layer: r.headers.get("x-lectern-cache"),
    stale: r.headers.get("x-lectern-stale"),
  };
};

async function promptLive(name: string, versions: number, live: number) {
  expect(
    (
      await api(a, "POST", "/api/v1/prompts", ADMIN, {
        name,
        type: "text",
        template: "v1 {{x}}",
        variables: [{ name: "x", required: false }],
      })
    ).status,
  ).toBe(201);
  for (let v = 2; v <= versions; v++)
    await api(a, "POST", `/api/v1/prompts/${name}/versions`, ADMIN, { template: `v${v} {{x}}` });
  expect(
    (await api(a, "POST", `/api/v1/prompts/${name}/deployments`, ADMIN, { environment: "production", version: live }))
      .status,
  ).toBe(201);
}

beforeAll(async () => {
  ({ db, redis } = await databaseAndRedis());
  // The proxy stands in front of what the servers' queries go through (PgBouncer, under with-topology.sh).
  const viaProxy = new URL(db.env.DATABASE_URL!);
  proxy = new TcpProxy(await freePort(), viaProxy.hostname, Number(viaProxy.port || 5432));
  await proxy.start();
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const env = {
    ...db.env,
    DATABASE_URL: viaProxy.toString(),
    REDIS_URL: redis.url,
    LECTERN_BOOTSTRAP_ADMIN_KEY: ADMIN,
    NEXTAUTH_SECRET: "cluster-secret-cluster-secret-cluster-01",
    LECTERN_DATA_DIR: `/tmp/lectern-cluster-${db.name}`,
    // The tests deploy straight to production; the demo project's production requires review first.
    LECTERN_SEED_DEMO: "false",
  };
  a = new ServerProcess(await freePort(), env);
  await a.start(); // migrates and bootstraps first
  b = new ServerProcess(await freePort(), env);
  await b.start();
  runtimeKey = (await api(a, "POST", "/api/v1/api-keys", ADMIN, { name: "cluster", scope: "runtime" })).body.key;
  projectId = (await api(a, "GET", "/api/v1/project", ADMIN)).body.id;
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await proxy?.cut().catch(() => {});
  await redis?.stop();
  await db?.drop();
}, 60_000);

// First, while Redis and the database answer: the failure cases below stop and cut them.
mcpAcrossInstances(() => ({ a, b, admin: ADMIN, runtimeKey: () => runtimeKey }));

describe("two instances, one PostgreSQL, one Redis", () => {
  it("misses go to the origin, then L2 serves the other instance, then L1", async () => {
    await promptLive("shared-hit", 1, 1);
    expect(await resolveOn(a, "shared-hit")).toMatchObject({ status: 200, version: 1, layer: "origin" });
    expect(await resolveOn(a, "shared-hit")).toMatchObject({ layer: "l1" });
    expect(await resolveOn(b, "shared-hit")).toMatchObject({ status: 200, version: 1, layer: "l2" });
    expect(await resolveOn(b, "shared-hit")).toMatchObject({ layer: "l1" });
  });

  it("a rollback on one instance is served by the other without waiting for a TTL", async () => {
    await promptLive("flip", 2, 1);
    await api(a, "POST", "/api/v1/prompts/flip/deployments", ADMIN, { environment: "production", version: 2 });
    await eventually(
      () => resolveOn(b, "flip"),
      (r) => r.version === 2,
    );
    expect((await resolveOn(b, "flip")).layer).toBe("l1"); // B now holds v2 in L1 (TTL 60 s)
    const rb = await api(a, "POST", "/api/v1/prompts/flip/rollback", ADMIN, { environment: "production" });
    expect(rb.status).toBe(201);
    expect((await resolveOn(a, "flip")).version).toBe(1); // the instance that rolled back: at once
    await eventually(
      () => resolveOn(b, "flip"),
      (r) => r.version === 1,
      2000,
    );
  });

  it("a key revoked on one instance is refused by the other at once", async () => {
    await promptLive("revoke-me", 1, 1);
    const k = (await api(a, "POST", "/api/v1/api-keys", ADMIN, { name: "to revoke", scope: "runtime" })).body;
    expect((await api(b, "GET", "/api/v1/prompts/resolve?name=revoke-me", k.key)).status).toBe(200);
    expect((await api(b, "GET", "/api/v1/prompts/resolve?name=revoke-me", k.key)).status).toBe(200); // now cached on B
    expect((await api(a, "DELETE", `/api/v1/api-keys/${k.id}`, ADMIN)).status).toBe(200);
    expect((await api(a, "GET", "/api/v1/prompts/resolve?name=revoke-me", k.key)).status).toBe(401);
    await eventually(
      async () => (await api(b, "GET", "/api/v1/prompts/resolve?name=revoke-me", k.key)).status,
      (s) => s === 401,
      2000,
    );
  });

  it("keeps serving while Redis is down, reports it, and recovers by itself", async () => {
    await promptLive("redis-down", 2, 1);
    expect((await resolveOn(b, "redis-down")).version).toBe(1);
    await redis.stop();
    expect((await resolveOn(a, "redis-down")).status).toBe(200);
    expect((await resolveOn(b, "redis-down")).status).toBe(200);
    await promptLive("made-while-down", 1, 1);
    expect((await resolveOn(b, "made-while-down")).version).toBe(1);
    expect((await fetch(`${a.url}/api/health`)).status).toBe(503);
    await redis.start();
    await eventually(
      async () => (await fetch(`${a.url}/api/health`)).status,
      (s) => s === 200,
      15_000,
    );
    await eventually(
      async () => (await fetch(`${b.url}/api/health`)).status,
      (s) => s === 200,
      15_000,
    );
    await api(a, "POST", "/api/v1/prompts/redis-down/deployments", ADMIN, { environment: "production", version: 2 });
    await eventually(
      () => resolveOn(b, "redis-down"),
      (r) => r.version === 2,
      5000,
    );
  });

  it("keeps two installations on one Redis apart: another database's keys and cache entries are not read", async () => {
    // A second installation (its own database) with the same bootstrap admin key, on the same Redis.
    const other = await createDatabase();
    const c = new ServerProcess(await freePort(), {
      ...other.env,
      REDIS_URL: redis.url,
      LECTERN_BOOTSTRAP_ADMIN_KEY: ADMIN,
      NEXTAUTH_SECRET: "cluster-secret-cluster-secret-cluster-02",
      LECTERN_DATA_DIR: `/tmp/lectern-cluster-${other.name}`,
      LECTERN_SEED_DEMO: "false",
    });
    try {
      await c.start();
      await promptLive("shared-redis", 1, 1);
      expect((await resolveOn(a, "shared-redis")).version).toBe(1); // in Redis now, with the keys
      expect((await resolveOn(b, "shared-redis")).layer).not.toBe("origin");
      // The same admin key names the other installation's own project, not this one's.
      const theirs = (await api(c, "GET", "/api/v1/project", ADMIN)).body.id as string;
      expect(theirs).toEqual(expect.any(String));
      expect(theirs).not.toBe(projectId);
      // A key of this installation means nothing there.
      expect((await api(c, "GET", "/api/v1/prompts/resolve?name=shared-redis", runtimeKey)).status).toBe(401);
    } finally {
      await c.stop();
      await other.drop();
    }
  });

  it("serves the last known version, marked stale, when the database is unreachable", async () => {
    await promptLive("db-down", 1, 1);
    expect((await resolveOn(a, "db-down")).version).toBe(1);
    const installation = await installationOf(db.name);
    await proxy.cut();
    try {
      // Force an L1 and L2 miss on A the way a real invalidation would: bump the epoch and broadcast.
      const r = createClient({ url: redis.url });
      await r.connect();
      await r.incr(`lectern:${installation}:prompt:epoch:${projectId}`);
      await r.publish(
        busChannel(installation),
        JSON.stringify({
          origin: "test",
          kind: "prompt",
          event: { projectId, prompt: "db-down", environment: "production", version: 1, action: "promote" },
        }),
      );
      await r.quit();
      await eventually(
        () => resolveOn(a, "db-down"),
        (x) => x.layer === "stale",
        10_000,
      );
      const stale = await resolveOn(a, "db-down");
      expect(stale).toMatchObject({ status: 200, version: 1, stale: "true" });
      expect((await fetch(`${a.url}/api/health`)).status).toBe(503);
      // Something never cached cannot be served: a clear error, not a hang.
      expect([503, 500]).toContain((await resolveOn(a, "never-cached")).status);
    } finally {
      await proxy.restore();
    }
    await eventually(
      () => resolveOn(a, "db-down"),
      (x) => x.layer !== "stale" && x.status === 200,
      20_000,
    );
  });
});

describe("served over https", () => {
  it("sets Secure cookies when the public URL is https", async () => {
    const port = await freePort();
    const s = new ServerProcess(port, {
      ...db.env,
      NEXTAUTH_URL: "https://lectern.example.com",
      NEXTAUTH_SECRET: "cluster-secret-cluster-secret-cluster-01",
      LECTERN_DATA_DIR: `/tmp/lectern-cluster-https-${db.name}`,
    });
    await s.start();
    try {
      const res = await fetch(`${s.url}/api/auth/csrf`);
      const cookies = res.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThan(0);
      for (const c of cookies) expect(c).toMatch(/;\s*Secure/i);
      expect(cookies.some((c) => c.startsWith("__Host-next-auth.csrf-token="))).toBe(true);
    } finally {
      await s.stop();
    }
  });
});
