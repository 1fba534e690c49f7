import "server-only";
import { ZodError } from "zod";
import { AppError, isAppError, pgErrorCode } from "@/lib/errors";
import { zodToAppError } from "@/lib/validation";
import { isUnavailable } from "@/lib/runtime/cache";
import { log } from "./log";

/** Turns anything thrown into an AppError that is safe to show: never a stack trace or SQL text. */
export function toAppError(e: unknown, context: string): AppError {
  if (isAppError(e)) return e;
  if (e instanceof ZodError) return zodToAppError(e);
  if (isUnavailable(e)) return new AppError("unavailable", "The database is unreachable; try again shortly. Nothing was changed.");
  const code = pgErrorCode(e);
  if (code === "23505") return new AppError("conflict", "That conflicts with something that already exists.");
  if (code === "23001") return new AppError("conflict", "That record is immutable and cannot be changed.");
  if (code === "23514" || code === "22P02") return new AppError("invalid_input", "A value is not valid.");
  const id = Math.random().toString(36).slice(2, 10);
  log.error(`${context} failed (ref ${id})`, { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), stack: e instanceof Error ? e.stack?.split("\n").slice(1, 6).join(" | ") : undefined });
  return new AppError("internal", `Internal error (ref ${id}). Nothing was changed.`, { ref: id });
}

export { zodToAppError };
