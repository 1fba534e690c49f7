// A .prompt.yml file's evaluators (github/gh-models pkg/prompt: {name, string | llm | uses}) as Lectern scorers,
// and back. gh-models' string checks: `equals` compares exactly; `contains`, `startsWith`, `endsWith` ignore case;
// each text is a template of the test's values. Its LLM evaluator sends its prompt ({{completion}} the answer) and
// scores by the first choice named in the answer: Lectern's llm_judge with choices (lib/scorers/judge-choices.ts).
// `uses: github/<name>` (GitHub's built-in judges) becomes an llm_judge with a rubric of Lectern's own words on the
// same quality; the file's entry is kept, so the export writes `uses:` back. What no scorer reads the same way
// (a string check whose text reads a test value other than expected) is kept for the export and named in a warning.
import { AppError } from "../../errors";
import { isPlainObject } from "../../registry/json";
import type { ScorerSpecInput } from "../../scorers/spec";
import type { FileEvaluator, RunScorers } from "../contracts";

type Spec = Exclude<ScorerSpecInput, null>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const unescape = (s: string): string | undefined => {
  const plain = s.replace(/\\(.)/g, "$1");
  return escape(plain) === s ? plain : undefined;
};

/** GitHub's built-in judges, as a rubric in Lectern's words on the same quality (a 1–5 grade, as theirs). */
export const builtinRubrics: Record<string, string> = {
  similarity: "The answer says the same as the reference answer: the same facts and meaning, whatever the wording.",
  coherence: "The answer is coherent: its sentences follow one another logically and read as one whole.",
  fluency: "The answer is fluent: grammatical, well-worded and easy to read.",
  relevance: "The answer is relevant: it addresses the question or request in the input, and nothing else.",
  groundedness: "The answer is grounded: every claim it makes is supported by the input it was given.",
};
const builtinModel = "openai/gpt-4o";

/** A name Lectern's scorers accept (1–64 letters, digits, spaces or _ . : / -), unique in `taken`. */
function scorerName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[^\w .:/-]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 60) || "evaluator";
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base}_${i}`;
  taken.add(out);
  return out;
}

const only = (s: string) => /^\{\{expected\}\}$/.test(s);
const readsValues = (s: string) => /\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/.test(s);

function stringSpec(check: Record<string, unknown>, field: string): Spec | string {
  const kinds = ["equals", "contains", "startsWith", "endsWith"].filter((k) => check[k] !== undefined);
  if (kinds.length !== 1)
    throw new AppError("unprocessable", `${field}.string must hold one of equals, contains, startsWith, endsWith`, {
      field,
    });
  const kind = kinds[0]!;
  const text = check[kind];
  if (typeof text !== "string" || text === "")
    throw new AppError("unprocessable", `${field}.string.${kind} must be a non-empty text`, { field });
  if (only(text) && (kind === "equals" || kind === "contains"))
    return kind === "equals" ? { type: "exact_match", trim: false } : { type: "contains", ignoreCase: true };
  if (readsValues(text)) return `its text ${JSON.stringify(text)} reads the test's values`;
  if (kind === "equals") return { type: "exact_match", value: text, trim: false };
  if (kind === "contains") return { type: "contains", value: text, ignoreCase: true };
  const pattern = kind === "startsWith" ? `^${escape(text)}` : `${escape(text)}$`;
  return { type: "regex", pattern, flags: "i" };
}

function llmSpec(llm: Record<string, unknown>, field: string): Spec {
  const bad = (what: string) => new AppError("unprocessable", `${field}.llm.${what}`, { field });
  if (typeof llm.modelId !== "string" || !llm.modelId) throw bad("modelId must name a model");
  if (typeof llm.prompt !== "string" || !llm.prompt) throw bad("prompt must be a non-empty text");
  if (!Array.isArray(llm.choices) || !llm.choices.length) throw bad("choices must list {choice, score}");
  const choices = llm.choices.map((c: unknown, i) => {
    if (!isPlainObject(c) || typeof c.choice !== "string" || typeof c.score !== "number")
      throw bad(`choices[${i}] must be {choice: text, score: number}`);
    if (c.score < 0 || c.score > 1) throw bad(`choices[${i}].score must be between 0 and 1 (Lectern's scores are)`);
    return { choice: c.choice, score: c.score };
  });
  if (llm.systemPrompt !== undefined && typeof llm.systemPrompt !== "string") throw bad("systemPrompt must be text");
  // gh-models passes on a score above 0: the lowest positive choice is the pass mark.
  const positive = choices.map((c) => c.score).filter((s) => s > 0);
  return {
    type: "llm_judge",
    model: llm.modelId,
    rubric: llm.prompt,
    choices,
    ...(llm.systemPrompt ? { systemPrompt: llm.systemPrompt } : {}),
    threshold: positive.length ? Math.min(...positive) : 1,
  };
}

/**
 * A file's evaluators as scorer specs (to be parsed by parseScorerSpecs) and the entries to keep. Malformed
 * evaluators are a 422 naming the field; one Lectern cannot score is kept, with a warning naming it.
 */
