// What a synchronous call throws, for unit tests that check a refusal's code, message or details.
import { AppError } from "../lib/errors";

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error of class `kind` (an AppError unless told) `fn` throws; anything else is rethrown; no throw fails the test. */
export function thrown<E = AppError>(fn: () => unknown, kind: ErrorClass<E> = AppError as unknown as ErrorClass<E>): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof kind) return e;
    throw e;
  }
  throw new Error(`expected a ${kind.name}`);
}
