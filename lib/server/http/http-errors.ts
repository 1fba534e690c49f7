import "server-only";
import { ZodError } from "zod";
import { AppError, isAppError, pgConstraint, pgErrorCode } from "@/lib/errors";
import { zodToAppError } from "@/lib/validation";
import { isUnavailable } from "@/lib/runtime/cache";
import { log } from "../wiring/log";

// SQLSTATEs that mean "the input was bad", whatever path it took to the database. Every input should
// be refused before it gets there; these keep a miss from becoming a 500.
const invalidInputStates = new Set([
  "22P02", // invalid text representation
  "22P05", // untranslatable character (NUL in text or jsonb)
  "22021", // character not in repertoire
  "22003", // numeric value out of range
  "22007", // invalid datetime format
  "22008", // datetime field overflow
  "23514", // check violation
  "54001", // stack depth limit exceeded (deeply nested jsonb)
]);

/**
 * What a failed query may put in the log: the statement's shape (placeholders, never the values)
 * and the database's error code and message with quoted values elided. Drizzle's own message
 * carries the parameters, which can hold password hashes and prompt contents.
 */
export function describeFailure(e: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const query = (e as { query?: unknown }).query;
  if (typeof query === "string") out.query = query.replace(/\s+/g, " ").slice(0, 300);
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const code = pgErrorCode(e);
  if (code) out.sqlstate = code;
  const constraint = pgConstraint(e);
  if (constraint) out.constraint = constraint;
  const message = cause instanceof Error ? cause.message : String(cause);
  out.error = `${cause instanceof Error ? cause.name : "Error"}: ${(typeof query === "string" || code ? message.replace(/"[^"]*"/g, '"…"') : message).split("\n")[0]!.slice(0, 300)}`;
  if (!code && typeof query !== "string" && e instanceof Error)
    out.stack = e.stack?.split("\n").slice(1, 6).join(" | ");
  return out;
}

/** Turns anything thrown into an AppError that is safe to show: never a stack trace or SQL text. */
export function toAppError(e: unknown, context: string): AppError {
  if (isAppError(e)) return e;
  if (e instanceof ZodError) return zodToAppError(e);
  if (isUnavailable(e))
    return new AppError("unavailable", "The database is unreachable; try again shortly. Nothing was changed.");
  const code = pgErrorCode(e);
  if (code === "23505") return new AppError("conflict", "That conflicts with something that already exists.");
  if (code === "23001") return new AppError("conflict", "That record is immutable and cannot be changed.");
  if (code && invalidInputStates.has(code)) {
    log.warn(`${context}: input refused by the database`, describeFailure(e));
    return new AppError("invalid_input", "A value is not valid.");
  }
  const id = Math.random().toString(36).slice(2, 10);
  log.error(`${context} failed (ref ${id})`, describeFailure(e));
  return new AppError("internal", `Internal error (ref ${id}). Nothing was changed.`, { ref: id });
}

export { zodToAppError };

/** The 405 for `method` on a path that takes `allowed`, and its Allow header (Lectern's own server sends it too). */
export function methodNotAllowed(method: string, allowed: readonly string[]): { error: AppError; allow: string } {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  return {
    error: new AppError("method_not_allowed", `${method} is not supported here; use ${allowed.join(" or ")}.`, {
      allow: [...allowed],
    }),
    allow,
  };
}
