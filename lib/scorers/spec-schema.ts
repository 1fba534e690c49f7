// The zod schema of one scorer spec: the options common to every type, then each type's own options,
// strict so that a misspelt option is an error naming it.
import { z } from "zod";
import { compileJsonSchema } from "../llm/json-schema";
import { numberBetween } from "../validation";
import { checkPattern } from "./regex-safety";
import { scorerTypes, type ScorerType } from "./spec-kinds";

const bool = (field: string, fallback: boolean) =>
  z.boolean({ error: `${field} must be true or false` }).default(fallback);
const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);
const int = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be between ${min} and ${max}`)
    .max(max, `${field} must be between ${min} and ${max}`);

const common = {
  name: z
    .string({ error: "name must be a string" })
    .regex(/^[\w .:/-]{1,64}$/, "name must be 1–64 letters, digits, spaces or _ . : / -")
    .optional(),
  weight: numberBetween("weight", 0, 100).default(1),
  threshold: numberBetween("threshold", 0, 1).optional(),
};

const normalization = {
  trim: bool("trim", true),
  ignoreCase: bool("ignoreCase", false),
  collapseWhitespace: bool("collapseWhitespace", false),
};

const value = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: "value must be a JSON value",
  })
  .optional();

const valueList = z
  .union(
    [
      text("value", 10_000),
      z
        .array(text("value", 10_000), { error: "value must be a string or a list of strings" })
        .min(1, "value must not be an empty list")
        .max(100, "value must have at most 100 entries"),
    ],
    {
      error: "value must be a string or a list of strings",
    },
  )
  .optional();

const model = text("model", 200);
const connection = text("connection", 200).optional();

function strict<K extends ScorerType, T extends z.core.$ZodLooseShape>(type: K, shape: T) {
  return z.strictObject(
    { type: z.literal(type), ...common, ...shape },
    {
      error: (iss) =>
        iss.code === "unrecognized_keys"
          ? `${iss.keys.join(", ")} ${iss.keys.length === 1 ? "is not an option" : "are not options"} of ${type}`
          : undefined,
    },
  );
}

const exactMatch = strict("exact_match", { ...normalization, value });

const containment = <K extends "contains" | "not_contains">(type: K) =>
  strict(type, {
    value: valueList,
    mode: z.enum(["any", "all"], { error: 'mode must be "any" or "all"' }).optional(),
    ignoreCase: bool("ignoreCase", false),
  });

const regex = strict("regex", {
  pattern: z.string({ error: "pattern must be a string" }).min(1, "pattern must not be empty"),
  flags: z.string({ error: "flags must be a string" }).default(""),
  negate: bool("negate", false),
}).superRefine((s, ctx) => {
  const checked = checkPattern(s.pattern, s.flags);
  if (!checked.ok) ctx.addIssue({ code: "custom", path: [checked.field], message: checked.message });
});

const extract = bool("extract", false);
const jsonValid = strict("json_valid", { extract });

const jsonSchema = strict("json_schema", {
  schema: z.record(z.string(), z.unknown(), { error: "schema must be a JSON Schema object" }),
  extract,
}).superRefine((s, ctx) => {
  const compiled = compileJsonSchema(s.schema);
  if (!compiled.ok)
    ctx.addIssue({ code: "custom", path: ["schema"], message: `schema is not a valid JSON Schema: ${compiled.error}` });
});

const requiredFields = strict("required_fields", {
  fields: z
    .array(
      z
        .string({ error: "fields must be a list of dotted paths" })
        .regex(/^[^.\s]+(\.[^.\s]+)*$/, "fields must be dotted paths like customer.email or items.0.id"),
      { error: "fields must be a list of dotted paths" },
    )
    .min(1, "fields must name at least one path")
    .max(200, "fields must have at most 200 paths"),
  extract,
});

const length = strict("length", {
  min: int("min", 0, 1_000_000).optional(),
  max: int("max", 0, 1_000_000).optional(),
  unit: z.enum(["chars", "words"], { error: 'unit must be "chars" or "words"' }).default("chars"),
}).superRefine((s, ctx) => {
  if (s.min === undefined && s.max === undefined)
    ctx.addIssue({ code: "custom", path: ["min"], message: "min or max must be set" });
  if (s.min !== undefined && s.max !== undefined && s.min > s.max)
    ctx.addIssue({ code: "custom", path: ["max"], message: `max must be at least min (${s.min})` });
});

const safety = strict("safety", {
  blockList: z
    .array(text("blockList entry", 200), { error: "blockList must be a list of strings" })
    .max(1000, "blockList must have at most 1000 entries")
    .default([]),
  refusals: bool("refusals", true),
  ignoreCase: bool("ignoreCase", true),
}).superRefine((s, ctx) => {
  if (s.blockList.length === 0 && !s.refusals)
    ctx.addIssue({
      code: "custom",
      path: ["blockList"],
      message: "blockList must not be empty when refusals is false (nothing would be checked)",
    });
});

const levenshtein = strict("levenshtein", { ...normalization, value });

const embeddingSimilarity = strict("embedding_similarity", { model, connection, value });

const llmJudge = strict("llm_judge", {
  rubric: text("rubric", 20_000),
  model,
  connection,
  scale: z.enum(["1-5", "0-1"], { error: 'scale must be "1-5" or "0-1"' }).default("1-5"),
  mode: z.enum(["single", "pairwise"], { error: 'mode must be "single" or "pairwise"' }).default("single"),
  includeInput: bool("includeInput", true),
  includeExpected: bool("includeExpected", true),
  temperature: z
    .number({ error: "temperature must be a number" })
    .min(0, "temperature must be between 0 and 2")
    .max(2, "temperature must be between 0 and 2")
    .default(0),
  maxTokens: int("maxTokens", 16, 16_000).default(1024),
  // GitHub Models' LLM evaluator (judge-choices.ts): the rubric is the whole prompt, its {{key}} replaced by the
  // item's values and {{completion}} by the output; the answer's first choice found in it gives the score.
  choices: z
    .array(
      z.strictObject(
        {
          choice: text("choices[].choice", 200),
          score: z
            .number({ error: "choices[].score must be a number" })
            .min(0, "choices[].score must be between 0 and 1")
            .max(1, "choices[].score must be between 0 and 1"),
        },
        { error: "each choice must be {choice, score}" },
      ),
      { error: "choices must be a list of {choice, score}" },
    )
    .min(1, "choices must list at least one choice")
    .max(50, "choices must have at most 50 entries")
    .optional(),
  systemPrompt: text("systemPrompt", 20_000).optional(),
}).superRefine((s, ctx) => {
  if (s.choices === undefined && s.systemPrompt !== undefined)
    ctx.addIssue({ code: "custom", path: ["systemPrompt"], message: "systemPrompt is only read with choices" });
  if (s.choices !== undefined && s.mode === "pairwise")
    ctx.addIssue({ code: "custom", path: ["choices"], message: 'choices grade one answer: mode must be "single"' });
  // Both orders must be the judge's settled view: at a higher temperature a verdict could flip on its own
  // and be counted as position bias (a tie). FastChat asks at temperature 0 for the same reason.
  if (s.mode === "pairwise" && s.temperature !== 0)
    ctx.addIssue({
      code: "custom",
      path: ["temperature"],
      message: `temperature must be 0 when mode is "pairwise" (it is ${s.temperature}): the judge is asked in both orders and a verdict that changes with the order counts as a tie`,
    });
});

const consistency = strict("consistency", {
  k: int("k", 2, 20).default(3),
  method: z
    .enum(["exact", "levenshtein", "embedding"], { error: 'method must be "exact", "levenshtein" or "embedding"' })
    .default("levenshtein"),
  model: model.optional(),
  connection,
  ...normalization,
}).superRefine((s, ctx) => {
  if (s.method === "embedding" && !s.model)
    ctx.addIssue({ code: "custom", path: ["model"], message: 'model must be set when method is "embedding"' });
});

export const scorerSpecSchema = z.discriminatedUnion(
  "type",
  [
    exactMatch,
    containment("contains"),
    containment("not_contains"),
    regex,
    jsonValid,
    jsonSchema,
    requiredFields,
    length,
    safety,
    levenshtein,
    embeddingSimilarity,
    llmJudge,
    consistency,
  ],
  {
    error: (iss) =>
      typeof iss.input === "object" && iss.input !== null && !Array.isArray(iss.input)
        ? `type must be one of ${scorerTypes.join(", ")}`
        : "scorer must be an object with a type",
  },
);

export type ScorerSpec = z.output<typeof scorerSpecSchema>;
export type ScorerSpecInput = z.input<typeof scorerSpecSchema>;
export type SpecOf<T extends ScorerType> = Extract<ScorerSpec, { type: T }>;
/** A spec with its unique name and effective threshold resolved. */
export type NamedScorerSpec = ScorerSpec & { name: string; threshold: number };
