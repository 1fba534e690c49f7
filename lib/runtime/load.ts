// Reads what an environment serves straight from the database: one round trip for the prompt, its
// environment, its live deployment and the version's content, plus one per level of partials.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import type { Content } from "../registry/content";
import { collectPartials, partialText } from "../registry/template";
import type { Variable } from "../registry/content";

export interface ResolvedPrompt {
  promptId: string;
  name: string;
  version: number;
  environment: string;
  type: Content["type"];
  template: Content["template"];
  variables: Content["variables"];
  config: Content["config"];
  /** Partials this prompt includes, as served in the same environment: name → {version, text}. */
  partials: Record<string, { version: number; text: string; variables: Variable[] }>;
  /** Partials that are not live in this environment. */
  missingPartials: string[];
  /** When the deployment that made this version live happened (null for a pinned version). */
  liveSince: string | null;
  etag: string;
}

type Row = { id: string; name: string; env_id: string; live_version: number | null; live_since: string | Date | null; version: number | null; content: Content | null };

async function loadRows(db: Db, projectId: string, names: string[], environment: string, opts: { version?: number; at?: Date }) {
  const at = opts.at ? opts.at.toISOString() : null;
  return queryRows<Row>(
    db,
    sql`select p.id, p.name, e.id as env_id, d.version as live_version, d.created_at as live_since, v.version, v.content
        from prompts p
        join environments e on e.project_id = p.project_id and e.name = ${environment}
        left join lateral (
          select version, created_at from deployments
          where prompt_id = p.id and environment_id = e.id
            and (${at}::timestamptz is null or created_at <= ${at}::timestamptz)
          order by created_at desc, id desc limit 1
        ) d on true
        left join prompt_versions v on v.prompt_id = p.id and v.version = coalesce(${opts.version ?? null}::int, d.version)
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null`,
  );
}

/** Tells "no such prompt" from "no such environment" after an empty lookup. */
async function explainMissing(db: Db, projectId: string, name: string, environment: string): Promise<never> {
  const [env] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from environments where project_id = ${projectId} and name = ${environment}`);
  if (!env?.n) throw new AppError("not_found", `No environment named ${environment}.`, { field: "environment", environment });
  throw new AppError("not_found", `No prompt named ${name} in this project.`, { prompt: name });
}

export async function loadResolved(db: Db, projectId: string, name: string, environment: string, opts: { version?: number; at?: Date } = {}): Promise<ResolvedPrompt> {
  const [row] = await loadRows(db, projectId, [name], environment, opts);
  if (!row) return explainMissing(db, projectId, name, environment);
  if (opts.version !== undefined && row.version === null)
    throw new AppError("not_found", `Prompt ${name} has no version ${opts.version}.`, { prompt: name, version: opts.version });
  if (row.version === null || !row.content)
    throw new AppError("not_deployed", opts.at ? `Nothing of ${name} was live in ${environment} at ${opts.at.toISOString()}.` : `Nothing of ${name} is live in ${environment}.`, { prompt: name, environment });

  // Partials: each at the version live in the same environment (at the same instant for `at`).
  const partials: ResolvedPrompt["partials"] = {};
  const missing: string[] = [];
  let frontier = collectPartials(row.content).filter((p) => p !== name);
  for (let depth = 0; frontier.length && depth < 9; depth++) {
    const rows = await loadRows(db, projectId, frontier, environment, { at: opts.at });
    const next: string[] = [];
    for (const r of rows) {
      if (r.version === null || !r.content) continue;
      partials[r.name] = { version: r.version, text: partialText(r.content), variables: r.content.variables };
      next.push(...collectPartials(r.content));
    }
    for (const n of frontier) if (!partials[n] && !missing.includes(n)) missing.push(n);
    frontier = [...new Set(next)].filter((n) => !partials[n] && !missing.includes(n) && n !== name);
  }

  const c = row.content;
  const etag = createHash("sha1")
    .update(JSON.stringify([row.id, row.version, environment, Object.entries(partials).map(([k, v]) => [k, v.version])]))
    .digest("base64url")
    .slice(0, 20);
  const since = row.live_since === null ? null : new Date(row.live_since).toISOString();
  return {
    promptId: row.id,
    name: row.name,
    version: row.version,
    environment,
    type: c.type,
    template: c.template,
    variables: c.variables,
    config: c.config,
    partials,
    missingPartials: missing,
    liveSince: opts.version !== undefined ? null : since,
    etag: `"${etag}"`,
  };
}
