// `npm run bench:scale -- --subjects 10000,100000,1000000 [--events-per-subject K] [--prompts P] [--reads R]
//   [--concurrency C] [--spans S] [--samples N] [--pglite] [--write]`: at each size, a fresh database loaded
// through the real write path (ingestEvents and the OTLP decoder, batches of 500, C batches in flight as
// concurrent clients send them, the aggregates updated as events arrive): per subject an exposure to a running
// experiment (CUPED on, two guardrails, a ratio metric) and a feedback, a thumb from three days before for every
// other subject, K − 2 generations (tokens, cost, latency) spread over P prompts, S model-call spans as
// OpenTelemetry's protobuf exporter sends them, and N outputs sampled by an online rule (default: one per
// subject; bench/online-scale.ts). Then p50/p99 of every read whose input grows with the volume, and each
// ingest's time against two raw `COPY`s in the same run (psql's \copy): of its events alone into a table of the
// same shape and indexes, and of every row it left (events, exposures, subjects' and arms' sums, version
// statistics and latency bins) into the same tables, in a transaction that first deletes those rows and is
// rolled back.
// PostgreSQL at TEST_DATABASE_URL (default 127.0.0.1), or PGlite with --pglite. --write adds
// bench/results/<date>-scale.md. Prints numbers; asserts nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";
import { ingestEvents } from "../lib/ingest/ingest";
import { listAudit } from "../lib/audit/record";
import { createPrompt, getPrompt } from "../lib/registry/prompts";
import { promoteVersion } from "../lib/release/promote";
import { noEvents } from "../lib/announcements";
import { promptLibrary } from "../lib/views/prompt-library";
import { promptOverview } from "../lib/views/prompt-overview";
import { inParallel, resultsAtScale } from "./experiments";
import { onlineAtScale } from "./online-scale";
import { spanBatch } from "./otlp";
import { ingestOtlpTraces } from "../lib/ingest/otlp-ingest";
import { freshPostgres, openMigrated, system } from "./setup";
import { summarize } from "./stats";
import { projectContext } from "../lib/context";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg("subjects", "10000,100000").split(",").map(Number);
const perSubject = Math.max(2, Number(arg("events-per-subject", "3")));
const prompts = Math.max(1, Number(arg("prompts", "10")));
const reads = Number(arg("reads", "20"));
const concurrency = Math.max(1, Number(arg("concurrency", "4")));
const spanCount = Number(arg("spans", "100000"));
const sampleArg = arg("samples", "");
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

const psqlIn = (url: string) => (command: string) =>
  execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAtc", command], {
    env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    maxBuffer: 1 << 26,
  }).toString();

