// One declared variable, as a version's content holds it: its name, type, whether it must be sent, its default,
// description and JSON Schema. Every message names the field: they are shown verbatim to editors and callers.
import { z } from "zod";
import { describeValueType, valueMatchesType, variableTypes } from "../content-model";
import { variableSchemaIssue } from "./schema-shape";

const variableNameMessage =
  "variable name must start with a letter or '_' and contain only letters, digits and '_' (at most 64 characters)";

export const variableSchema = z
  .object({
    name: z
      .string({ error: "variable name must be a string" })
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, variableNameMessage),
    type: z
      .enum(variableTypes, { error: `variable type must be one of ${variableTypes.join(", ")}` })
      .default("string"),
    required: z.boolean({ error: "variable required must be true or false" }).default(true),
    default: z.unknown().optional(),
    description: z
      .string({ error: "variable description must be a string" })
      .max(500, "variable description must be at most 500 characters")
      .optional(),
    schema: z // schema-shape.ts, variable-schema.ts
      .record(z.string(), z.unknown(), { error: "variable schema must be a JSON Schema object" })
      .optional()
      .describe(
        "The value's JSON Schema (draft-07 keywords, no $ref): a list's items, an object's fields, allowed values",
      ),
  })
  .superRefine((v, ctx) => {
    // A default of the wrong type would only fail later, at render time, far from where it was written.
    const issue =
      v.default !== undefined && !valueMatchesType(v.type, v.default)
        ? {
            path: ["default"],
            message: `default of variable ${v.name} must be a ${v.type === "json" ? "JSON value" : v.type}, got ${describeValueType(v.default)}`,
          }
        : variableSchemaIssue(v);
    if (issue) ctx.addIssue({ code: "custom", ...issue });
  });
