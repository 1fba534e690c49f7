// Online evaluation rules, one per prompt and environment: how much production traffic to sample,
// which scorers judge the sampled outputs, which signals count, and when to alert or roll back.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { environments, onlineEvalRules } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { actorUserId, type DomainContext } from "../../context";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow } from "../../release/environments";
import { parseScorerSpecs, type NamedScorerSpec } from "../../scorers";
import { assertProjectConnections, scorerConnections } from "../../llm/connections";
import type { LastCheck } from "./contracts";
import { sampleCounts } from "./series";
import { checkCompositions } from "./shadow/shadow-compositions";
import { parseShadow } from "./shadow/shadow-config";

export const onlineSignals = ["feedback", "outcome"] as const;

const drop = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .gt(0, { error: `${field} must be between 0 and 1` })
    .max(1, { error: `${field} must be between 0 and 1` });

export const onlineEvalInput = z
  .object({
    environment: z.string({ error: "environment is required" }).min(1).max(36),
    sampleRate: z
      .number({ error: "sampleRate must be a number" })
      .min(0, { error: "sampleRate must be between 0 and 1" })
      .max(1, { error: "sampleRate must be between 0 and 1" })
      .default(0.1),
    scorers: z.array(z.unknown(), { error: "scorers must be a list of scorer specs" }).max(20).default([]),
    signals: z
      .array(z.enum(onlineSignals, { error: `signals must be among ${onlineSignals.join(", ")}` }))
      .default(["feedback", "outcome"]),
    window: z
      .number()
      .int()
      .min(10, { error: "window must be at least 10" })
      .max(100_000, { error: "window must be at most 100,000" })
      .default(1000),
    minSamples: z.number().int().min(2, { error: "minSamples must be at least 2" }).max(100_000).default(100),
    alpha: z
      .number()
      .gt(0, { error: "alpha must be between 0 and 1" })
      .lt(1, { error: "alpha must be between 0 and 1" })
      .default(0.05),
    alert: z
      .object({ maxDrop: drop("alert.maxDrop") })
      .nullable()
      .default({ maxDrop: 0.05 }),
    rollback: z
      .object({
        enabled: z.boolean({ error: "rollback.enabled must be true or false" }).default(false),
        maxDrop: drop("rollback.maxDrop").default(0.15),
        cooldownMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60, { error: "rollback.cooldownMinutes must be at most a week" })
          .default(60),
      })
      .default({ enabled: false, maxDrop: 0.15, cooldownMinutes: 60 }),
    // Candidate versions answering sampled inputs off the user's path (shadow/shadow-config.ts); null: none.
    shadow: z.unknown().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.minSamples > v.window)
      ctx.addIssue({
        code: "custom",
        path: ["minSamples"],
        message: `minSamples (${v.minSamples}) cannot exceed window (${v.window})`,
      });
    if (v.alert && v.rollback.enabled && v.alert.maxDrop > v.rollback.maxDrop)
      ctx.addIssue({
        code: "custom",
        path: ["alert", "maxDrop"],
        message: "alert.maxDrop should not exceed rollback.maxDrop (an alert comes first)",
      });
    if (v.scorers.length === 0 && v.signals.length === 0)
      ctx.addIssue({ code: "custom", path: ["scorers"], message: "give at least one scorer or one signal" });
  });

export type OnlineEvalInput = z.input<typeof onlineEvalInput>;
export type RuleRow = typeof onlineEvalRules.$inferSelect;

/** A rule as parseOnlineRuleInput answers it: defaults applied, scorers and shadow parsed. */
export type OnlineRule = ReturnType<typeof parseRule>;
/** The rules parseOnlineRuleInput answered: putOnlineEvaluation takes them as they are, without parsing them again. */
const parsedRules = new WeakSet<object>();

/**
 * A rule as PUT /api/v1/prompts/{name}/online-evaluation takes it: 422 naming the field when one is bad. The
 * endpoint's body parser and the online page's action call it once; putOnlineEvaluation parses only what did not come
 * through it (seeding, tests).
 */
export function parseOnlineRuleInput(input: unknown): OnlineRule {
  const rule = parseRule(input);
  parsedRules.add(rule);
  return rule;
}

function parseRule(input: unknown) {
  const r = onlineEvalInput.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = i.path.map(String).join(".");
    throw new AppError(
      "unprocessable",
      i.message.startsWith(field.split(".")[0] ?? "") ? i.message : `${field}: ${i.message}`,
      { field, issues: r.error.issues.map((x) => ({ field: x.path.join("."), message: x.message })) },
    );
  }
  // Scorer specs are checked by their own schema, with messages naming scorers[i].field.
  let scorers;
  try {
    scorers = parseScorerSpecs(r.data.scorers);
  } catch (e) {
    if (e instanceof AppError) throw new AppError("unprocessable", e.message, e.details);
    throw e;
  }
  scorers.forEach((spec, i) => {
    const problem = onlineProblem(spec);
    if (problem)
      throw new AppError("unprocessable", `scorers[${i}] (${spec.name}): ${problem}`, { field: `scorers.${i}` });
  });
  return { ...r.data, scorers, shadow: parseShadow(r.data.shadow) };
}

/**
 * Production outputs come one per event, with no expected output: scorers that need one are refused.
 * (`consistency` asks the version again with the event's variables, rendered as the environment serves
 * it: events must send their `input` for it to score.)
 */
