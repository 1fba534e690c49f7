// Reads what an environment serves straight from the database: one round trip for the prompt, its
// environment, its live deployment and the version's content, plus one per level of partials.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import type { Content } from "../registry/content";
import { collectPartials, defaultMaxPartialDepth, resolvePartialGraph } from "../registry/template";
import type { Variable } from "../registry/content";
import { formatPartialRef, latestLabel, parsePartialRef, type PartialRef } from "../registry/partial-refs";

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
  /** Asked for by version number (`version=`): not necessarily what the environment serves. */
  pinned: boolean;
  /**
   * The experiment running on this prompt in this environment, if any: its current phase and one
   * resolved arm per variant. The fields above are then the control's (variants[0]), which subjects
   * outside the experiment get.
   */
  experiment?: ResolvedExperiment | null;
  etag: string;
}

export interface ResolvedExperiment {
  id: string;
  phase: number;
  /** When the current phase started (ISO 8601): events before it are not this phase's. */
  phaseStartedAt: string;
  seed: string;
  coverage: number;
  mode: "fixed" | "sequential" | "bandit";
  variants: { key: string; weight: number; version: number }[];
  arms: Record<string, ResolvedPrompt>;
}

type Row = {
  id: string;
  name: string;
  env_id: string;
  live_version: number | null;
  live_since: string | Date | null;
  version: number | null;
  content: Content | null;
};

async function loadRows(
  db: Db,
  projectId: string,
  names: string[],
  environment: string,
  opts: { version?: number; at?: Date },
) {
  // The same instant rule as lib/release/deployments.ts liveAt: `at` stands for its whole millisecond.
  const at = opts.at ? new Date(opts.at.getTime() + 1).toISOString() : null;
  return queryRows<Row>(
    db,
    sql`select p.id, p.name, e.id as env_id, d.version as live_version, d.created_at as live_since, v.version, v.content
        from prompts p
        join environments e on e.project_id = p.project_id and e.name = ${environment}
        left join lateral (
          select version, created_at from deployments
          where prompt_id = p.id and environment_id = e.id
            and (${at}::timestamptz is null or created_at < ${at}::timestamptz)
          order by created_at desc, id desc limit 1
        ) d on true
        left join prompt_versions v on v.prompt_id = p.id and v.version = coalesce(${opts.version ?? null}::int, d.version)
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                            and (${at}::timestamptz is null or a.archived_at < ${at}::timestamptz))
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null`,
  );
}

/** The newest version of each prompt that is not archived (as of `at`): what `{{> name|label=latest}}` includes. */
async function loadLatestRows(db: Db, projectId: string, names: string[], at?: Date) {
  const cutoff = at ? new Date(at.getTime() + 1).toISOString() : null;
  return queryRows<{ name: string; version: number; content: Content }>(
    db,
    sql`select p.name, v.version, v.content from prompts p
        join lateral (
          select version, content from prompt_versions v
          where v.prompt_id = p.id and (${cutoff}::timestamptz is null or v.created_at < ${cutoff}::timestamptz)
            and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                              and (${cutoff}::timestamptz is null or a.archived_at < ${cutoff}::timestamptz))
          order by version desc limit 1
        ) v on true
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null`,
  );
}

/**
 * The content each partial reference includes: `{{> name}}` as `environment` serves it (or, with no
 * environment, the latest version: what saving checks against), `name|label=E` as environment E
 * serves it, `name|label=latest` the newest version, `name|version=N` that version. Archived versions
 * are never included. References that find nothing are absent from the answer.
 */
