// Every scorer type in plain words for the scorer form: its name, a one-line explanation and its options
// (as spec.ts defines them). Free of spec.ts's runtime imports, so the browser can load it.
import type { ScorerType } from "./spec";

export type OptionField = {
  key: string;
  label: string;
  kind: "text" | "textarea" | "number" | "integer" | "boolean" | "choice" | "lines" | "json" | "connection";
  hint?: string;
  /** What applies when the option is left out (booleans and choices show it, numbers as a placeholder). */
  fallback?: unknown;
  choices?: ReadonlyArray<readonly [value: string, label: string]>;
};

export type TypeInfo = { label: string; description: string; options: OptionField[] };

/** The hint of options that fall back to a dataset item's expected answer (online answers have none). */
export const fromExpected = "Leave empty to compare with each item's expected answer.";
const compareWith: OptionField = { key: "value", label: "Compare with", kind: "text", hint: fromExpected };
const normalization: OptionField[] = [
  { key: "trim", label: "Ignore spaces at the start and end", kind: "boolean", fallback: true },
  { key: "ignoreCase", label: "Ignore upper and lower case", kind: "boolean", fallback: false },
  { key: "collapseWhitespace", label: "Treat runs of spaces and line breaks as one", kind: "boolean", fallback: false },
];
const extract: OptionField = {
  key: "extract",
  label: "Also accept JSON inside a code block or surrounded by text",
  kind: "boolean",
  fallback: false,
};
const model: OptionField = { key: "model", label: "Model", kind: "text" };
const connection: OptionField = {
  key: "connection",
  label: "Connection",
  kind: "connection",
  hint: "Where the model is called; empty: the project's default.",
};
const words = (mode: "all" | "any"): OptionField[] => [
  { key: "value", label: "Words or phrases, one per line", kind: "lines", hint: fromExpected },
  {
    key: "mode",
    label: "Which of them",
    kind: "choice",
    fallback: mode,
    choices: [
      ["all", "All of them"],
      ["any", "Any of them"],
    ],
  },
  { key: "ignoreCase", label: "Ignore upper and lower case", kind: "boolean", fallback: false },
];

export const typeInfo: Record<ScorerType, TypeInfo> = {
  exact_match: {
    label: "Same as the expected answer",
    description: "Passes when the answer equals the item's expected answer (or the text you give).",
    options: [compareWith, ...normalization],
  },
  contains: {
    label: "Contains words",
    description: "Passes when the answer contains the words you list (or the expected answer).",
    options: words("all"),
  },
  not_contains: {
    label: "Does not contain words",
    description: "Fails when the answer contains any of the words you list.",
    options: words("any"),
  },
  regex: {
    label: "Matches a pattern",
    description: "Passes when the answer matches a regular expression.",
    options: [
      { key: "pattern", label: "Pattern (regular expression)", kind: "text" },
      { key: "flags", label: "Flags", kind: "text", hint: "i: ignore case, m: multi-line, s: dot matches newlines." },
      { key: "negate", label: "Pass when the pattern does not match", kind: "boolean", fallback: false },
    ],
  },
  json_valid: {
    label: "Valid JSON",
    description: "Passes when the answer is valid JSON.",
    options: [extract],
  },
  json_schema: {
    label: "JSON of a given shape",
    description: "Passes when the answer is JSON that fits a JSON Schema.",
    options: [{ key: "schema", label: "JSON Schema", kind: "json" }, extract],
  },
  required_fields: {
    label: "JSON with required fields",
    description: "Scores the share of the fields you list that the JSON answer has.",
    options: [
      { key: "fields", label: "Fields, one per line", kind: "lines", hint: "Dotted paths such as customer.email." },
      extract,
    ],
  },
  length: {
    label: "Length limits",
    description: "Passes when the answer is between a minimum and a maximum length.",
    options: [
      { key: "min", label: "At least", kind: "integer" },
      { key: "max", label: "At most", kind: "integer" },
      {
        key: "unit",
        label: "Counted in",
        kind: "choice",
        fallback: "chars",
        choices: [
          ["chars", "Characters"],
          ["words", "Words"],
        ],
      },
    ],
  },
  safety: {
    label: "Safe answer",
    description: "Fails on refusals (“I can't help with that”) and on words you block.",
    options: [
      { key: "blockList", label: "Blocked words, one per line", kind: "lines" },
      { key: "refusals", label: "Fail refusals", kind: "boolean", fallback: true },
      { key: "ignoreCase", label: "Ignore upper and lower case", kind: "boolean", fallback: true },
    ],
  },
  levenshtein: {
    label: "Close to the expected answer",
    description: "Scores how close the answer's text is to the expected answer, letter by letter.",
    options: [compareWith, ...normalization],
  },
  embedding_similarity: {
    label: "Same meaning as the expected answer",
    description: "Scores how close the meaning is, measured with an embedding model.",
    options: [model, connection, compareWith],
  },
  llm_judge: {
    label: "Judged by a model",
    description: "A model grades each answer against your rubric.",
    options: [
      {
        key: "rubric",
        label: "Rubric",
        kind: "textarea",
        hint: "What a good answer does, in plain words; the model grades each answer against it.",
      },
      model,
      connection,
      {
        key: "scale",
        label: "Grades",
        kind: "choice",
        fallback: "1-5",
        choices: [
          ["1-5", "1 to 5"],
          ["0-1", "0 to 1"],
        ],
      },
      {
        key: "mode",
        label: "Judging",
        kind: "choice",
        fallback: "single",
        choices: [
          ["single", "Each answer on its own"],
          ["pairwise", "Against the baseline's answer"],
        ],
      },
      { key: "includeInput", label: "Show the judge the item's input", kind: "boolean", fallback: true },
      { key: "includeExpected", label: "Show the judge the expected answer", kind: "boolean", fallback: true },
      {
        key: "temperature",
        label: "Temperature",
        kind: "number",
        fallback: 0,
        hint: "0 to 2; 0 judges the same way every time. A pairwise judge must stay at 0.",
      },
      { key: "maxTokens", label: "Longest judgement (tokens)", kind: "integer", fallback: 1024 },
    ],
  },
  consistency: {
    label: "Consistent across repeats",
    description: "Scores how much the answers agree when the same item is run several times.",
    options: [
      { key: "k", label: "Answers compared", kind: "integer", fallback: 3, hint: "2 to 20." },
      {
        key: "method",
        label: "Compared by",
        kind: "choice",
        fallback: "levenshtein",
        choices: [
          ["levenshtein", "Letters"],
          ["exact", "Exact text"],
          ["embedding", "Meaning (embedding model)"],
        ],
      },
      { ...model, hint: "Needed when comparing by meaning." },
      connection,
      ...normalization,
    ],
  },
};

export const scorerTypeList = Object.keys(typeInfo) as ScorerType[];

export const isScorerType = (t: unknown): t is ScorerType => typeof t === "string" && t in typeInfo;

/** The pass mark a scorer of each type has when none is set (spec.ts defaultThresholds, checked by a test). */
export const defaultPassMarks: Record<ScorerType, number> = {
  exact_match: 1,
  contains: 1,
  not_contains: 1,
  regex: 1,
  json_valid: 1,
  json_schema: 1,
  required_fields: 1,
  length: 1,
  safety: 1,
  levenshtein: 0.8,
  embedding_similarity: 0.75,
  llm_judge: 0.5,
  consistency: 0.8,
};