export function evaluatorsToScorers(list: unknown): {
  scorers: Spec[];
  kept: FileEvaluator[];
  warnings: string[];
} {
  if (list === undefined || list === null) return { scorers: [], kept: [], warnings: [] };
  if (!Array.isArray(list)) throw new AppError("unprocessable", "evaluators must be a list", { field: "evaluators" });
  const scorers: Spec[] = [];
  const kept: FileEvaluator[] = [];
  const warnings: string[] = [];
  const taken = new Set<string>();
  list.forEach((e: unknown, i) => {
    const field = `evaluators[${i}]`;
    if (!isPlainObject(e) || typeof e.name !== "string" || !e.name)
      throw new AppError("unprocessable", `${field} must be a mapping with a name`, { field });
    const ways = ["string", "llm", "uses"].filter((k) => e[k] !== undefined);
    if (ways.length !== 1)
      throw new AppError("unprocessable", `${field} (${e.name}) must have one of string, llm, uses`, { field });
    let spec: Spec | string;
    if (e.string !== undefined) {
      if (!isPlainObject(e.string)) throw new AppError("unprocessable", `${field}.string must be a mapping`, { field });
      spec = stringSpec(e.string, field);
    } else if (e.llm !== undefined) {
      if (!isPlainObject(e.llm)) throw new AppError("unprocessable", `${field}.llm must be a mapping`, { field });
      spec = llmSpec(e.llm, field);
    } else {
      const uses = typeof e.uses === "string" ? /^github\/(\w+)$/.exec(e.uses)?.[1] : undefined;
      const rubric = uses === undefined ? undefined : builtinRubrics[uses];
      spec = rubric
        ? { type: "llm_judge", model: builtinModel, rubric, scale: "1-5" }
        : `uses ${JSON.stringify(e.uses)} is not one of GitHub's built-in evaluators (github/${Object.keys(builtinRubrics).join(", github/")})`;
    }
    if (typeof spec === "string") {
      warnings.push(
        `evaluator ${JSON.stringify(e.name)} is kept for the export but not scored: ${spec}, and no Lectern scorer reads it the same way`,
      );
      kept.push({ name: e.name, scorer: null, evaluator: e });
      return;
    }
    const name = scorerName(e.name, taken);
    scorers.push({ ...spec, name });
    kept.push({ name: e.name, scorer: name, evaluator: e });
  });
  return { scorers, kept, warnings };
}

/** One scorer as a .prompt.yml evaluator (without its name), or why it has none. */
export function scorerToEvaluator(spec: RunScorers[number]): Record<string, unknown> | string {
  switch (spec.type) {
    case "exact_match":
      if (spec.trim || spec.ignoreCase || spec.collapseWhitespace)
        return "it normalises the text, and .prompt.yml's equals compares exactly";
      if (spec.value !== undefined && typeof spec.value !== "string") return "it compares with a JSON value";
      return { string: { equals: spec.value ?? "{{expected}}" } };
    case "contains": {
      const v = spec.value;
      if (!spec.ignoreCase) return "it respects case, and .prompt.yml's contains ignores it";
      if (Array.isArray(v)) return "it checks several texts";
      return { string: { contains: v ?? "{{expected}}" } };
    }
    case "regex": {
      if (spec.flags !== "i" || spec.negate) return "its pattern is not a fixed beginning or end";
      const start = spec.pattern.startsWith("^") ? unescape(spec.pattern.slice(1)) : undefined;
      if (start) return { string: { startsWith: start } };
      const end = spec.pattern.endsWith("$") ? unescape(spec.pattern.slice(0, -1)) : undefined;
      if (end) return { string: { endsWith: end } };
      return "its pattern is not a fixed beginning or end";
    }
    case "llm_judge":
      if (!spec.choices) return "it grades on a scale; .prompt.yml's llm evaluator scores by choices";
      return {
        llm: {
          modelId: spec.model,
          prompt: spec.rubric,
          choices: spec.choices,
          ...(spec.systemPrompt ? { systemPrompt: spec.systemPrompt } : {}),
        },
      };
    default:
      return `.prompt.yml has no ${spec.type} evaluator`;
  }
}

/**
 * A dataset's scorers as a file's evaluators: each kept entry in its place (a `uses:` or unscored one as the file
 * wrote it, a scored one from its scorer as it is now, under the file's name; gone when its scorer is), then the
 * scorers added since. A scorer .prompt.yml cannot express is a warning naming it.
 */
export function scorersToEvaluators(
  scorers: RunScorers,
  kept: FileEvaluator[],
): { evaluators: Record<string, unknown>[]; warnings: string[] } {
  const byName = new Map(scorers.map((s) => [s.name, s]));
  const used = new Set<string>();
  const evaluators: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  const write = (name: string, spec: RunScorers[number]) => {
    const e = scorerToEvaluator(spec);
    if (typeof e === "string") warnings.push(`scorer ${spec.name} is not written as an evaluator: ${e}`);
    else evaluators.push({ name, ...e });
  };
  for (const k of kept) {
    if (k.scorer === null) {
      evaluators.push(k.evaluator);
      continue;
    }
    const spec = byName.get(k.scorer);
    if (!spec) continue;
    used.add(spec.name);
    if (k.evaluator.uses !== undefined && spec.type === "llm_judge" && !spec.choices) evaluators.push(k.evaluator);
    else write(k.name, spec);
  }
  for (const s of scorers) if (!used.has(s.name)) write(s.name, s);
  return { evaluators, warnings };
}
