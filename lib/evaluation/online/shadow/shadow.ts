// Shadow evaluation, the job side: each candidate a rule names (a version, or a version rendered with other
// versions of partials it includes: docs/decisions/shadow-evaluation.md) answers a share of the rule's scored samples
// of the live version that carry their variables, off the user's path (nothing here touches resolve: the candidate is
// only rendered, through the one render path).
// One answer (render, call, score, judge): shadow-answer.ts. Every answer holds its worst case against
// the rule's daily caps before its first call and settles to what it spent (shadow-budget.ts), so
// answers in flight cannot pass a cap; a refused hold stops the rule until the next day, with a notice.
// Each project's rules together get a bounded share of a run. The job that runs it, one project at a
// time: shadow-job.ts.
import { and, asc, desc, eq, isNotNull, isNull, notExists, or, sql } from "drizzle-orm";
import { inTransaction, type Db } from "../../../../db/client";
import { environments, metricEvents, onlineEvalRules, onlineSamples, shadowResults } from "../../../../db/schema";
import { projectPrices } from "../../../llm/project-prices";
import { liveVersions } from "../../../release/deployments";
import { servedPartialsKey } from "../../../registry/live-versions";
import { loadServedVersion, type ServedVersion } from "../../../runtime/render-as-served";
import { versionOf } from "../score-sample";
import type { ModelsFor } from "../scoring";
import type { ShadowComposition } from "../contracts";
import type { ShadowTask } from "./shadow-answer";
import { budgetStop, shadowSpend } from "./shadow-budget";
import { callsPerAnswer } from "./shadow-config";
import { answerHeld, costliest } from "./shadow-held";

export type ShadowRun = {
  answered: number;
  failed: number;
  rules: number;
  /** Rules whose daily budget stopped them in this run, with the notice the comparison shows. */
  stopped: { ruleId: string; notice: string }[];
};

export type ShadowOptions = {
  now?: Date;
  /** Answers per rule in this run. */
  limit?: number;
  /** Answers per project in this run, every rule of it together (the job: LECTERN_SHADOW_ANSWERS_PER_RUN). */
  perProject?: number;
  /** Answers of one rule in flight at once. */
  concurrency?: number;
  /** Only this rule (the demo seed answers its own with scripted models). */
  ruleId?: string;
  /** Only this project's rules (the job answers one project). */
  projectId?: string;
  /** Aborted: take no new answer (those in flight end and are kept). */
  signal?: AbortSignal;
};

/** Answers one project gets in a run unless told otherwise. */
export const SHADOW_ANSWERS_PER_RUN = 100;

type Task = ShadowTask;
type RuleRow = Awaited<ReturnType<typeof shadowRules>>[number];

async function shadowRules(db: Db, opts: { ruleId?: string; projectId?: string }) {
  return (
    await db
      .select({
        id: onlineEvalRules.id,
        projectId: onlineEvalRules.projectId,
        promptId: onlineEvalRules.promptId,
        environment: environments.name,
        scorers: onlineEvalRules.scorers,
        shadow: onlineEvalRules.shadow,
      })
      .from(onlineEvalRules)
      .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
      .where(
        and(
          isNotNull(onlineEvalRules.shadow),
          opts.ruleId === undefined ? undefined : eq(onlineEvalRules.id, opts.ruleId),
          opts.projectId === undefined ? undefined : eq(onlineEvalRules.projectId, opts.projectId),
        ),
      )
      .orderBy(asc(onlineEvalRules.id))
  ).flatMap((r) => (r.shadow ? [{ ...r, shadow: r.shadow }] : []));
}

/** The projects that have a rule with shadow candidates: each gets its own job. */
export async function shadowProjects(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ projectId: onlineEvalRules.projectId })
    .from(onlineEvalRules)
    .where(isNotNull(onlineEvalRules.shadow))
    .orderBy(asc(onlineEvalRules.projectId));
  return rows.map((r) => r.projectId);
}

