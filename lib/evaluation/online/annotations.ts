// People's labels on sampled live outputs and on evaluation runs' outputs (runs/run-labels.ts reads those).
// A label is a score with `source: "human"`: pass/fail (score "pass" / "fail" or true / false, or 0 / 1 for 0–1
// judges) or 1–5 for 1–5 judges,
// with a comment, one per person and output (labelling again replaces it), kept with who and when; the
// audit entry is written in the same transaction.
//
// How well each judge agrees with these labels: rule-agreement.ts.
import { and, desc, eq, sql } from "drizzle-orm";
import { isUuid } from "../../validation";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import {
  annotations,
  apiKeys,
  evalRunItems,
  evalRuns,
  onlineEvalRules,
  onlineSamples,
  users,
} from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import type { DomainContext } from "../../context";
import { parseInput } from "../../validation";

const outputId = (field: string, what: string) =>
  z
    .number({ error: `${field} must be the id of ${what}` })
    .int({ error: `${field} must be the id of ${what}` })
    .positive({ error: `${field} must be the id of ${what}` });

const scoreError =
  'score must be on the judge\'s scale: 0 or 1 for a 0–1 judge, a whole number from 1 to 5 for a 1–5 judge, or "pass" / "fail" (true / false)';

/** A label's score as given: a whole number from 0 to 5 (read on the judges' scale), or pass/fail as a word or a boolean. */
const labelScore = z
  .union([z.number(), z.string(), z.boolean()], { error: scoreError })
  .refine(
    (v) => typeof v === "boolean" || v === "pass" || v === "fail" || (Number.isInteger(v) && +v >= 0 && +v <= 5),
    { error: scoreError },
  );

export const annotationInput = z
  .strictObject({
    sampleId: outputId("sampleId", "a sampled output").optional(),
    runItemId: outputId("runItemId", "an evaluation run's output").optional(),
    /** The same as score "pass" / "fail" (the older spelling). */
    label: z.enum(["pass", "fail"], { error: 'label must be "pass" or "fail"' }).optional(),
    score: labelScore.optional(),
    comment: z
      .string({ error: "comment must be text" })
      .max(2000, { error: "comment must be at most 2,000 characters" })
      .optional(),
  })
  .refine((a) => (a.sampleId === undefined) !== (a.runItemId === undefined), {
    path: ["sampleId"],
    error: "give either sampleId (a sampled live output) or runItemId (an evaluation run's output), not both",
  })
  .refine((a) => (a.label === undefined) !== (a.score === undefined), {
    path: ["score"],
    error: 'give score: 1 to 5, or "pass" / "fail" (label is the same as a pass/fail score; not both)',
  });

/** The scales of the LLM judges that score an output ("0-1", "1-5"; a judge's default is 1–5). */
export type JudgeScale = "0-1" | "1-5";
const judgeScales = (scorers: readonly { type: string; scale?: string }[]): Set<JudgeScale> =>
  new Set(scorers.filter((s) => s.type === "llm_judge").map((s) => (s.scale === "0-1" ? "0-1" : "1-5")));

/**
 * A label as a score, read on the scale of the output's judges: for 0–1 judges 0 or 1 is fail or pass; for 1–5
 * judges a whole number from 1 to 5; pass/fail (or true/false) always. With judges of both scales (or none), 0 is
 * fail and 1 to 5 a score. Anything else is refused, naming the judges' scale.
 */
function scoreOf(a: { label?: "pass" | "fail"; score?: number | string | boolean }, scales: Set<JudgeScale>) {
  const v = a.label ?? a.score!;
  if (typeof v !== "number") return { scale: "pass_fail" as const, value: v === true || v === "pass" ? 1 : 0 };
  const only = scales.size === 1 ? [...scales][0]! : null;
  if (only === "0-1") {
    if (v === 0 || v === 1) return { scale: "pass_fail" as const, value: v };
    throw new AppError(
      "invalid_input",
      `score ${v} is not on this output's judges' scale: they score from 0 to 1, so a label is 0 or 1 (or "pass" / "fail", true / false).`,
      { field: "score", scale: "0-1" },
    );
  }
  if (only === "1-5" && v === 0)
    throw new AppError(
      "invalid_input",
      `score 0 is not on this output's judges' scale: they score from 1 to 5, so a label is a whole number from 1 to 5 (or "pass" / "fail", true / false).`,
      { field: "score", scale: "1-5" },
    );
  return v === 0 ? { scale: "pass_fail" as const, value: 0 } : { scale: "scale_5" as const, value: v };
}

