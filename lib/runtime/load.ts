// Reads what an environment serves straight from the database: one round trip for the prompt, its
// environment, its live deployment and the version's content, plus one per level of partials.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import { namespaceOfRow, type Namespace } from "../experiments/assign";
import type { Content, TemplateContent } from "../registry/content";
import { orderedFiles, type SkillModes } from "../registry/skills/skill-files";
import { environmentGraph, loadRows, type ServedPartials } from "../registry/live-versions";

export interface ResolvedPrompt {
  promptId: string;
  name: string;
  version: number;
  environment: string;
  type: Content["type"];
  /** A text or chat prompt's template ("" for a skill, which has files instead and is never rendered). */
  template: TemplateContent["template"];
  /** A skill's files by path (SKILL.md first); absent for text and chat prompts. */
  files?: Record<string, string>;
  /** A skill's executable files (path → "0755"); absent when it has none. */
  modes?: SkillModes;
  variables: Content["variables"];
  config: Content["config"];
  /** Partials this prompt includes, as served in the same environment: name → {version, text}. */
  partials: ServedPartials;
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
  /** The namespace share it owns ({name, range: [start, end)}); subjects outside it get the control. */
  namespace: Namespace | null;
  mode: "fixed" | "sequential" | "bandit";
  /** A guarded rollout (arms "live" and "new") or an experiment. */
  kind: "experiment" | "rollout";
  /** The bundle whose guarded rollout this is part of (its members share one seed and share), or null. */
  bundle: { name: string; group: string } | null;
  variants: { key: string; weight: number; version: number }[];
  arms: Record<string, ResolvedPrompt>;
}

/** Tells "no such prompt" from "no such environment" (naming the ones there are) after an empty lookup. */
async function explainMissing(db: Db, projectId: string, name: string, environment: string): Promise<never> {
  const known = (
    await queryRows<{ name: string }>(
      db,
      sql`select name from environments where project_id = ${projectId} order by position, name`,
    )
  ).map((e) => e.name);
  if (!known.includes(environment))
    throw new AppError("not_found", `No environment named ${environment}. This project has: ${known.join(", ")}.`, {
      field: "environment",
      environment,
      known,
    });
  throw new AppError("not_found", `No prompt named ${name} in this project.`, { prompt: name });
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
    ...(c.type === "skill"
      ? { template: "", files: orderedFiles(c.files), ...(c.modes ? { modes: c.modes } : {}) }
      : { template: c.template }),
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
  namespace: string | null;
  namespace_start: number | null;
  namespace_end: number | null;
  mode: ResolvedExperiment["mode"];
  kind: ResolvedExperiment["kind"];
  bundle: string | null;
  bundle_group: string | null;
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
    sql`select e.id, e.coverage, e.namespace, e.namespace_start, e.namespace_end, e.mode, e.kind, e.bundle->>'name' as bundle, e.bundle->>'group' as bundle_group, e.phase, ph.seed, ph.weights, ph.started_at as phase_started_at, v.key, v.version, pv.content
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
    namespace: namespaceOfRow(first),
    mode: first.mode,
    kind: first.kind,
    bundle: first.bundle && first.bundle_group ? { name: first.bundle, group: first.bundle_group } : null,
    variants: rows.map((r) => ({ key: r.key, weight: Number(first.weights[r.key] ?? 0), version: r.version })),
    arms,
  };
}