/** Seconds of a raw COPY of `where`'s metric_events rows into a table of the same shape and indexes. */
function eventsCopySeconds(url: string, where: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-copy-"));
  const file = path.join(dir, "rows.copy");
  const psql = psqlIn(url);
  try {
    psql(`\\copy (select * from metric_events where ${where}) to '${file}'`);
    psql("drop table if exists metric_events_copy; create table metric_events_copy (like metric_events including all)");
    const t = performance.now();
    psql(`\\copy metric_events_copy from '${file}'`);
    const seconds = (performance.now() - t) / 1000;
    psql("drop table metric_events_copy");
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Seconds of a raw COPY of every row an ingest left (`rows`: table and condition) into the same tables, with
 * their constraints, triggers and partitions: in one transaction that deletes the rows, copies them back (timed
 * by the server's clock) and is rolled back.
 */
function rowsCopySeconds(url: string, rows: Array<[table: string, where: string]>): number {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-copy-"));
  const psql = psqlIn(url);
  try {
    const script = [`\\set ON_ERROR_STOP 1`, "begin;"];
    rows.forEach(([table, where], i) => {
      const file = path.join(dir, `${i}.copy`);
      psql(`\\copy (select * from ${table} where ${where}) to '${file}'`);
      script.push(`delete from ${table} where ${where};`);
    });
    script.push("select clock_timestamp() as t0 \\gset");
    rows.forEach(([table], i) => script.push(`\\copy ${table} from '${path.join(dir, `${i}.copy`)}'`));
    script.push("select extract(epoch from clock_timestamp() - :'t0'::timestamptz);", "rollback;");
    const file = path.join(dir, "script.sql");
    writeFileSync(file, script.join("\n"));
    const out = execFileSync("psql", [url, "-qAt", "-f", file], {
      env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    }).toString();
    return Number(out.trim().split("\n").at(-1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Ingest = { events: number; seconds: number; eventsCopy?: number; rowsCopy?: number };

async function generations(database: Database, projectId: string, subjects: number) {
  const ctx = { db: database.db, actor: system, projectId, events: noEvents };
  for (let p = 0; p < prompts; p++) {
    await createPrompt(ctx, { name: `app/p${p}`, type: "text", template: `Prompt ${p}` });
    await promoteVersion(ctx, `app/p${p}`, { environment: "production", version: 1 });
  }
  const perEach = perSubject - 2;
  const total = subjects * perEach;
  const starts: number[] = [];
  for (let start = 0; start < total; start += 500) starts.push(start);
  const t = performance.now();
  await inParallel(starts, concurrency, async (start) => {
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
  });
  return { events: total, seconds: (performance.now() - t) / 1000 };
}

/** `count` model-call spans of `prompt` v1 in production, in protobuf batches of 500, through the OTLP path. */
async function spans(database: Database, projectId: string, prompt: string, count: number) {
  const bodies = Array.from({ length: Math.ceil(count / 500) }, (_, i) =>
    spanBatch(prompt, Math.min(500, count - i * 500), false),
  );
  let accepted = 0;
  const t = performance.now();
  await inParallel(bodies, concurrency, async (bytes) => {
    const r = await ingestOtlpTraces(database.db, projectId, { bytes, format: "protobuf" });
    accepted += r.accepted;
  });
  const seconds = (performance.now() - t) / 1000;
  if (accepted !== count) throw new Error(`OTLP ingest stored ${accepted} of ${count} spans`);
  return { events: count, seconds };
}

async function atSize(subjects: number) {
  const pg = pglite ? undefined : await freshPostgres(PG);
  const database = await openMigrated(pg?.url);
  try {
    const exp = await resultsAtScale(database, { events: subjects * 2, reads, concurrency });
    const db = database.db;
    const ctx = { db, actor: system, projectId: exp.projectId, events: noEvents };
    const gen = perSubject > 2 ? await generations(database, exp.projectId, subjects) : null;
    await createPrompt(ctx, { name: "app/spans", type: "text", template: "Spans" });
    await promoteVersion(ctx, "app/spans", { environment: "production", version: 1 });
    const otlp = spanCount > 0 ? await spans(database, exp.projectId, "app/spans", spanCount) : null;
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
        await time(() => promptOverview(projectContext(db, system, exp.projectId, noEvents), prompt, {})),
      ]);
    }
    const samples = sampleArg ? Number(sampleArg) : subjects;
    if (samples > 0) {
      const online = await onlineAtScale(database, exp.projectId, { samples, concurrency, time });
      const n = fmt(samples);
      readings.push([`online page (a rule, ${n} samples: counts, series, judges, shadow)`, online.page as Timing]);
      readings.push([`shadow comparison (${n} samples, ${fmt(samples / 10)} shadow answers)`, online.shadow as Timing]);
    }
    const ingests: Array<[string, Ingest]> = [];
    const x = `'${exp.experimentId}'`;
    const expIngest: Ingest = { events: exp.events, seconds: exp.ingestSeconds };
    if (pg) {
      expIngest.eventsCopy = eventsCopySeconds(pg.url, `experiment_id = ${x}`);
      expIngest.rowsCopy = rowsCopySeconds(pg.url, [
        ["metric_events", `experiment_id = ${x}`],
        ...["experiment_exposures", "experiment_arm_exposures", "experiment_subject_stats", "experiment_arm_stats"].map(
          (t): [string, string] => [t, `experiment_id = ${x}`],
        ),
        ["experiment_ratio_stats", `experiment_id = ${x}`],
        ...["version_metric_stats", "version_latency_bins"].map((t): [string, string] => [
          t,
          `prompt_id = (select prompt_id from experiments where id = ${x}) and bucket > now() - interval '2 days'`,
        ]),
      ]);
    }
    ingests.push([`exposures and feedback into a running experiment (${fmt(exp.events)})`, expIngest]);
    const ofPrompts = (like: string) => `prompt_id in (select id from prompts where name like '${like}')`;
    for (const [name, run, like] of [
      ["generations with tokens, cost and latency", gen, "app/p%"],
      ["OTLP model-call spans (protobuf)", otlp, "app/spans"],
    ] as const) {
      if (!run) continue;
      const i: Ingest = { ...run };
      if (pg) {
        i.eventsCopy = eventsCopySeconds(pg.url, ofPrompts(like));
        i.rowsCopy = rowsCopySeconds(pg.url, [
          ["metric_events", ofPrompts(like)],
          ["version_metric_stats", ofPrompts(like)],
          ["version_latency_bins", ofPrompts(like)],
        ]);
      }
      ingests.push([`${name} (${fmt(run.events)})`, i]);
    }
    const [size] = pg
      ? await queryRows<{ bytes: string; n: string }>(
          db,
          // A partitioned table has no storage of its own: its days' partitions do.
          sql`select (select sum(pg_total_relation_size(inhrelid)) from pg_inherits
                      where inhparent = 'metric_events'::regclass)::text as bytes,
                 (select count(*) from metric_events)::text as n`,
        )
      : [];
    return { subjects, readings, ingests, size };
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
    out(
      `| ingest (${concurrency} batches of 500 in flight) | events/s | COPY of its events alone: events/s · ratio | COPY of every row it left, same tables: events/s · ratio |`,
    );
    out("|---|---|---|---|");
    const versus = (i: Ingest, copy: number | undefined) =>
      copy ? `${fmt(i.events / copy)} · ${(copy / i.seconds).toFixed(2)}` : "—";
    for (const [name, i] of r.ingests)
      out(`| ${name} | ${fmt(i.events / i.seconds)} | ${versus(i, i.eventsCopy)} | ${versus(i, i.rowsCopy)} |`);
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
