// A scorer spec is `{type, name?, weight?, threshold?, ...options}`, options flat beside the type (as
// in promptfoo's assertions). Every message starts with the field it is about, so a list parser can
// prefix the position: "scorers[2].schema is not a valid JSON Schema: …". Unknown options are
// errors, because a typo such as "treshold" would otherwise be ignored silently.
//
// The types and default thresholds are in spec-kinds.ts, each type's options in spec-schema.ts.
import { z } from "zod";
import { AppError } from "../errors";
import { defaultThresholds } from "./spec-kinds";
import { scorerSpecSchema, type NamedScorerSpec } from "./spec-schema";

export { defaultThresholds, deterministicTypes, scorerTypes, type ScorerType } from "./spec-kinds";
export {
  scorerSpecSchema,
  type NamedScorerSpec,
  type ScorerSpec,
  type ScorerSpecInput,
  type SpecOf,
} from "./spec-schema";

/** The scorers of a run (and of a gate) that names none: a non-empty output. */
export const defaultScorers = [{ type: "length", min: 1, name: "non_empty" }] as const;

export const scorerListSchema = z
  .array(scorerSpecSchema, { error: "scorers must be a list" })
  .max(50, "scorers must have at most 50 entries");

/**
 * Parses a list of scorer specs, naming each unnamed scorer after its type ("contains", then
 * "contains_2", …) and filling in the default thresholds. Throws AppError invalid_input whose message
 * lists every problem with its position, e.g. "scorers[2].schema is not a valid JSON Schema: …".
 */
export function parseScorerSpecs(input: unknown, field = "scorers"): NamedScorerSpec[] {
  const result = scorerListSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => {
      const [index] = i.path;
      const prefix = typeof index === "number" ? `${field}[${index}].` : `${field}: `;
      // Messages already start with their field; a nested path (blockList[3]) adds nothing readers need.
      return {
        path: [field, ...i.path.map(String)].join("."),
        message: i.message.startsWith(field) ? i.message : `${prefix}${i.message}`,
      };
    });
    throw new AppError("invalid_input", issues.map((i) => i.message).join("; "), {
      field: issues[0]?.path ?? field,
      issues,
    });
  }
  const taken = new Set(result.data.flatMap((s) => (s.name ? [s.name] : [])));
  const explicit = new Set<string>();
  return result.data.map((spec, i) => {
    let name = spec.name;
    if (name !== undefined) {
      if (explicit.has(name))
        throw new AppError("invalid_input", `${field}[${i}].name repeats "${name}"; scorer names must be unique`, {
          field: `${field}.${i}.name`,
        });
      explicit.add(name);
    } else {
      name = spec.type;
      for (let n = 2; taken.has(name); n++) name = `${spec.type}_${n}`;
      taken.add(name);
    }
    return { ...spec, name, threshold: spec.threshold ?? defaultThresholds[spec.type] };
  });
}
