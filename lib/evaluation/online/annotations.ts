// People's labels on sampled live outputs, and how well each LLM-judge scorer of a rule agrees with
// them. A label is pass/fail or a 1–5 score with a comment, one per person and output (labelling again
// replaces it), kept with who and when; the audit entry is written in the same transaction.
//
// How well each judge agrees with these labels: agreement.ts.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { annotations, onlineEvalRules, onlineSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { authorize } from "../../auth/permissions";
import { AppError } from "../../errors";
import type { DomainContext } from "../../registry/context";
import { parseInput } from "../../validation";

export const annotationInput = z
  .strictObject({
    sampleId: z
      .number({ error: "sampleId must be the id of a sampled output" })
      .int({ error: "sampleId must be the id of a sampled output" })
      .positive({ error: "sampleId must be the id of a sampled output" }),
    label: z.enum(["pass", "fail"], { error: 'label must be "pass" or "fail"' }).optional(),
    score: z
      .number({ error: "score must be a whole number from 1 to 5" })
      .int({ error: "score must be a whole number from 1 to 5" })
      .min(1, { error: "score must be a whole number from 1 to 5" })
      .max(5, { error: "score must be a whole number from 1 to 5" })
      .optional(),
    comment: z
      .string({ error: "comment must be text" })
      .max(2000, { error: "comment must be at most 2,000 characters" })
      .optional(),
  })
  .refine((a) => (a.label === undefined) !== (a.score === undefined), {
    path: ["label"],
    error: "give either label (pass or fail) or score (1 to 5), not both",
  });

export interface AnnotationDto {
  id: string;
  sampleId: number;
  scale: "pass_fail" | "scale_5";
  /** pass/fail: 1 or 0; scale: 1–5. */
  value: number;
  comment: string;
  /** Who labelled, by name (a member's email, or "API key <name>"). */
  by: string;
  at: string;
}

type Labeller = { labeller: string; userId: string | null; labellerName: string };

/** Who labels: the signed-in member, or an API key (an integration, or a script a member runs). */
function labellerOf(ctx: DomainContext): Labeller {
  if (ctx.actor.type === "user")
    return { labeller: `user:${ctx.actor.id}`, userId: ctx.actor.id, labellerName: ctx.actor.label };
  if (ctx.actor.type === "api_key")
    return { labeller: `key:${ctx.actor.id}`, userId: null, labellerName: `API key ${ctx.actor.label}` };
  throw new AppError("forbidden", "Labels are given by members or API keys.");
}

/** Labels a sampled output (or replaces this person's label of it). */
export async function annotate(ctx: DomainContext, input: unknown): Promise<AnnotationDto> {
  authorize(ctx.actor, "annotation.write");
  const data = parseInput(annotationInput, input);
  const who = labellerOf(ctx);
  const [sample] = await ctx.db
    .select({ id: onlineSamples.id })
    .from(onlineSamples)
    .where(and(eq(onlineSamples.id, data.sampleId), eq(onlineSamples.projectId, ctx.projectId)));
  if (!sample) throw new AppError("not_found", `No sampled output ${data.sampleId}.`, { field: "sampleId" });
  const scale = data.label !== undefined ? ("pass_fail" as const) : ("scale_5" as const);
  const value = data.label !== undefined ? (data.label === "pass" ? 1 : 0) : data.score!;
  const comment = data.comment ?? "";
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(annotations)
      .values({ projectId: ctx.projectId, sampleId: sample.id, scale, value, comment, ...who })
      .onConflictDoUpdate({
        target: [annotations.sampleId, annotations.labeller],
        set: { scale, value, comment, updatedAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "annotation.create",
      objectType: "online_sample",
      objectId: String(sample.id),
      after: { sampleId: sample.id, scale, value, comment },
    });
    return {
      id: row!.id,
      sampleId: row!.sampleId,
      scale: row!.scale,
      value: row!.value,
      comment: row!.comment,
      by: row!.labellerName,
      at: row!.updatedAt.toISOString(),
    };
  });
}

export async function findRule(db: Db, projectId: string, id: string) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const [rule] = uuid.test(id)
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

export interface NextToLabel {
  rule: string;
  /** The rule's prompt and environment (where the labels' agreement is shown). */
  prompt: string;
  environment: string;
  /** The rule's judges: what a person checks the output against. */
  rubrics: { scorer: string; rubric: string }[];
  /** Labels this labeller gave on the rule's outputs, and by everyone. */
  labelled: { you: number; everyone: number };
  sample: { id: number; version: number; input: unknown; output: string; at: string } | null;
}

/** The newest scored output of the rule this person has not labelled yet (null when none is left). */
export async function nextToLabel(ctx: DomainContext, ruleId: string): Promise<NextToLabel> {
  authorize(ctx.actor, "evaluation.read");
  const rule = await findRule(ctx.db, ctx.projectId, ruleId);
  const { labeller } = labellerOf(ctx);
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
