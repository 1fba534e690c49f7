// For unit tests of synchronous refusals: the AppError a call throws.
import { AppError } from "../lib/errors";

/** The AppError `fn` throws; another error is thrown on, and a call that returns fails the test. */
export function appErrorThrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to throw an AppError, but it returned");
}