/**
 * Gives each rule's candidates answers to new samples, within the rule's daily budget and its project's
 * share of this run: rules are taken one project after another in turn (round robin), and a project's
 * rules together get at most `perProject` answers, so one busy project cannot hold the run for the rest.
 */
export async function runShadow(
  db: Db,
  modelsFor: ModelsFor | undefined,
  opts: ShadowOptions = {},
): Promise<ShadowRun> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 100;
  const perProject = opts.perProject ?? SHADOW_ANSWERS_PER_RUN;
  const run: ShadowRun = { answered: 0, failed: 0, rules: 0, stopped: [] };
  const used = new Map<string, number>();
  const stop = (ruleId: string, notice: string) => {
    if (!run.stopped.some((s) => s.ruleId === ruleId)) run.stopped.push({ ruleId, notice });
  };
  for (const rule of roundRobin(await shadowRules(db, opts))) {
    if (opts.signal?.aborted) break;
    const share = perProject - (used.get(rule.projectId) ?? 0);
    if (share <= 0) continue;
    const models = await modelsFor?.(rule.projectId);
    if (!models) continue;
    const perAnswer = callsPerAnswer(rule.shadow, rule.scorers);
    // Stopped for now: a cap is reached, or the last answer refused still would not fit.
    const spend = await shadowSpend(db, rule.id, now);
    const full = budgetStop(rule.shadow, spend, { calls: perAnswer, costUsd: spend.refusedCostUsd ?? 0 });
    if (full) {
      stop(rule.id, full);
      continue;
    }
    // Only the live version's outputs are answered, and a candidate that went live has nothing to answer.
    const live = (await liveVersions(db, rule.projectId, rule.promptId)).find((e) => e.environment === rule.environment)
      ?.live?.version;
    if (live === undefined) continue;
    const tasks = await tasksOf(db, rule, live, Math.min(limit, share));
    if (!tasks.length) continue;
    run.rules++;
    const budget = {
      now,
      perAnswer,
      prices: await projectPrices(db, rule.projectId),
      floor: await costliest(db, rule.id, now),
    };
    let next = 0;
    let refused = false;
    const worker = async () => {
      while (!refused && !opts.signal?.aborted && next < tasks.length) {
        const task = tasks[next++]!;
        const outcome = await answerHeld(db, task, models, budget);
        if ("notice" in outcome) {
          // This answer and the rule's others wait for the next day (those in flight end and are kept).
          refused = true;
          stop(rule.id, outcome.notice);
          return;
        }
        used.set(rule.projectId, (used.get(rule.projectId) ?? 0) + 1);
        if (outcome.stored === "done") run.answered++;
        else if (outcome.stored) run.failed++;
      }
    };
    const workers = inTransaction(db) ? 1 : Math.max(1, opts.concurrency ?? 4);
    await Promise.all(Array.from({ length: workers }, worker));
  }
  return run;
}

/** The rules in turns: each project's first rule, then each project's second, and so on. */
function roundRobin<R extends { projectId: string }>(rules: readonly R[]): R[] {
  const byProject = new Map<string, R[]>();
  for (const r of rules) byProject.set(r.projectId, [...(byProject.get(r.projectId) ?? []), r]);
  const lists = [...byProject.values()];
  const out: R[] = [];
  for (let i = 0; out.length < rules.length; i++) for (const l of lists) if (l[i]) out.push(l[i]!);
  return out;
}

/**
 * In or out of a candidate's shadow sample, by the event's id alone (an md5 prefix in [0, 1), so every
 * instance and the database agree). Independent of the rule's own sampling hash.
 */
const shadowHash = (eventId: unknown) =>
  sql<number>`(('x' || substr(md5('lectern-shadow:' || ${eventId}), 1, 8))::bit(32)::bigint / 4294967296.0)::float8`;