function onlineProblem(spec: NamedScorerSpec): string | null {
  if (spec.type === "llm_judge" && spec.mode === "pairwise")
    return "a pairwise judge needs a baseline output; online evaluation has only the production output (use mode single)";
  if (
    (spec.type === "exact_match" || spec.type === "levenshtein" || spec.type === "embedding_similarity") &&
    spec.value === undefined
  )
    return `${spec.type} needs value: production outputs have no expected output to compare with`;
  return null;
}

/**
 * PUT /api/v1/prompts/{name}/online-evaluation and the online page's "Save": creates or replaces the rule of a
 * prompt in an environment and answers it as GET reads it (getOnlineEvaluation), from the row it wrote.
 */
export async function putOnlineEvaluation(ctx: DomainContext, promptName: string, input: OnlineRule | OnlineEvalInput) {
  const data = parsedRules.has(input) ? (input as OnlineRule) : parseOnlineRuleInput(input);
  await assertProjectConnections(ctx.db, ctx.projectId, [
    ...scorerConnections(data.scorers),
    { field: "shadow.connection", ref: data.shadow?.connection },
    ...scorerConnections(data.shadow?.judge ? [data.shadow.judge] : [], "shadow.judge"),
  ]);
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  const missing = data.shadow?.versions.find((v) => v > prompt.latestVersion);
  if (missing !== undefined)
    throw new AppError(
      "unprocessable",
      `shadow.versions: ${promptName} has no version ${missing} (its latest is ${prompt.latestVersion})`,
      { field: "shadow.versions" },
    );
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "environment" })
      : e;
  });
  // Compositions render partials as this environment would: checked against it.
  await checkCompositions(ctx.db, prompt, env.name, data.shadow?.compositions ?? []);
  const values = {
    sampleRate: data.sampleRate,
    scorers: data.scorers,
    signals: data.signals,
    window: data.window,
    minSamples: data.minSamples,
    alpha: data.alpha,
    alert: data.alert,
    rollback: data.rollback,
    shadow: data.shadow,
    updatedAt: new Date(),
  };
  const [row] = await ctx.db
    .insert(onlineEvalRules)
    .values({
      projectId: ctx.projectId,
      promptId: prompt.id,
      environmentId: env.id,
      createdBy: actorUserId(ctx),
      ...values,
    })
    .onConflictDoUpdate({ target: [onlineEvalRules.promptId, onlineEvalRules.environmentId], set: values })
    .returning();
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "online_eval.update",
    objectType: "prompt",
    objectId: prompt.id,
    after: { environment: env.name, ...values },
  });
  return ruleAnswer(ctx.db, prompt, row!, env.name);
}

/** Which environment's rule to remove (the API's query, the online page's button). */
export const deleteOnlineRuleInput = z.object({
  environment: z
    .string({ error: "environment is required" })
    .min(1)
    .max(36)
    .describe("The environment whose rule is removed"),
});

export async function deleteOnlineEvaluation(ctx: DomainContext, promptName: string, environment: string) {
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, environment);
  const [row] = await ctx.db
    .delete(onlineEvalRules)
    .where(and(eq(onlineEvalRules.promptId, prompt.id), eq(onlineEvalRules.environmentId, env.id)))
    .returning();
  if (!row) throw new AppError("not_found", `${promptName} has no online evaluation in ${environment}.`);
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "online_eval.delete",
    objectType: "prompt",
    objectId: prompt.id,
    before: { environment },
  });
}

export async function listOnlineRules(db: Db, projectId: string, promptName: string) {
  const prompt = await getPrompt(db, projectId, promptName);
  const rows = await db
    .select({ rule: onlineEvalRules, environment: environments.name })
    .from(onlineEvalRules)
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(eq(onlineEvalRules.promptId, prompt.id))
    .orderBy(asc(environments.position));
  return rows.map((r) => ruleDto(r.rule, r.environment));
}

/** The rule of a prompt in one environment, with its samples per version and the last check's decision. */
export async function getOnlineEvaluation(db: Db, projectId: string, promptName: string, environment: string) {
  const prompt = await getPrompt(db, projectId, promptName);
  const rows = await db
    .select({ rule: onlineEvalRules, environment: environments.name })
    .from(onlineEvalRules)
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(eq(onlineEvalRules.promptId, prompt.id));
  const found = rows.find((r) => r.environment === environment);
  if (!found) {
    const others = rows.map((r) => r.environment);
    throw new AppError(
      "not_found",
      `${promptName} has no online evaluation in ${environment}${others.length ? ` (it has in ${others.join(", ")})` : ""}.`,
      { environments: others },
    );
  }
  return ruleAnswer(db, prompt, found.rule, found.environment);
}

/** A rule as GET and PUT answer it: the rule, its prompt, its samples per version. */
async function ruleAnswer(db: Db, prompt: { name: string }, rule: RuleRow, environment: string) {
  return { ...ruleDto(rule, environment), prompt: prompt.name, versions: await sampleCounts(db, rule.id) };
}

export function ruleDto(r: RuleRow, environment: string) {
  return {
    id: r.id,
    environment,
    sampleRate: r.sampleRate,
    scorers: r.scorers,
    signals: r.signals,
    window: r.window,
    minSamples: r.minSamples,
    alpha: r.alpha,
    alert: r.alert,
    rollback: r.rollback,
    shadow: r.shadow,
    updatedAt: r.updatedAt.toISOString(),
    lastCheck: (r.lastCheckedAt && r.lastDecision
      ? { at: r.lastCheckedAt.toISOString(), ...r.lastDecision }
      : null) satisfies LastCheck | null,
  };
}

/** GET /api/v1/prompts/{name}/online-evaluation?environment= (getOnlineEvaluation). */
export const onlineRuleQuery = z.object({
  environment: z.string().min(1).max(36).default("production").describe("The environment whose rule is read"),
});
