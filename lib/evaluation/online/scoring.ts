// The online-eval job: sampled production outputs are scored by their rule's scorers (heuristics
// synchronously; an LLM judge through the project's model connections), with each scorer's score
// and reason stored per sample. A `consistency` scorer asks the version again with the sample's
// variables, rendered as the rule's environment serves it (the one render path,
// lib/runtime/render-as-served.ts). Runs under the cron lock, so two instances never score one sample.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, queryRows, type Db } from "../../../db/client";
import { environments, onlineEvalRules, onlineSamples, onlineScores } from "../../../db/schema";
import { countParam, versionParam } from "../../number-params";
import type { ServedVersion } from "../../runtime/render-as-served";
import type { ScorerModels } from "../../scorers";
import { loadServed, maxAttempts, scoreSample } from "./score-sample";

export type ScoringRun = {
  scored: number;
  failed: number;
  retrying: number;
  remaining: number;
  /** Rules with samples scored in this run. */ ruleIds: string[];
};

/** Model access for a project's judges (its model connections), asked once per project per run. */
export type ModelsFor = (projectId: string) => Promise<ScorerModels | undefined> | ScorerModels | undefined;

/**
 * The pending samples one tick scores, in fair turns across projects: each project with samples waiting
 * takes its turn, its oldest first, until `limit` (a project with few leaves its place to the others), so one project's flood of samples (a high sample rate on
 * heavy traffic) never holds another project's scoring — and its regression checks and rollbacks — behind
 * it. The projects are found with one index probe each (a loose index scan), not by reading the backlog.
 */
async function fairShare(db: Db, limit: number, ruleId: string | undefined): Promise<number[]> {
  const rule = ruleId === undefined ? sql`` : sql`and s.rule_id = ${ruleId}`;
  const projects = await queryRows<{ project_id: string }>(
    db,
    sql`with recursive p(project_id) as (
          (select project_id from online_samples where status = 'pending' order by project_id limit 1)
          union all
          select (select s.project_id from online_samples s
                  where s.status = 'pending' and s.project_id > p.project_id order by s.project_id limit 1)
          from p where p.project_id is not null)
        select project_id from p where project_id is not null`,
  );
  if (!projects.length) return [];
  // Each project's equal share at least, more when few projects wait (so the tick is filled when one has
  // little), never more than about 5,000 ids in all.
  const share = Math.max(Math.ceil(limit / projects.length), Math.min(limit, Math.ceil(5000 / projects.length)));
  const rows = await queryRows<{ id: number | string; project_id: string }>(
    db,
    sql`select x.id, p.project_id from unnest(${`{${projects.map((p) => p.project_id).join(",")}}`}::uuid[]) as p(project_id)
        cross join lateral (
          select s.id from online_samples s
          where s.status = 'pending' and s.project_id = p.project_id and s.attempts < ${maxAttempts} ${rule}
          order by s.id limit ${share}) x`,
  );
  // Turns: each project's oldest, then each one's next, … until the tick's limit.
  const byProject = new Map<string, number[]>();
  for (const r of rows) {
    const list = byProject.get(r.project_id) ?? [];
    list.push(Number(r.id));
    byProject.set(r.project_id, list);
  }
  const queues = [...byProject.values()].map((ids) => ids.sort((a, b) => a - b));
  const out: number[] = [];
  for (let i = 0; out.length < limit && queues.some((q) => i < q.length); i++)
    for (const q of queues) if (i < q.length && out.length < limit) out.push(q[i]!);
  return out;
}

