// `npm run bench:scale -- --subjects 10000,100000,1000000 [--events-per-subject K] [--prompts P] [--reads R]
//   [--pglite] [--write]`: at each size, a fresh database loaded through the real write path (ingestEvents,
// batches of 500, the aggregates updated as events arrive): per subject an exposure to a running experiment
// (CUPED on, two guardrails, a ratio metric) and a feedback, a thumb from three days before for every other
// subject, and K − 2 generations (tokens, cost, latency) spread over P prompts. Then p50/p99 of every read whose
// input grows with the volume, and each ingest's rate against a raw `COPY` of the same rows into a table of the
// same shape and indexes, in the same run (psql's \copy). PostgreSQL at TEST_DATABASE_URL (default 127.0.0.1),
// or PGlite with --pglite. --write adds bench/results/<date>-scale.md. Prints numbers; asserts nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";
import { ingestEvents } from "../lib/events/ingest";
import { listAudit } from "../lib/audit/record";
import { createPrompt, getPrompt } from "../lib/registry/prompts";
import { promote } from "../lib/release/promote";
import { noEvents } from "../lib/release/events";
import { promptLibrary } from "../lib/release/prompt-library";
import { promptOverview } from "../lib/views/prompt-overview";
import { onlineOverview } from "../lib/evaluation/online/overview";
import { resultsAtScale } from "./experiments";
import { freshPostgres, openMigrated, system } from "./setup";
import { summarize } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg("subjects", "10000,100000").split(",").map(Number);
const perSubject = Math.max(2, Number(arg("events-per-subject", "3")));
const prompts = Math.max(1, Number(arg("prompts", "10")));
const reads = Number(arg("reads", "20"));
const pglite = process.argv.includes("--pglite");
const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

type Timing = { p50: number; p99: number };
const time = async (read: () => Promise<unknown>): Promise<Timing> => {
  await read();
  const samples: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    await read();
    samples.push(performance.now() - t);
  }
  const s = summarize(samples);
  return { p50: s.p50, p99: s.p99 };
};

