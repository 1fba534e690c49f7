// Shadow evaluation, the job side: each candidate version a rule names answers a share of the rule's
// scored samples of the live version that carry their variables, off the user's path (nothing here
// touches resolve).
// One answer (render, call, score, judge): shadow-answer.ts.
// Every model call and its cost count against the rule's daily caps (UTC days); at a cap the rule
// stops until the next day, and the run's result and the comparison say so. Each project's rules
// together get a bounded share of a run. Runs under the online-eval cron's lock.
import { and, asc, desc, eq, gte, isNotNull, notExists, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  environments,
  metricEvents,
  onlineEvalRules,
  onlineSamples,
  prompts,
  promptVersions,
  shadowResults,
} from "../../../db/schema";
import { liveVersions } from "../../release/deployments";
import { loadServedVersion, type ServedVersion } from "../../runtime/served";
import type { ShadowConfig } from "./contracts";
import type { ModelsFor } from "./scoring";
import { answer, type ShadowTask } from "./shadow-answer";
import { callsPerAnswer } from "./shadow-config";

export type ShadowRun = {
  answered: number;
  failed: number;
  rules: number;
  /** Rules whose daily budget stopped them in this run, with the notice the comparison shows. */
  stopped: { ruleId: string; notice: string }[];
};

/** Answers one project may get per run (every rule of it together), so that no project starves the others. */
export const SHADOW_ANSWERS_PER_PROJECT = 100;

/** The start of the UTC day `now` is in: the caps' period. */
export const dayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/** Calls and cost a rule's shadow evaluation spent since `since`. */
export async function shadowSpend(db: Db, ruleId: string, since: Date) {
  const [row] = await db
    .select({
      calls: sql<number>`coalesce(sum(${shadowResults.calls}), 0)::int`,
      costUsd: sql<number>`coalesce(sum(${shadowResults.costUsd}), 0)::float8`,
    })
    .from(shadowResults)
    .where(and(eq(shadowResults.ruleId, ruleId), gte(shadowResults.createdAt, since)));
  return { calls: row?.calls ?? 0, costUsd: row?.costUsd ?? 0 };
}

/** Why a rule's shadow evaluation is stopped for the day, or null while it has budget. */
export function budgetStop(config: ShadowConfig, spent: { calls: number; costUsd: number }, perAnswer: number) {
  if (spent.calls + perAnswer > config.maxCallsPerDay)
    return `the daily cap of ${config.maxCallsPerDay} model calls is reached (${spent.calls} spent today, ${perAnswer} per answer); shadow answers resume tomorrow (UTC)`;
  if (config.maxCostUsdPerDay !== null && spent.costUsd >= config.maxCostUsdPerDay)
    return `the daily cost cap of $${config.maxCostUsdPerDay.toFixed(2)} is reached ($${spent.costUsd.toFixed(4)} spent today); shadow answers resume tomorrow (UTC)`;
  return null;
}

/**
 * In or out of a candidate's shadow sample, by the event's id alone (an md5 prefix in [0, 1), so every
 * instance and the database agree). Independent of the rule's own sampling hash.
 */
const shadowHash = (eventId: unknown) =>
  sql<number>`(('x' || substr(md5('lectern-shadow:' || ${eventId}), 1, 8))::bit(32)::bigint / 4294967296.0)::float8`;

type Task = ShadowTask;
type RuleRow = Awaited<ReturnType<typeof shadowRules>>[number];

async function shadowRules(db: Db, ruleId?: string) {
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
      .where(and(isNotNull(onlineEvalRules.shadow), ruleId === undefined ? undefined : eq(onlineEvalRules.id, ruleId)))
      .orderBy(asc(onlineEvalRules.id))
  ).flatMap((r) => (r.shadow ? [{ ...r, shadow: r.shadow }] : []));
}

/**
 * Gives each rule's candidates answers to new samples, within the rule's daily budget and its project's
 * share of this run: rules are taken one project after another in turn (round robin), and a project's
 * rules together get at most `perProject` answers, so one busy project cannot hold the job for the rest.
 */