export async function scorePendingSamples(
  db: Db,
  modelsFor: ModelsFor | undefined,
  /** ruleId: only that rule's samples (the demo seed scores its own with scripted models). */
  opts: { limit?: number; concurrency?: number; ruleId?: string } = {},
): Promise<ScoringRun> {
  const limit = opts.limit ?? 500;
  const chosen = await fairShare(db, limit, opts.ruleId);
  const pending = chosen.length
    ? await db
        .select({ sample: onlineSamples, scorers: onlineEvalRules.scorers, environment: environments.name })
        .from(onlineSamples)
        .innerJoin(onlineEvalRules, eq(onlineEvalRules.id, onlineSamples.ruleId))
        .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
        .where(and(inArray(onlineSamples.id, chosen), eq(onlineSamples.status, "pending")))
        .orderBy(asc(onlineSamples.id))
    : [];
  const run: ScoringRun = { scored: 0, failed: 0, retrying: 0, remaining: 0, ruleIds: [] };
  const touched = new Set<string>();
  const models = new Map<string, Promise<ScorerModels | undefined>>();
  const modelsOf = (projectId: string) => {
    if (!models.has(projectId)) models.set(projectId, Promise.resolve(modelsFor?.(projectId)));
    return models.get(projectId)!;
  };
  const served = new Map<string, Promise<ServedVersion | null>>();
  const servedOf = (s: typeof onlineSamples.$inferSelect, environment: string) => {
    const key = `${s.promptId}:${s.version}:${environment}`;
    if (!served.has(key)) served.set(key, loadServed(db, s, environment));
    return served.get(key)!;
  };
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const row = pending[next++]!;
      const outcome = await scoreSample(db, row, { modelsOf, servedOf });
      run[outcome]++;
      if (outcome === "scored") touched.add(row.sample.ruleId);
    }
  };
  // Inside a transaction (the demo seed) its one connection answers one worker at a time.
  const workers = inTransaction(db) ? 1 : Math.max(1, opts.concurrency ?? 8);
  await Promise.all(Array.from({ length: workers }, worker));
  const [left] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(onlineSamples)
    .where(
      and(
        eq(onlineSamples.status, "pending"),
        lt(onlineSamples.attempts, maxAttempts),
        opts.ruleId === undefined ? undefined : eq(onlineSamples.ruleId, opts.ruleId),
      ),
    );
  run.remaining = left?.n ?? 0;
  run.ruleIds = [...touched];
  return run;
}

/** A page of a version's samples (the API's query; no version: the newest one with samples). */
export const listSamplesInput = z.object({
  environment: z.string().min(1).max(36).default("production").describe("The environment whose samples are read"),
  version: versionParam("version").optional().describe("The version sampled (default: the newest with samples)"),
  before: countParam("before", 1, Number.MAX_SAFE_INTEGER)
    .optional()
    .describe("Samples older than this id: the previous page's `next`"),
  limit: countParam("limit", 1, 200).default(50).describe("How many samples, newest first (1–200)"),
});

/** A sample as listSamples answers it in JSON (GET /api/v1/prompts/{name}/online-evaluation/samples). */
export const sampleSchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  version: z.number().int(),
  subject: z.string().nullable(),
  /** The variables, the user's message or the messages the event carried; null when none. */
  input: z.unknown(),
  output: z.string(),
  status: z.enum(["pending", "scored", "failed"]),
  score: z.number().nullable(),
  at: z.iso.datetime({ offset: true }),
  scores: z.array(
    z.object({ scorer: z.string(), score: z.number().nullable(), passed: z.boolean().nullable(), reason: z.string() }),
  ),
});

/** Scored samples of one version, newest first, for the drill-down. */
export async function listSamples(
  db: Db,
  ruleId: string,
  version: number,
  opts: { limit?: number; before?: number } = {},
) {
  const where = [eq(onlineSamples.ruleId, ruleId), eq(onlineSamples.version, version)];
  if (opts.before) where.push(lt(onlineSamples.id, opts.before));
  const samples = await db
    .select()
    .from(onlineSamples)
    .where(and(...where))
    .orderBy(sql`${onlineSamples.id} desc`)
    .limit(Math.min(opts.limit ?? 50, 200));
  const scores = samples.length
    ? await db
        .select()
        .from(onlineScores)
        .where(
          inArray(
            onlineScores.sampleId,
            samples.map((s) => s.id),
          ),
        )
    : [];
  return samples.map((s) => ({
    id: s.id,
    eventId: s.eventId,
    version: s.version,
    subject: s.subject,
    input: s.input,
    output: s.output,
    status: s.status,
    score: s.score,
    at: s.at.toISOString(),
    scores: scores
      .filter((x) => x.sampleId === s.id)
      .map((x) => ({ scorer: x.scorer, score: x.score, passed: x.passed, reason: x.reason })),
  }));
}