/** Rows per second of a raw COPY of `where`'s metric_events rows into a table of the same shape and indexes. */
function rawCopyRate(url: string, where: string): { rows: number; rowsPerSecond: number } {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-copy-"));
  const file = path.join(dir, "rows.copy");
  const psql = (command: string) =>
    execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAtc", command], {
      env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    }).toString();
  try {
    psql(`\\copy (select * from metric_events where ${where}) to '${file}'`);
    psql("drop table if exists metric_events_copy; create table metric_events_copy (like metric_events including all)");
    const rows = Number(psql(`select count(*) from metric_events where ${where}`).trim());
    const t = performance.now();
    psql(`\\copy metric_events_copy from '${file}'`);
    const seconds = (performance.now() - t) / 1000;
    psql("drop table metric_events_copy");
    return { rows, rowsPerSecond: rows / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function generations(database: Database, projectId: string, subjects: number) {
  const ctx = { db: database.db, actor: system, projectId, events: noEvents };
  for (let p = 0; p < prompts; p++) {
    await createPrompt(ctx, { name: `app/p${p}`, type: "text", template: `Prompt ${p}` });
    await promote(ctx, `app/p${p}`, { environment: "production", version: 1 });
  }
  const perEach = perSubject - 2;
  const total = subjects * perEach;
  const t = performance.now();
  for (let start = 0; start < total; start += 500) {
    const events: unknown[] = [];
    for (let i = start; i < Math.min(total, start + 500); i++)
      events.push({
        id: `g${i}`,
        type: "generation",
        prompt: `app/p${i % prompts}`,
        version: 1,
        environment: "production",
        subject: `s${i % subjects}`,
        inputTokens: 200 + (i % 300),
        outputTokens: 50 + (i % 120),
        costUsd: 0.0004 + (i % 13) * 0.00001,
        latencyMs: 300 + ((i * 7919) % 900),
      });
    await ingestEvents(database.db, projectId, { events });
  }
  return { events: total, eventsPerSecond: total / ((performance.now() - t) / 1000) };
}

async function atSize(subjects: number) {
  const pg = pglite ? undefined : await freshPostgres(PG);
  const database = await openMigrated(pg?.url);
  try {
    const exp = await resultsAtScale(database, { events: subjects * 2, reads });
    const gen = perSubject > 2 ? await generations(database, exp.projectId, subjects) : null;
    const db = database.db;
    const prompt = await getPrompt(db, exp.projectId, "app/p0").catch(() => null);
    const readings: Array<[string, Timing]> = [
      ["experiment page (CUPED, 2 guardrails, a ratio)", exp.results],
      ["experiments list's call (CUPED, primary)", exp.listResults],
      ["experiments list", exp.listView],
      ["prompt library", await time(() => promptLibrary(db, exp.projectId, {}))],
      ["activity (newest 50)", await time(() => listAudit(db, exp.projectId, { limit: 50 }))],
    ];
    if (prompt) {
      readings.push([
        `prompt page with version statistics (${((subjects * (perSubject - 2)) / prompts).toLocaleString("en-US")} generations)`,
        await time(() => promptOverview(db, system, exp.projectId, prompt, {})),
      ]);
      readings.push([
        "online page (no rule: statistics and series)",
        await time(() => onlineOverview(db, system, exp.projectId, { id: prompt.id, name: prompt.name }, {})),
      ]);
    }
    const copyExp = pg
      ? rawCopyRate(pg.url, `type in ('exposure', 'feedback') and at > now() - interval '1 day'`)
      : null;
    const copyGen = pg && gen ? rawCopyRate(pg.url, `type = 'generation'`) : null;
    const [size] = pg
      ? await queryRows<{ bytes: string; n: string }>(
          db,
          // A partitioned table has no storage of its own: its days' partitions do.
          sql`select (select sum(pg_total_relation_size(inhrelid)) from pg_inherits
                      where inhparent = 'metric_events'::regclass)::text as bytes,
                 (select count(*) from metric_events)::text as n`,
        )
      : [];
    return { subjects, exp, gen, readings, copyExp, copyGen, size };
  } finally {
    await database.close();
    await pg?.drop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (t: Timing) => `p50 ${t.p50.toFixed(1)} ms · p99 ${t.p99.toFixed(1)} ms`;

async function main() {
  const lines: string[] = [];
  const out = (s = "") => (console.log(s), lines.push(s));
  out(
    `bench:scale on ${pglite ? "PGlite" : "PostgreSQL"}, ${perSubject} events per subject, ${prompts} prompts, ${reads} reads after a warm-up (Node ${process.version})`,
  );
  for (const n of sizes) {
    const r = await atSize(n);
    out();
    out(`## ${fmt(n)} subjects`);
    out();
    out("| read | time |");
    out("|---|---|");
    for (const [name, t] of r.readings) out(`| ${name} | ${ms(t)} |`);
    out();
    out("| ingest (ingestEvents, batches of 500) | events/s | raw COPY of the same rows, rows/s | ratio |");
    out("|---|---|---|---|");
    const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : "—");
    out(
      `| exposures and feedback into a running experiment (${fmt(r.exp.events)}) | ${fmt(r.exp.eventsPerSecond)} | ${r.copyExp ? fmt(r.copyExp.rowsPerSecond) : "—"} | ${ratio(r.exp.eventsPerSecond, r.copyExp?.rowsPerSecond)} |`,
    );
    if (r.gen)
      out(
        `| generations with tokens, cost and latency (${fmt(r.gen.events)}) | ${fmt(r.gen.eventsPerSecond)} | ${r.copyGen ? fmt(r.copyGen.rowsPerSecond) : "—"} | ${ratio(r.gen.eventsPerSecond, r.copyGen?.rowsPerSecond)} |`,
      );
    if (r.size)
      out(
        `\nmetric_events: ${fmt(Number(r.size.n))} rows, ${fmt(Number(r.size.bytes) / 2 ** 20)} MiB with indexes (${fmt(((Number(r.size.bytes) / Number(r.size.n)) * 1e6) / 2 ** 20)} MiB per million events)`,
      );
  }
  if (process.argv.includes("--write")) {
    const file = `bench/results/${new Date().toISOString().slice(0, 10)}-scale.md`;
    writeFileSync(file, `# Scale bench, ${new Date().toISOString().slice(0, 10)}\n\n${lines.join("\n")}\n`);
    console.log(`\nwrote ${file}`);
  }
}
void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