/** A person's label: a score with `source: "human"`, kept with who and when (POST /api/v1/annotations). */
export const annotationSchema = z.object({
  id: z.string(),
  source: z.literal("human"),
  /** The sampled live output labelled, or null for a run's output (runItemId). */
  sampleId: z.number().int().nullable(),
  runItemId: z.number().int().nullable(),
  scale: z.enum(["pass_fail", "scale_5"]),
  /** pass/fail: 1 or 0; scale: 1–5. */
  score: z.number().int(),
  /** pass/fail labels: "pass" or "fail"; null on the 1–5 scale. */
  label: z.enum(["pass", "fail"]).nullable(),
  /** The same as score (the older name). */
  value: z.number().int(),
  comment: z.string(),
  /** Who labelled, by name (a member's email, or "API key <name>"). */
  by: z.string(),
  at: z.iso.datetime({ offset: true }),
});
export type AnnotationDto = z.output<typeof annotationSchema>;

type Labeller = { labeller: string; userId: string | null; labellerName: string };

/**
 * Who labels: the signed-in member, or an API key acting for the member who made it, so that one person with
 * five keys is one labeller (agreement counts people, and the latest of their labels). A key nobody made (the
 * bootstrap key) or whose maker is gone labels as itself.
 */
export async function labellerOf(ctx: DomainContext): Promise<Labeller> {
  if (ctx.actor.type === "user")
    return { labeller: `user:${ctx.actor.id}`, userId: ctx.actor.id, labellerName: ctx.actor.label };
  if (ctx.actor.type === "api_key") {
    const [maker] = await ctx.db
      .select({ id: users.id, email: users.email })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.createdBy))
      .where(eq(apiKeys.id, ctx.actor.id));
    if (maker)
      return {
        labeller: `user:${maker.id}`,
        userId: maker.id,
        labellerName: `${maker.email} (API key ${ctx.actor.label})`,
      };
    return { labeller: `key:${ctx.actor.id}`, userId: null, labellerName: `API key ${ctx.actor.label}` };
  }
  throw new AppError("forbidden", "Labels are given by members or API keys.");
}

/** The labelled output, in this project: a sampled live output, or a run item with an output. */
async function targetOf(ctx: DomainContext, data: { sampleId?: number; runItemId?: number }) {
  if (data.sampleId !== undefined) {
    const [sample] = await ctx.db
      .select({ id: onlineSamples.id, scorers: onlineEvalRules.scorers })
      .from(onlineSamples)
      .innerJoin(onlineEvalRules, eq(onlineEvalRules.id, onlineSamples.ruleId))
      .where(and(eq(onlineSamples.id, data.sampleId), eq(onlineSamples.projectId, ctx.projectId)));
    if (!sample) throw new AppError("not_found", `No sampled output ${data.sampleId}.`, { field: "sampleId" });
    return {
      sampleId: sample.id,
      runItemId: null,
      objectType: "online_sample",
      objectId: String(sample.id),
      scales: judgeScales(sample.scorers),
    };
  }
  const [item] = await ctx.db
    .select({ id: evalRunItems.id, output: evalRunItems.output, runId: evalRunItems.runId, scorers: evalRuns.scorers })
    .from(evalRunItems)
    .innerJoin(evalRuns, eq(evalRuns.id, evalRunItems.runId))
    .where(and(eq(evalRunItems.id, data.runItemId!), eq(evalRuns.projectId, ctx.projectId)));
  if (!item) throw new AppError("not_found", `No run output ${data.runItemId}.`, { field: "runItemId" });
  if (item.output === null)
    throw new AppError("unprocessable", `Run output ${item.id} has no output to label (the call failed).`, {
      field: "runItemId",
    });
  return {
    sampleId: null,
    runItemId: item.id,
    objectType: "eval_run_item",
    objectId: String(item.id),
    scales: judgeScales(item.scorers),
  };
}

