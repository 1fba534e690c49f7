// `npx tsx bench/dependents.ts [--versions 20000,100000] [--per-prompt 100] [--reads 20] [--popular-reads 3]
// [--mention] [--pglite]`: how long "who includes this partial" (listPromptDependents, what every release plan asks)
// takes in a project with that many versions. Each size is a fresh project: `shared/tone` included by `answer`,
// itself included by `wrapper` (both served in production), and the rest of the versions in prompts of
// --per-prompt versions that each include `shared/format` (one served per prompt); with --mention their text
// also names the tone ("a friendly shared/tone"), which a search of the text takes for a reference. Reads: the
// tone in production (two dependents), the tone in every environment (the API's default), and `shared/format`
// in production (one dependent per prompt: the graph check runs for each; --popular-reads reads). Also the time
// to insert the versions (one statement per size, through the trigger that writes their references), the same
// insert without the trigger (rolled back), and the size of the index. PostgreSQL at TEST_DATABASE_URL
// (default 127.0.0.1), or PGlite with --pglite. Prints numbers; asserts nothing.
import { sql } from "drizzle-orm";
import { queryRows, type Database, type Db } from "../db/client";
import { createProject } from "../lib/auth/projects";
import { createPrompt } from "../lib/registry/prompts";
import { listPromptDependents } from "../lib/release/dependents";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";
import { freshPostgres, openMigrated, system } from "./setup";
import { summarize } from "./stats";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg("versions", "20000").split(",").map(Number);
const perPrompt = Math.max(1, Number(arg("per-prompt", "100")));
const reads = Number(arg("reads", "20"));
const popularReads = Number(arg("popular-reads", "3"));
const mention = process.argv.includes("--mention");
const pglite = process.argv.includes("--pglite");
const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

async function timed(read: () => Promise<unknown>, n = reads): Promise<string> {
  await read();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await read();
    samples.push(performance.now() - t);
  }
  const s = summarize(samples);
  return `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (${n} reads)`;
}

/** Inserts `perPrompt` versions into each prompt named `prefix`…, in one statement; its time in ms. */
async function insertVersions(db: Db, projectId: string, prefix: string): Promise<number> {
  const started = performance.now();
  await db.execute(sql`insert into prompt_versions (prompt_id, version, content, commit_message)
    select p.id, v, jsonb_build_object('type', 'text', 'template',
      'Summarise {{doc}} in a friendly ' || ${mention ? "shared/tone" : "tone"} || ', version ' || v || '. {{> shared/format}}',
      'variables', '[{"name": "doc", "type": "string", "required": true}]'::jsonb, 'config', '{}'::jsonb,
      'examples', '[]'::jsonb), 'bulk'
    from prompts p cross join generate_series(1, ${perPrompt}) v
    where p.project_id = ${projectId} and starts_with(p.name, ${prefix})`);
  return performance.now() - started;
}

async function atSize(database: Database, versions: number) {
  const { db } = database;
  const project = await createProject(db, { slug: `dependents-${versions}`, name: "dependents" }, system);
  const ctx = { db, actor: system, projectId: project.id, events: noEvents };
  const made: [string, string][] = [
    ["shared/tone", "Be warm and brief."],
    ["shared/format", "Answer in three lines."],
    ["answer", "{{> shared/tone}} Answer."],
    ["wrapper", "{{> answer}} Then stop."],
  ];
  for (const [name, template] of made) {
    await createPrompt(ctx, { name, type: "text", template });
    await promoteVersion(ctx, name, { environment: "production", version: 1 });
  }
  const prompts = Math.ceil(versions / perPrompt);
  await db.execute(sql`insert into prompts (project_id, name, latest_version)
    select ${project.id}, 'bulk/p' || g, ${perPrompt} from generate_series(1, ${prompts}) g`);
  // What the trigger costs a write: the same insert without it, rolled back.
  let untriggeredMs = 0;
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`alter table prompt_versions disable trigger prompt_versions_partial_refs`);
      untriggeredMs = await insertVersions(tx, project.id, "bulk/");
      tx.rollback();
    })
    .catch(() => undefined);
  const insertMs = await insertVersions(db, project.id, "bulk/");
  await db.execute(sql`insert into deployments (prompt_id, environment_id, version, action, actor_label)
    select p.id, e.id, ${perPrompt}, 'promote', 'bench' from prompts p
    join environments e on e.project_id = p.project_id and e.name = 'production'
    where p.project_id = ${project.id} and starts_with(p.name, 'bulk/')`);
  await db.execute(sql`analyze`);
  const [size] = await queryRows<{ rows: number; bytes: number }>(
    db,
    sql`select count(*)::int as rows, pg_total_relation_size('prompt_version_partial_refs')::bigint as bytes
        from prompt_version_partial_refs`,
  );
  const tone = await listPromptDependents(db, project.id, "shared/tone", "production");
  console.log(`\n## ${fmt(prompts * perPrompt)} versions (${fmt(prompts)} prompts of ${perPrompt})\n`);
  console.log(
    `insert of the versions, one statement: ${fmt(insertMs)} ms (${fmt(untriggeredMs)} ms without the index)`,
  );
  console.log(`index: ${fmt(size!.rows)} references in the database, ${fmt(Number(size!.bytes) / 2 ** 20)} MiB`);
  const toneIn = (env?: string) => () => listPromptDependents(db, project.id, "shared/tone", env);
  console.log(`shared/tone, production (${tone.map((d) => d.name).join(", ")}): ${await timed(toneIn("production"))}`);
  console.log(`shared/tone, every environment: ${await timed(toneIn())}`);
  const format = () => listPromptDependents(db, project.id, "shared/format", "production");
  const n = (await format()).length;
  console.log(`shared/format, production (${fmt(n)} dependents): ${await timed(format, popularReads)}`);
}

async function main() {
  console.log(
    `bench/dependents.ts${mention ? " --mention" : ""} on ${pglite ? "PGlite" : "PostgreSQL"}, ${reads} reads after a warm-up (Node ${process.version})`,
  );
  for (const n of sizes) {
    const fresh = pglite ? undefined : await freshPostgres(PG);
    const database = await openMigrated(fresh?.url);
    try {
      await atSize(database, n);
    } finally {
      await database.close();
      await fresh?.drop();
    }
  }
}
void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