/**
 * The rule's samples each candidate has not answered yet, newest first: of the live version, scored (so
 * the live side has its scores), with variables, in the candidate's shadow share; at most `limit` in all.
 * A candidate is a version other than the live one, or a composition: a version (usually the live one)
 * rendered with other versions of partials, answered apart from the plain version. A sample whose
 * event named another composition of the live version than the one served now (a partial released
 * since) answered another text, so it is not compared with a candidate rendered with today's partials.
 */
async function tasksOf(db: Db, rule: RuleRow, live: number, limit: number): Promise<Task[]> {
  const tasks: Task[] = [];
  const now = await livePartialsKey(db, rule, live);
  const candidates: ShadowComposition[] = [
    ...rule.shadow.versions.filter((v) => v !== live).map((version) => ({ version, partials: {} })),
    ...(rule.shadow.compositions ?? []),
  ];
  const perCandidate = Math.ceil(limit / Math.max(1, candidates.length));
  for (const c of candidates) {
    if (tasks.length >= limit) break;
    const candidate = await loadCandidate(db, rule, c, live);
    if (!candidate) continue;
    const rows = await db
      .select({
        id: onlineSamples.id,
        version: onlineSamples.version,
        input: onlineSamples.input,
        output: onlineSamples.output,
        latencyMs: sql<number | null>`(${metricEvents.data}->>'latencyMs')::float8`,
        costUsd: sql<number | null>`(${metricEvents.data}->>'costUsd')::float8`,
      })
      .from(onlineSamples)
      .leftJoin(
        metricEvents,
        and(eq(metricEvents.projectId, onlineSamples.projectId), eq(metricEvents.eventId, onlineSamples.eventId)),
      )
      .where(
        and(
          eq(onlineSamples.ruleId, rule.id),
          eq(onlineSamples.status, "scored"),
          eq(onlineSamples.version, live),
          now === null ? undefined : or(isNull(onlineSamples.partials), eq(onlineSamples.partials, now)),
          sql`jsonb_typeof(${onlineSamples.input}) = 'object'`,
          sql`${shadowHash(onlineSamples.eventId)} < ${rule.shadow.sampleRate}`,
          notExists(
            db
              .select({ one: sql`1` })
              .from(shadowResults)
              .where(
                and(
                  eq(shadowResults.sampleId, onlineSamples.id),
                  eq(shadowResults.candidateVersion, c.version),
                  sql`${shadowResults.candidatePartials} = ${JSON.stringify(c.partials)}::jsonb`,
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(onlineSamples.id))
      .limit(Math.min(perCandidate, limit - tasks.length));
    for (const s of rows)
      tasks.push({
        rule,
        candidate,
        partials: c.partials,
        sample: { ...s, input: s.input as Record<string, unknown> },
      });
  }
  return tasks;
}

/** The partials the live version composes in the rule's environment now (`name@version,…`), or null. */
async function livePartialsKey(db: Db, rule: RuleRow, live: number): Promise<string | null> {
  const v = await versionOf(db, rule.promptId, live);
  return v && servedPartialsKey(db, rule.projectId, v, rule.environment);
}

async function loadCandidate(db: Db, rule: RuleRow, c: ShadowComposition, live: number): Promise<ServedVersion | null> {
  const v = await versionOf(db, rule.promptId, c.version);
  if (!v) return null;
  const overrides = Object.keys(c.partials).length ? c.partials : null;
  // A partial graph the environment cannot serve (a cycle, too deep) leaves the candidate unanswered.
  const served = await loadServedVersion(db, rule.projectId, v, rule.environment, overrides).catch(() => null);
  if (!served || !overrides || c.version !== live) return served;
  // The live version with the partial versions the environment serves now renders what is live: nothing to compare.
  const now = await loadServedVersion(db, rule.projectId, v, rule.environment).catch(() => null);
  const same =
    now !== null &&
    Object.keys(now.partials).length === Object.keys(served.partials).length &&
    Object.entries(served.partials).every(([ref, p]) => now.partials[ref]?.version === p.version);
  return same ? null : served;
}
