// People's labels against the LLM judges, of an online rule's sampled outputs or of an evaluation run's:
// the next output to label and each judge's agreement with the labels. Both read either source, named by
// `rule` or `run` (exactly one); the query schemas live here, once, for the routes and the OpenAPI document.
import { z } from "zod";
import type { DomainContext } from "../context";
import type { Db } from "../../db/client";
import { agreementSummary } from "../scorers/judge-agreement";
import { judgeAgreement } from "./online/rule-agreement";
import { nextToLabel } from "./online/annotations";
import { nextRunItemToLabel, runJudgeAgreement } from "./runs/run-labels";

const source = {
  rule: z.string().min(1).max(64).optional().describe("An online evaluation rule's id (give rule or run, not both)"),
  run: z.string().min(1).max(64).optional().describe("An evaluation run's id (give rule or run, not both)"),
};
const oneSource = (q: { rule?: string; run?: string }) => (q.rule === undefined) !== (q.run === undefined);
const oneSourceError = () => ({
  path: ["rule"],
  error: "give either rule (an online rule's id) or run (an evaluation run's id)",
});

export const labelSourceQuery = z.object(source).refine(oneSource, oneSourceError());
export type LabelSource = z.output<typeof labelSourceQuery>;

const rubrics = z.array(z.object({ scorer: z.string(), rubric: z.string() }));
const labelled = z.object({ you: z.number().int(), everyone: z.number().int() });

/**
 * The answer of GET /api/v1/annotations/next: of a rule (NextToLabel, online/annotations.ts; sample null when
 * none is left) or of a run (NextRunItemToLabel, runs/run-labels.ts; item null when none is left).
 */
export const nextToLabelResponse = z.union([
  z.object({
    rule: z.string(),
    prompt: z.string(),
    environment: z.string(),
    rubrics,
    labelled,
    sample: z
      .object({
        id: z.number().int(),
        version: z.number().int(),
        input: z.unknown(),
        output: z.string(),
        at: z.iso.datetime({ offset: true }),
      })
      .nullable(),
  }),
  z.object({
    run: z.string(),
    prompt: z.string(),
    version: z.number().int(),
    rubrics,
    labelled,
    outputs: z.number().int(),
    item: z
      .object({
        id: z.number().int(),
        position: z.number().int(),
        repetition: z.number().int(),
        input: z.unknown(),
        expected: z.unknown(),
        output: z.string(),
      })
      .nullable(),
  }),
]);

/**
 * GET /api/v1/annotations/next: the next output this person has not labelled, of the rule (the newest scored)
 * or of the run (the first in dataset order), with the judges' rubrics and the label counts.
 */
export async function nextOutputToLabel(ctx: DomainContext, q: LabelSource) {
  return q.rule ? nextToLabel(ctx, q.rule) : nextRunItemToLabel(ctx, q.run!);
}

export const agreementQuery = z
  .object({
    ...source,
    scorer: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("The judge whose numbers are also given at the top of the answer (default: the first)"),
  })
  .refine(oneSource, oneSourceError());

/**
 * GET /api/v1/scorers/agreement: each LLM judge of the rule or run against people's labels, in `judges`; the
 * named (else first) judge's numbers also flat at the top.
 */
export async function scorerAgreement(db: Db, projectId: string, q: z.output<typeof agreementQuery>) {
  if (q.rule) return judgeAgreement(db, projectId, q.rule, { scorer: q.scorer });
  const r = await runJudgeAgreement(db, projectId, q.run!, { scorer: q.scorer });
  return { run: r.run, ...agreementSummary(r.judges, q.scorer), judges: r.judges };
}
