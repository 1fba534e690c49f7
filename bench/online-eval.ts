// Online evaluation benchmarks (part of `npm run bench`; alone: `npx tsx bench/online-eval.ts [--quick]`).
//  1. Scoring throughput of the online-eval job on heuristic scorers: samples scored per second, in
//     process against the database (PostgreSQL when reachable, else PGlite).
//  2. Time from a regression's last sample to the rollback being served: two `npm start` instances
//     (PostgreSQL + Redis); the application posts the last bad outputs to instance A, the online-eval
//     cron route is called (as the scheduler does every minute), and instance B is polled until it
//     serves the known-good version. The scheduler's wait (up to one period, 60 s by default) comes on
//     top and is reported as such, not measured.
// Prints numbers; asserts nothing.
import { ingestEvents } from "../lib/ingest/ingest";
import { putOnlineEvaluation } from "../lib/evaluation/online/rules";
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { createProject } from "../lib/auth/projects";
import { createPrompt } from "../lib/registry/prompts";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { freshPostgres, openMigrated, reachable, system } from "./setup";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

const heuristics = [
  { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
  { type: "length", min: 10, max: 600 },
  { type: "safety", blockList: ["guarantee", "lawsuit"] },
  { type: "regex", pattern: "refund|replacement", flags: "i" },
];

const output = (i: number, good: boolean) =>
  good
    ? `Thank you for your patience, customer ${i}. Your refund of order #${1000 + i} is on its way and should arrive within five days.`
    : `Refund ${i} sent.`;

export type ScoringThroughput = { samples: number; seconds: number; samplesPerSecond: number; backend: string };

export async function scoringThroughput(opts: { samples: number }): Promise<ScoringThroughput> {
  const withPg = await reachable(PG, 5432);
  const pg = withPg ? await freshPostgres(PG) : undefined;
  const database = await openMigrated(pg?.url);
  try {
    const project = await createProject(database.db, { slug: "bench-online", name: "online" }, system);
    const ctx = { db: database.db, actor: system, projectId: project.id, events: noEvents };
    await createPrompt(ctx, { name: "reply", type: "text", template: "Reply to the customer." });
    await promoteVersion(ctx, "reply", { environment: "production", version: 1 });
    await putOnlineEvaluation(ctx, "reply", {
      environment: "production",
      sampleRate: 1,
      scorers: heuristics,
      signals: [],
      window: 1000,
      minSamples: 100,
    });
    for (let start = 0; start < opts.samples; start += 1000) {
      const events = Array.from({ length: Math.min(1000, opts.samples - start) }, (_, j) => {
        const i = start + j;
        return {
          id: `b-${i}`,
          type: "generation",
          prompt: "reply",
          version: 1,
          environment: "production",
          subject: `s${i}`,
          latencyMs: 100,
          output: output(i, i % 5 !== 0),
        };
      });
      await ingestEvents(database.db, project.id, { events });
    }
    const t = performance.now();
    let scored = 0;
    for (;;) {
      const run = await scorePendingSamples(database.db, undefined, { limit: 500 });
      scored += run.scored + run.failed;
      if (run.remaining === 0) break;
    }
    const seconds = (performance.now() - t) / 1000;
    return { samples: scored, seconds, samplesPerSecond: scored / seconds, backend: withPg ? "PostgreSQL" : "PGlite" };
  } finally {
    await database.close();
    await pg?.drop();
  }
}

export type RegressionToRollback = {
  trials: number;
  ms: number[];
  p50: number;
  max: number;
  samplesPerVersion: number;
};

export async function regressionToRollback(opts: {
  trials: number;
  samples: number;
}): Promise<RegressionToRollback | null> {
  if (!(await reachable(PG, 5432)) || !(await reachable(REDIS, 6379))) return null;
  const srv = await freshPostgres(PG);
  const adminKey = "lk_bench_admin_key_online_000000000000000000";
  const cronSecret = "bench-cron-secret-0000000000";
  const env = {
    DATABASE_URL: srv.url,
    REDIS_URL: REDIS,
    LECTERN_BOOTSTRAP_ADMIN_KEY: adminKey,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-2",
    LECTERN_DATA_DIR: `/tmp/lectern-bench-online-${Date.now()}`,
    LECTERN_SEED_DEMO: "false",
    CRON_SECRET: cronSecret,
    LECTERN_SCHEDULER: "off",
  };
  const a = new ServerProcess(await freePort(), env);
  const b = new ServerProcess(await freePort(), env);
  try {
    await a.start();
    await b.start();
    const key = (await api(a, "POST", "/api/v1/api-keys", adminKey, { name: "bench", scope: "runtime" })).body
      .key as string;
    const admin = (method: string, path: string, body?: unknown) => api(a, method, path, adminKey, body);
    const cron = (job: string) =>
      fetch(`${a.url}/api/cron/${job}`, { method: "POST", headers: { authorization: `Bearer ${cronSecret}` } }).then(
        (r) => r.json(),
      );
    let n = 0;
    const send = async (version: number, count: number, good: boolean) => {
      for (let start = 0; start < count; start += 500) {
        const events = Array.from({ length: Math.min(500, count - start) }, () => ({
          id: `r-${++n}`,
          type: "generation",
          prompt: "reply",
          version,
          environment: "production",
          subject: `s${n}`,
          latencyMs: 100,
          output: output(n, good),
        }));
        const r = await api(a, "POST", "/api/v1/events", key, { events });
        if (r.status !== 202) throw new Error(`events: ${r.status} ${JSON.stringify(r.body)}`);
      }
    };
    const served = async () =>
      (await api(b, "GET", "/api/v1/prompts/resolve?name=reply&environment=production", key)).body?.version as number;

    await admin("POST", "/api/v1/prompts", { name: "reply", type: "text", template: "v1" });
    await admin("POST", "/api/v1/prompts/reply/deployments", { environment: "production", version: 1 });
    await admin("PUT", "/api/v1/prompts/reply/online-evaluation", {
      environment: "production",
      sampleRate: 1,
      scorers: heuristics,
      signals: [],
      window: opts.samples,
      minSamples: Math.min(opts.samples, 50),
      alert: { maxDrop: 0.1 },
      rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 0 },
    });
    await send(1, opts.samples, true);
    await cron("online-eval");
    const ms: number[] = [];
    for (let trial = 0; trial < opts.trials; trial++) {
      // A new version goes live and regresses; v1 stays the known-good version.
      const v = (await admin("POST", "/api/v1/prompts/reply/versions", { template: `v${trial + 2}` })).body
        .version as number;
      await admin("POST", "/api/v1/prompts/reply/deployments", { environment: "production", version: v });
      while ((await served()) !== v) await new Promise((r) => setTimeout(r, 5));
      await send(v, opts.samples - 1, false);
      const t0 = performance.now();
      await send(v, 1, false); // the last sample
      const result = (await cron("online-eval")) as { result?: { checks?: { action: string }[] } };
      if (result.result?.checks?.[0]?.action !== "rolled_back")
        throw new Error(`no rollback: ${JSON.stringify(result)}`);
      while ((await served()) !== 1) await new Promise((r) => setTimeout(r, 2));
      ms.push(performance.now() - t0);
    }
    const sorted = [...ms].sort((x, y) => x - y);
    return {
      trials: ms.length,
      ms,
      p50: sorted[Math.floor(sorted.length / 2)]!,
      max: sorted.at(-1)!,
      samplesPerVersion: opts.samples,
    };
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
    await srv.drop();
  }
}

async function main() {
  const quick = process.argv.includes("--quick");
  const s = await scoringThroughput({ samples: quick ? 2_000 : 10_000 });
  console.log(
    `online scoring, ${heuristics.length} heuristic scorers (${s.backend}): ${s.samples} samples in ${s.seconds.toFixed(2)} s = ${Math.round(s.samplesPerSecond)} samples/s`,
  );
  const r = await regressionToRollback({ trials: quick ? 3 : 5, samples: 100 });
  if (r)
    console.log(
      `last bad sample → rollback served by the other instance: p50 ${r.p50.toFixed(0)} ms, max ${r.max.toFixed(0)} ms over ${r.trials} regressions (${r.samplesPerVersion} samples per version; + up to one scheduler period, 60 s by default)`,
    );
  else console.log("regression → rollback: skipped (needs PostgreSQL + Redis)");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