export async function loadPartialRefs(
  db: Db,
  projectId: string,
  refs: string[],
  environment: string | null,
  at?: Date,
): Promise<Map<string, { version: number; content: Content }>> {
  const groups = new Map<string, { env: string | null; version?: number; refs: PartialRef[] }>();
  for (const ref of new Set(refs)) {
    const r = parsePartialRef(ref);
    if (!r) continue;
    const env = r.label === latestLabel ? null : (r.label ?? environment);
    const key = r.version !== undefined ? `version:${r.version}` : env === null ? "latest" : `env:${env}`;
    const g = groups.get(key) ?? { env, version: r.version, refs: [] };
    g.refs.push(r);
    groups.set(key, g);
  }
  const out = new Map<string, { version: number; content: Content }>();
  for (const g of groups.values()) {
    const names = [...new Set(g.refs.map((r) => r.name))];
    const found = new Map<string, { version: number; content: Content }>();
    if (g.version !== undefined) {
      // A pinned version is the same in every environment; any environment of the project joins it.
      for (const r of await loadVersionRows(db, projectId, names, g.version, at))
        found.set(r.name, { version: r.version, content: r.content });
    } else if (g.env === null) {
      for (const r of await loadLatestRows(db, projectId, names, at))
        found.set(r.name, { version: r.version, content: r.content });
    } else {
      for (const r of await loadRows(db, projectId, names, g.env, { at }))
        if (r.version !== null && r.content) found.set(r.name, { version: r.version, content: r.content });
    }
    for (const r of g.refs) {
      const hit = found.get(r.name);
      if (hit) out.set(formatPartialRef(r), hit);
    }
  }
  return out;
}

async function loadVersionRows(db: Db, projectId: string, names: string[], version: number, at?: Date) {
  const cutoff = at ? new Date(at.getTime() + 1).toISOString() : null;
  return queryRows<{ name: string; version: number; content: Content }>(
    db,
    sql`select p.name, v.version, v.content from prompts p
        join prompt_versions v on v.prompt_id = p.id and v.version = ${version}
        where p.project_id = ${projectId} and p.name in ${names} and p.archived_at is null
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version
                            and (${cutoff}::timestamptz is null or a.archived_at < ${cutoff}::timestamptz))`,
  );
}

