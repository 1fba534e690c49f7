// Offline evaluation answers bad input with 422 naming the field (like online evaluation's rules):
// the request was well-formed JSON, but its content cannot be used.
import { AppError, isAppError } from "../errors";

/** Calls `fn(...args)`; an invalid_input AppError becomes unprocessable with the same message and details. */
export function unprocessable<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
  try {
    return fn(...args);
  } catch (e) {
    if (isAppError(e) && e.code === "invalid_input") throw new AppError("unprocessable", e.message, e.details);
    throw e;
  }
}