export async function runShadow(
  db: Db,
  modelsFor: ModelsFor | undefined,
  /** ruleId: only that rule (the demo seed answers its own with scripted models). */
  opts: { now?: Date; limit?: number; perProject?: number; concurrency?: number; ruleId?: string } = {},
): Promise<ShadowRun> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 100;
  const perProject = opts.perProject ?? SHADOW_ANSWERS_PER_PROJECT;
  const run: ShadowRun = { answered: 0, failed: 0, rules: 0, stopped: [] };
  const used = new Map<string, number>();
  for (const rule of roundRobin(await shadowRules(db, opts.ruleId))) {
    const share = perProject - (used.get(rule.projectId) ?? 0);
    if (share <= 0) continue;
    const models = await modelsFor?.(rule.projectId);
    if (!models) continue;
    const perAnswer = callsPerAnswer(rule.shadow, rule.scorers);
    const spent = await shadowSpend(db, rule.id, dayStart(now));
    const stop = () => {
      const notice = budgetStop(rule.shadow, spent, perAnswer);
      if (notice && !run.stopped.some((s) => s.ruleId === rule.id)) run.stopped.push({ ruleId: rule.id, notice });
      return notice;
    };
    if (stop()) continue;
    const affordable = Math.min(limit, share, Math.floor((rule.shadow.maxCallsPerDay - spent.calls) / perAnswer));
    // Only the live version's outputs are answered, and a candidate that went live has nothing to answer.
    const live = (await liveVersions(db, rule.projectId, rule.promptId)).find((e) => e.environment === rule.environment)
      ?.live?.version;
    if (live === undefined) continue;
    const tasks = await tasksOf(db, rule, live, affordable);
    if (!tasks.length) continue;
    run.rules++;
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        // The cost cap is checked before each answer with what this run has spent so far.
        if (stop()) return;
        const task = tasks[next++]!;
        used.set(rule.projectId, (used.get(rule.projectId) ?? 0) + 1);
        const row = await answer(task, models);
        spent.calls += row.calls ?? 0;
        spent.costUsd += row.costUsd ?? 0;
        const [stored] = await db
          .insert(shadowResults)
          .values(row)
          .onConflictDoNothing()
          .returning({ status: shadowResults.status });
        if (stored?.status === "done") run.answered++;
        else if (stored) run.failed++;
      }
      // The answer that reached a cap says so in this run's result.
      stop();
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
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
 * The rule's samples each candidate has not answered yet, newest first: of the live version, scored (so
 * the live side has its scores), with variables, in the candidate's shadow share; at most `limit` in all.
 */
async function tasksOf(db: Db, rule: RuleRow, live: number, limit: number): Promise<Task[]> {
  const tasks: Task[] = [];
  const candidates = rule.shadow.versions.filter((v) => v !== live);
  const perCandidate = Math.ceil(limit / Math.max(1, candidates.length));
  for (const version of candidates) {
    if (tasks.length >= limit) break;
    const candidate = await loadCandidate(db, rule, version);
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
          sql`jsonb_typeof(${onlineSamples.input}) = 'object'`,
          sql`${shadowHash(onlineSamples.eventId)} < ${rule.shadow.sampleRate}`,
          notExists(
            db
              .select({ one: sql`1` })
              .from(shadowResults)
              .where(and(eq(shadowResults.sampleId, onlineSamples.id), eq(shadowResults.candidateVersion, version))),
          ),
        ),
      )
      .orderBy(desc(onlineSamples.id))
      .limit(Math.min(perCandidate, limit - tasks.length));
    for (const s of rows) tasks.push({ rule, candidate, sample: { ...s, input: s.input as Record<string, unknown> } });
  }
  return tasks;
}

async function loadCandidate(db: Db, rule: RuleRow, version: number): Promise<ServedVersion | null> {
  const [row] = await db
    .select({ name: prompts.name, content: promptVersions.content })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.promptId, rule.promptId), eq(promptVersions.version, version)));
  if (!row) return null;
  // A partial graph the environment cannot serve (a cycle, too deep) leaves the candidate unanswered.
  return loadServedVersion(
    db,
    rule.projectId,
    { name: row.name, version, content: row.content },
    rule.environment,
  ).catch(() => null);
}
