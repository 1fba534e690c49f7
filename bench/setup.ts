// Bench fixtures: databases, a project with prompts, and a registry of 10,000 prompts × 20 versions.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { migrateDatabase, openDatabase, type Database } from "../db/client";
import { createProject } from "../lib/auth/projects";
import type { Actor } from "../lib/auth/permissions";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";

export const system: Actor = { type: "system", label: "bench" };

export async function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((res) => {
    const s = net.connect(Number(u.port || defaultPort), u.hostname);
    s.setTimeout(1500, () => (s.destroy(), res(false)));
    s.on("connect", () => (s.destroy(), res(true))).on("error", () => res(false));
  });
}

export async function freshPostgres(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lectern_bench_${randomBytes(4).toString("hex")}`;
  const c = new Client({ connectionString: baseUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new Client({ connectionString: baseUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

export async function openMigrated(url: string | undefined): Promise<Database> {
  const database = await openDatabase(url ? { url, poolSize: 10 } : { dataDir: "memory://" });
  await migrateDatabase(database);
  return database;
}

/** A project with a chat prompt that includes a partial, both live in production. */
export async function seedBenchProject(database: Database, slug: string) {
  const project = await createProject(database.db, { slug, name: slug }, system);
  const ctx = { db: database.db, actor: system, projectId: project.id, events: noEvents };
  await createPrompt(ctx, { name: "shared/tone", type: "text", template: "Be warm and brief." });
  await createPrompt(ctx, {
    name: "support-reply",
    type: "chat",
    template: [
      { role: "system", content: "You support {{company}} customers.\n{{> shared/tone}}" },
      { role: "user", content: "{{customer}} asks: {{question}}" },
    ],
    variables: [{ name: "company", required: false, default: "Acme" }, { name: "customer" }, { name: "question" }],
    config: { model: "gpt-4o-mini", temperature: 0.3 },
  });
  await createVersion(ctx, "support-reply", {
    template: [
      { role: "system", content: "You support {{company}} customers well.\n{{> shared/tone}}" },
      { role: "user", content: "{{customer}} asks: {{question}}" },
    ],
  });
  await promoteVersion(ctx, "shared/tone", { environment: "production", version: 1 });
  await promoteVersion(ctx, "support-reply", { environment: "production", version: 1 });
  return project;
}

/**
 * Bulk-loads `prompts` prompts with `versions` versions each (version `versions` live in production)
 * straight in SQL: going through the registry would take minutes and measure nothing of interest.
 */
export async function bulkRegistry(database: Database, projectId: string, prompts: number, versions: number) {
  const content = JSON.stringify({
    type: "text",
    template: "Summarise {{doc}} for {{audience}} in a few lines.",
    variables: [
      { name: "doc", type: "string", required: true },
      { name: "audience", type: "string", required: true },
    ],
    config: { model: "gpt-4o-mini" },
    examples: [],
  });
  await database.db.execute(sql`
    insert into prompts (project_id, name, latest_version)
    select ${projectId}, 'bulk/p' || g, ${versions} from generate_series(1, ${prompts}) g`);
  await database.db.execute(sql`
    insert into prompt_versions (prompt_id, version, content, commit_message)
    select p.id, v, ${content}::jsonb, 'bulk' from prompts p cross join generate_series(1, ${versions}) v
    where p.project_id = ${projectId}`);
  await database.db.execute(sql`
    insert into deployments (prompt_id, environment_id, version, action, actor_label)
    select p.id, e.id, ${versions}, 'promote', 'bench' from prompts p join environments e on e.project_id = p.project_id and e.name = 'production'
    where p.project_id = ${projectId}`);
  await database.db.execute(sql`analyze`);
}