/** Labels a sampled live output or a run's output (or replaces this person's label of it). */
export async function createAnnotation(ctx: DomainContext, input: unknown): Promise<AnnotationDto> {
  const data = parseInput(annotationInput, input);
  const who = await labellerOf(ctx);
  const { objectType, objectId, scales, ...target } = await targetOf(ctx, data);
  const { scale, value } = scoreOf(data, scales);
  const comment = data.comment ?? "";
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(annotations)
      .values({ projectId: ctx.projectId, ...target, scale, value, comment, ...who })
      .onConflictDoUpdate({
        target:
          target.sampleId !== null
            ? [annotations.sampleId, annotations.labeller]
            : [annotations.runItemId, annotations.labeller],
        set: { scale, value, comment, labellerName: who.labellerName, updatedAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "annotation.create",
      objectType,
      objectId,
      after: { ...target, scale, value, comment },
    });
    return {
      id: row!.id,
      source: "human" as const,
      sampleId: row!.sampleId,
      runItemId: row!.runItemId,
      scale: row!.scale,
      score: row!.value,
      label: row!.scale === "pass_fail" ? (row!.value === 1 ? ("pass" as const) : ("fail" as const)) : null,
      value: row!.value,
      comment: row!.comment,
      by: row!.labellerName,
      at: row!.updatedAt.toISOString(),
    };
  });
}

export async function getRule(db: Db, projectId: string, id: string) {
  const [rule] = isUuid(id)
    ? await db
        .select()
        .from(onlineEvalRules)
        .where(and(eq(onlineEvalRules.id, id), eq(onlineEvalRules.projectId, projectId)))
    : [];
  if (!rule) throw new AppError("not_found", `No online evaluation rule ${id}.`, { field: "rule" });
  return rule;
}

export const judges = (rule: { scorers: { type: string; name: string; threshold: number; rubric?: unknown }[] }) =>
  rule.scorers.filter((s) => s.type === "llm_judge");

/** What a person labels a rule's or a run's outputs against, and how many labels there are. */
export interface LabellingProgress {
  /** The judges: what a person checks the output against. */
  rubrics: { scorer: string; rubric: string }[];
  /** Labels this labeller gave on the outputs, and by everyone. */
  labelled: { you: number; everyone: number };
}

export interface NextToLabel extends LabellingProgress {
  rule: string;
  /** The rule's prompt and environment (where the labels' agreement is shown). */
  prompt: string;
  environment: string;
  sample: { id: number; version: number; input: unknown; output: string; at: string } | null;
}

/** The newest scored output of the rule this person has not labelled yet (null when none is left). */
export async function nextToLabel(ctx: DomainContext, ruleId: string): Promise<NextToLabel> {
  const rule = await getRule(ctx.db, ctx.projectId, ruleId);
  const { labeller } = await labellerOf(ctx);
  const [next] = await ctx.db
    .select({
      id: onlineSamples.id,
      version: onlineSamples.version,
      input: onlineSamples.input,
      output: onlineSamples.output,
      at: onlineSamples.at,
    })
    .from(onlineSamples)
    .where(
      and(
        eq(onlineSamples.ruleId, rule.id),
        eq(onlineSamples.status, "scored"),
        sql`not exists (select 1 from annotations a where a.sample_id = ${onlineSamples.id} and a.labeller = ${labeller})`,
      ),
    )
    .orderBy(desc(onlineSamples.id))
    .limit(1);
  const [names] = await queryRows<{ prompt: string; environment: string }>(
    ctx.db,
    sql`select (select name from prompts where id = ${rule.promptId}) as prompt,
               (select name from environments where id = ${rule.environmentId}) as environment`,
  );
  const [counts] = await queryRows<{ you: number; everyone: number }>(
    ctx.db,
    sql`select count(*) filter (where a.labeller = ${labeller})::int as you, count(*)::int as everyone
        from annotations a join online_samples s on s.id = a.sample_id where s.rule_id = ${rule.id}`,
  );
  return {
    rule: rule.id,
    prompt: names!.prompt,
    environment: names!.environment,
    rubrics: judges(rule).map((s) => ({ scorer: s.name, rubric: String(s.rubric ?? "") })),
    labelled: counts ?? { you: 0, everyone: 0 },
    sample: next ? { ...next, at: next.at.toISOString() } : null,
  };
}
