// The LLM judge with choices: GitHub Models' LLM evaluator (gh-models `eval`), so a .prompt.yml file's
// evaluators score in Lectern as they score there. The rubric is the judge's whole prompt: each `{{key}}` is
// replaced by the item's value of that key (its variables, `expected`) and `{{completion}}` by the output —
// gh-models' replacement, nothing else is a tag. The judge answers in free text; the first choice (in the
// listed order) whose text appears in the answer, case-insensitively, gives the score. An answer naming no
// choice scores 0, as it does in gh-models, with the answer quoted in the reason.
import type { ModelMessage } from "../llm/types";
import type { SpecOf } from "./spec";
import { errorResult, quote, type ScoreResult, type ScorerModels, type ScoringContext } from "./types";

type JudgeSpec = SpecOf<"llm_judge">;

const shown = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

/** The values a choices judge's prompt reads: the item's input variables, `expected`, then `completion`. */
export function choiceValues(ctx: ScoringContext): Record<string, unknown> {
  const input = typeof ctx.input === "object" && ctx.input !== null && !Array.isArray(ctx.input) ? ctx.input : {};
  return {
    ...input,
    ...(ctx.expected !== undefined ? { expected: ctx.expected } : {}),
    completion: ctx.output,
  };
}

/** gh-models' TemplateString: each `{{key}}` of the values replaced by the value (non-text as JSON). */
export function replaceKeys(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (tag, key: string) =>
    Object.hasOwn(values, key) ? shown(values[key]) : tag,
  );
}

export function choiceJudgeMessages(spec: JudgeSpec, ctx: ScoringContext): ModelMessage[] {
  const user = replaceKeys(spec.rubric, choiceValues(ctx));
  return [
    ...(spec.systemPrompt ? [{ role: "system" as const, content: spec.systemPrompt }] : []),
    { role: "user", content: user },
  ];
}

export async function scoreChoiceJudge(
  spec: JudgeSpec & { choices: NonNullable<JudgeSpec["choices"]> },
  ctx: ScoringContext,
  models: ScorerModels,
): Promise<ScoreResult> {
  const r = await models.generate(spec.connection, {
    model: spec.model,
    messages: choiceJudgeMessages(spec, ctx),
    temperature: spec.temperature,
    maxTokens: spec.maxTokens,
    abortSignal: ctx.abortSignal,
  });
  const usage = {
    inputTokens: r.usage.inputTokens,
    outputTokens: r.usage.outputTokens,
    costUsd: r.costUsd,
  };
  if (r.error) return { ...errorResult(`the judge call failed (${r.error.kind}): ${r.error.message}`), usage };
  const answer = r.text.trim().toLowerCase();
  const hit = spec.choices.find((c) => answer.includes(c.choice.toLowerCase()));
  if (!hit) return { score: 0, reason: `${spec.model} answered ${quote(r.text, 200)}, which names no choice`, usage };
  return { score: hit.score, reason: `${spec.model} chose ${quote(hit.choice)}: ${quote(r.text, 200)}`, usage };
}
