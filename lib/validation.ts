// Input validation for domain functions: a zod failure becomes AppError("invalid_input") whose
// message names the field, so every caller (API, server action, script) gets the same clear error.
import { z, type ZodError } from "zod";
import { AppError } from "./errors";

export function zodToAppError(e: ZodError, where?: string): AppError {
  const issues = e.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  const field = [where, first?.path].filter(Boolean).join(".") || undefined;
  const head = first?.path.split(".")[0];
  // Messages written as "name must be …" already name the field; others get it prefixed.
  const named =
    !first || !field || (head && first.message.startsWith(head)) || (!head && where && first.message.startsWith(where));
  const message = first ? (named ? first.message : `${field}: ${first.message}`) : "Invalid input.";
  return new AppError("invalid_input", message, { field, issues });
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodToAppError(r.error, where);
  return r.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a reference is a UUID (an id) rather than a name: the one test, so every lookup agrees. */
export const isUuid = (s: string): boolean => uuidPattern.test(s);

/** A required name: trimmed, 1 to 100 characters (projects, API keys, model connections). */
export const nameInput = z
  .string({ error: "name is required" })
  .trim()
  .min(1, { error: "name is required" })
  .max(100, { error: "name must be at most 100 characters" });

/** A number from `min` to `max` (inclusive), each refusal naming `field` and the range. */
export const numberBetween = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .min(min, `${field} must be between ${min} and ${max}`)
    .max(max, `${field} must be between ${min} and ${max}`);
