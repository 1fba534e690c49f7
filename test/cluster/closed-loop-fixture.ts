// The closed-loop cluster: two `npm start` instances on one PostgreSQL and one Redis, the local model
// server standing in for the provider (the application's model and the LLM judge), and a webhook
// receiver; and what the tests do against it: call a cron route, call the admin API, serve a request
// as an application would, wait for a webhook.
import { Client } from "pg";
import { expect } from "vitest";
import { startLlmServer, type LlmServer } from "../llm-server";
import { startReceiver, type Receiver } from "../webhook-receiver";
import { api, createDatabase, databaseAndRedis, eventually, freePort, RedisProcess, ServerProcess } from "./harness";

export const ADMIN = "lk_cluster_admin_key_3333333333333333333333";
export const CRON_SECRET = "cron-secret-for-the-closed-loop-test";
export const NAME = "support-reply";

export interface ClosedLoopCluster {
  a: ServerProcess;
  b: ServerProcess;
  llm: LlmServer;
  rx: Receiver;
  runtimeKey: string;
  /** Takes the lock a scheduled job runs under (as an instance running it would) until `release`. */
  holdJobLock(job: string): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

export const cron = async (s: ServerProcess, job: string, auth: string | null = `Bearer ${CRON_SECRET}`) => {
  const res = await fetch(`${s.url}/api/cron/${job}`, {
    method: "POST",
    headers: auth ? { authorization: auth } : {},
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as any };
};
export const admin = (s: ServerProcess, method: string, path: string, body?: unknown) =>
  api(s, method, path, ADMIN, body);

/** Starts everything; if a part fails to start, stops what did and rethrows. */
export async function startClosedLoopCluster(): Promise<ClosedLoopCluster> {
  let redis: RedisProcess | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let llm: LlmServer | undefined;
  let rx: Receiver | undefined;
  let db: Awaited<ReturnType<typeof createDatabase>> | undefined;
  const stop = async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await Promise.allSettled([llm?.stop(), rx?.close()]);
    await redis?.stop();
    await db?.drop();
  };
  try {
    ({ db, redis } = await databaseAndRedis());
    llm = await startLlmServer();
    rx = await startReceiver();
    const env = {
      ...db.env,
      REDIS_URL: redis.url,
      LECTERN_BOOTSTRAP_ADMIN_KEY: ADMIN,
      NEXTAUTH_SECRET: "cluster-secret-cluster-secret-cluster-03",
      LECTERN_DATA_DIR: `/tmp/lectern-cluster-${db.name}`,
      LECTERN_SEED_DEMO: "false",
      CRON_SECRET,
      // The test calls the cron routes itself (as Vercel Cron would); webhooks still go out through the queue's workers.
      LECTERN_SCHEDULER: "off",
      LECTERN_WEBHOOK_ALLOW_PRIVATE: "true",
      LLM_BASE_URL: llm.baseUrl,
    };
    a = new ServerProcess(await freePort(), env);
    await a.start();
    b = new ServerProcess(await freePort(), env);
    await b.start();
    const runtimeKey = (await admin(a, "POST", "/api/v1/api-keys", { name: "app", scope: "runtime" })).body
      .key as string;
    const direct = db.url;
    const holdJobLock = async (job: string) => {
      const c = new Client({ connectionString: direct });
      await c.connect();
      await c.query("BEGIN");
      // The key lib/jobs/sql.ts takes for `cron:<job>`.
      const { rows } = await c.query(
        "SELECT pg_try_advisory_xact_lock(('x' || substr(md5($1), 1, 16))::bit(64)::bigint) AS ok",
        [`lectern.lock:cron:${job}`],
      );
      if (!rows[0]?.ok) throw new Error(`the lock of ${job} is held by someone else`);
      return async () => {
        await c.query("COMMIT");
        await c.end();
      };
    };
    return { a, b, llm, rx, runtimeKey, holdJobLock, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What an application does per request: resolve and render, call its model, report the generation with its output. */
let n = 0;
export async function serve(cluster: ClosedLoopCluster, s: ServerProcess, customer: string) {
  const { llm, runtimeKey } = cluster;
  const resolved = await api(s, "POST", "/api/v1/prompts/resolve", runtimeKey, {
    name: NAME,
    environment: "production",
    variables: { customer },
  });
  expect(resolved.status).toBe(200);
  const completion = await fetch(`${llm.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "app-model", messages: [{ role: "user", content: resolved.body.rendered }] }),
  }).then((r) => r.json() as Promise<{ choices: { message: { content: string } }[] }>);
  const output = completion.choices[0]!.message.content;
  const event = {
    id: `gen-${++n}`,
    type: "generation",
    prompt: NAME,
    version: resolved.body.version,
    environment: "production",
    subject: `customer-${n}`,
    latencyMs: 120,
    input: { customer },
    output,
  };
  const sent = await api(s, "POST", "/api/v1/events", runtimeKey, { events: [event] });
  expect(sent.status).toBe(202);
  return { version: resolved.body.version as number, output };
}

export async function waitForDelivery(rx: Receiver, type: string) {
  let found: Receiver["requests"][number] | undefined;
  await eventually(
    async () => (found = rx.requests.find((r) => r.path === "/lectern" && JSON.parse(r.body).type === type)),
    (r) => Boolean(r),
    30_000,
  );
  return found!;
}
