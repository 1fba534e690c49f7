// Past one machine (docs/scaling.md), under scripts/with-topology.sh: the server's queries go through PgBouncer
// in transaction mode, what needs a session (the job queue, LISTEN) goes straight to the primary, and experiment
// results are read from a streaming replica, with how far behind it is. The rest of the cluster suite runs
// through the same topology in that tier. Without the topology (LECTERN_TEST_POOLER_URL unset) these are skipped:
// the other cluster tier runs straight against PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { assign } from "../../lib/experiments/assign";
import { experimentBody } from "../api/experiment-body";
import { api, eventually, instanceWithPrompt, poolerUrl, replicaUrl, type ServerProcess } from "./harness";

const ADMIN = "lk_topology_admin_key_0123456789abcdef";
let server: ServerProcess;
let db: { name: string; url: string; drop: () => Promise<void> };
let runtimeKey: string;

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}
const onDatabase = (base: string, name: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();

it.runIf(process.env.LECTERN_TEST_REQUIRE_TOPOLOGY === "1")("runs under scripts/with-topology.sh (CI)", () => {
  expect(poolerUrl && replicaUrl, "the cluster tier must run through the pooler and the replica").toBeTruthy();
});

describe.skipIf(!poolerUrl || !replicaUrl)("through PgBouncer in transaction mode, with a streaming replica", () => {
  beforeAll(async () => {
    const started = await instanceWithPrompt({
      admin: ADMIN,
      secret: "topology-secret-topology-secret-0001",
      prompt: "greeting",
      templates: ["Hello {{x}}", "Hi {{x}}"],
      // The page's note shows past one second of lag, so the test needs to wait only a little.
      env: { LECTERN_READ_MAX_LAG_SECONDS: "1" },
    });
    ({ server, db, runtimeKey } = started);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it("serves through the pooler; the job queue and LISTEN hold sessions of their own on the primary", async () => {
    const admin = onDatabase(poolerUrl, "pgbouncer");
    // PgBouncer has the server's pool as clients of this database, in transaction mode.
    const clients = await query<{ database: string }>(admin, "show clients");
    expect(clients.filter((c) => c.database === db.name).length).toBeGreaterThan(0);
    const [mode] = await query<{ key: string; value: string }>(admin, "show config").then((r) =>
      r.filter((c) => c.key === "pool_mode"),
    );
    expect(mode?.value).toBe("transaction");
    // The server connections PgBouncer holds to the primary, by their local port.
    const pooled = new Set(
      (await query<{ local_port: number }>(admin, "show servers")).map((s) => Number(s.local_port)),
    );
    // LISTEN (webhook dispatch on commit) and pg-boss run on the primary over direct connections: no session of
    // theirs is one PgBouncer lends out.
    const sessions = () =>
      query<{ query: string; client_port: number }>(
        db.url,
        "select query, client_port from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [db.name],
      );
    await eventually(sessions, (rows) => rows.some((r) => /^listen /i.test(r.query)), 30_000);
    const listeners = (await sessions()).filter((r) => /^listen /i.test(r.query));
    for (const l of listeners) expect(pooled.has(Number(l.client_port))).toBe(false);
    // The job queue's schema was made through the direct URL, and its maintenance runs.
    const [boss] = await query<{ n: number }>(db.url, "select count(*)::int as n from pgboss.queue");
    expect(boss!.n).toBeGreaterThan(0);
  });

  it("reads experiment results from the replica, says how far behind it is, and catches up", async () => {
    const created = await api(
      server,
      "POST",
      "/api/v1/experiments",
      ADMIN,
      experimentBody("greeting", "Replica read", "b", {
        primaryMetric: { name: "quality", kind: "continuous", goal: "increase" },
        seed: "replica-seed",
      }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.id;
    // Read at once: the replica may not have the new experiment yet, and the read falls back to the primary.
    expect((await api(server, "POST", `/api/v1/experiments/${id}/start`, ADMIN)).status).toBe(200);
    const split = {
      seed: "replica-seed",
      coverage: 1,
      variants: [
        { key: "control", weight: 0.5 },
        { key: "b", weight: 0.5 },
      ],
    };
    const events = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => {
        const s = `user-${from + i}`;
        const b = assign(split, s)!.key === "b";
        return {
          id: `q-${s}`,
          type: "metric",
          name: "quality",
          prompt: "greeting",
          version: b ? 2 : 1,
          subject: s,
          value: 1,
        };
      });
    const subjects = async () => {
      const r = await api(server, "GET", `/api/v1/experiments/${id}/results`, ADMIN);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const arms = r.body.arms as Array<{ metrics: { quality?: { n: number } } }>;
      const n = arms.reduce((s, a) => s + (a.metrics.quality?.n ?? 0), 0);
      return {
        n,
        lag: Number(r.headers.get("lectern-replica-lag-seconds")),
        seen: JSON.stringify({ experiment: r.body.experiment, arms: r.body.arms }),
      };
    };
    expect((await api(server, "POST", "/api/v1/events", runtimeKey, { events: events(0, 20) })).status).toBe(202);
    await eventually(subjects, (r) => r.n === 20, 10_000);

    // Once the replica has replayed all of it (the read above may have come from the primary, which the results
    // fall back to for an experiment the replica does not have yet), replay stops: what arrives now is on the
    // primary only. All of it: up to the WAL's insert position, not pg_current_wal_lsn's write position, since
    // with synchronous_commit off (scripts/with-topology.sh) an acknowledged commit can still be in the buffers.
    const replica = onDatabase(replicaUrl, db.name);
    const lsn = (await query<{ lsn: string }>(db.url, "select pg_current_wal_insert_lsn()::text as lsn"))[0]!.lsn;
    await eventually(
      () => query<{ done: boolean }>(replica, "select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [lsn]),
      (rows) => rows[0]!.done,
      10_000,
    );
    await query(replica, "select pg_wal_replay_pause()");
    try {
      expect((await api(server, "POST", `/api/v1/events`, runtimeKey, { events: events(20, 50) })).status).toBe(202);
      const [onPrimary] = await query<{ n: number }>(
        db.url,
        "select count(distinct subject)::int as n from metric_events where type = 'metric'",
      );
      expect(onPrimary!.n).toBe(50);
      // The results still count 20, and say the replica is behind once it is more than the allowed second.
      await eventually(subjects, (r) => r.lag > 1, 10_000);
      const behind = await subjects();
      const onReplica = await query(
        replica,
        "select phase, variant_key, metric, sum(n)::int as n from experiment_arm_stats where experiment_id = $1 group by 1, 2, 3",
        [id],
      );
      expect(behind.n, `${behind.seen} ${JSON.stringify(onReplica)}`).toBe(20);
    } finally {
      await query(replica, "select pg_wal_replay_resume()");
    }
    await eventually(subjects, (r) => r.n === 50 && r.lag === 0, 10_000);
  });
});