/** Tells "no such prompt" from "no such environment" after an empty lookup. */
async function explainMissing(db: Db, projectId: string, name: string, environment: string): Promise<never> {
  const [env] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from environments where project_id = ${projectId} and name = ${environment}`,
  );
  if (!env?.n)
    throw new AppError("not_found", `No environment named ${environment}.`, { field: "environment", environment });
  throw new AppError("not_found", `No prompt named ${name} in this project.`, { prompt: name });
}

/**
 * The partial graph of a prompt as an environment serves it: each partial at the version live in
 * that environment (at the same instant for `at`), loaded level by level, then the one graph check
 * every path uses — cycles (which can exist in one environment only), depth and expanded size
 * throw 422. A partial that is not live is reported as missing: rendering then fails with 422, as
 * the SDK's would.
 */
export async function environmentGraph(
  db: Db,
  projectId: string,
  root: { name: string; version: number; content: Content },
  environment: string,
  at?: Date,
) {
  const loaded = new Map<string, { version: number; content: Content }>();
  let frontier = collectPartials(root.content);
  // Keys are partial references: `name`, or a pinned `name|label=E` / `name|version=N`.
  for (let depth = 0; frontier.length && depth <= defaultMaxPartialDepth; depth++) {
    const others = frontier.filter((n) => n !== root.name);
    if (frontier.includes(root.name)) loaded.set(root.name, { version: root.version, content: root.content });
    const rows = others.length ? await loadPartialRefs(db, projectId, others, environment, at) : new Map();
    const next: string[] = [];
    for (const [ref, r] of rows) {
      loaded.set(ref, r);
      next.push(...collectPartials(r.content));
    }
    frontier = [...new Set(next)].filter((n) => !loaded.has(n) && !frontier.includes(n));
  }
  const graph = resolvePartialGraph({ name: root.name, content: root.content }, (n) => loaded.get(n)?.content, {
    collectMissing: true,
  });
  const partials: ResolvedPrompt["partials"] = {};
  for (const [n, text] of Object.entries(graph.partials))
    partials[n] = { version: loaded.get(n)!.version, text, variables: graph.declared[n]! };
  return { partials, missing: graph.missing, expandedChars: graph.expandedChars };
}

export async function loadResolved(
  db: Db,
  projectId: string,
  name: string,
  environment: string,
  opts: { version?: number; at?: Date } = {},
): Promise<ResolvedPrompt> {
  const [row] = await loadRows(db, projectId, [name], environment, opts);
  if (!row) return explainMissing(db, projectId, name, environment);
  if (opts.version !== undefined && row.version === null)
    throw new AppError("not_found", `Prompt ${name} has no version ${opts.version}.`, {
      prompt: name,
      version: opts.version,
    });
  if (row.version === null || !row.content)
    throw new AppError(
      "not_deployed",
      opts.at
        ? `Nothing of ${name} was live in ${environment} at ${opts.at.toISOString()}.`
        : `Nothing of ${name} is live in ${environment}.`,
      { prompt: name, environment },
    );

  const resolved = await assemble(
    db,
    projectId,
    { id: row.id, name: row.name, version: row.version, content: row.content },
    environment,
    {
      liveSince: opts.version !== undefined || row.live_since === null ? null : new Date(row.live_since).toISOString(),
      pinned: opts.version !== undefined,
      at: opts.at,
    },
  );
  // A running experiment splits what the environment serves (never a pinned or point-in-time answer).
  if (opts.version === undefined && !opts.at)
    resolved.experiment = await loadExperiment(db, projectId, resolved, environment);
  if (resolved.experiment)
    return {
      ...resolved.experiment.arms[resolved.experiment.variants[0]!.key]!,
      experiment: resolved.experiment,
      liveSince: resolved.liveSince,
    };
  return resolved;
}

/** One version as an environment serves it: content, partials from the environment, etag. */
async function assemble(
  db: Db,
  projectId: string,
  v: { id: string; name: string; version: number; content: Content },
  environment: string,
  opts: { liveSince: string | null; pinned: boolean; at?: Date },
): Promise<ResolvedPrompt> {
  const { partials, missing } = await environmentGraph(
    db,
    projectId,
    { name: v.name, version: v.version, content: v.content },
    environment,
    opts.at,
  );
  const c = v.content;
  const etag = createHash("sha1")
    .update(JSON.stringify([v.id, v.version, environment, Object.entries(partials).map(([k, p]) => [k, p.version])]))
    .digest("base64url")
    .slice(0, 20);
  return {
    promptId: v.id,
    name: v.name,
    version: v.version,
    environment,
    type: c.type,
    template: c.template,
    variables: c.variables,
    config: c.config,
    partials,
    missingPartials: missing,
    liveSince: opts.liveSince,
    pinned: opts.pinned,
    etag: `"${etag}"`,
  };
}

type ExperimentRow = {
  id: string;
  coverage: number;
  mode: ResolvedExperiment["mode"];
  phase: number;
  seed: string;
  weights: Record<string, number>;
  phase_started_at: string | Date;
  key: string;
  version: number;
  content: Content;
};

async function loadExperiment(
  db: Db,
  projectId: string,
  live: ResolvedPrompt,
  environment: string,
): Promise<ResolvedExperiment | null> {
  const rows = await queryRows<ExperimentRow>(
    db,
    sql`select e.id, e.coverage, e.mode, e.phase, ph.seed, ph.weights, ph.started_at as phase_started_at, v.key, v.version, pv.content
        from experiments e
        join environments en on en.id = e.environment_id and en.name = ${environment}
        join experiment_phases ph on ph.experiment_id = e.id and ph.phase = e.phase
        join experiment_variants v on v.experiment_id = e.id
        join prompt_versions pv on pv.prompt_id = e.prompt_id and pv.version = v.version
        where e.project_id = ${projectId} and e.prompt_id = ${live.promptId} and e.status = 'running'
        order by v.position`,
  );
  const first = rows[0];
  if (!first) return null;
  const arms: Record<string, ResolvedPrompt> = {};
  for (const r of rows) {
    arms[r.key] = await assemble(
      db,
      projectId,
      { id: live.promptId, name: live.name, version: r.version, content: r.content },
      environment,
      { liveSince: live.liveSince, pinned: false },
    );
  }
  return {
    id: first.id,
    phase: first.phase,
    phaseStartedAt: new Date(first.phase_started_at).toISOString(),
    seed: first.seed,
    coverage: Number(first.coverage),
    mode: first.mode,
    variants: rows.map((r) => ({ key: r.key, weight: Number(first.weights[r.key] ?? 0), version: r.version })),
    arms,
  };
}
