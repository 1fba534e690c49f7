// Version numbers and counts as they arrive from callers. Versions are PostgreSQL `integer` columns,
// so anything above 2^31−1 is refused here with a message naming the field, instead of overflowing
// in the database (a 500). Query-string variants coerce, body variants do not.
import { z } from "zod";

export const maxVersion = 2_147_483_647;

/** A version number in a JSON body: a whole number from 1 to 2^31−1. */
export const versionNumber = (field = "version") =>
  z
    .number({ error: `${field} must be a version number` })
    .int({ error: `${field} must be a whole number` })
    .min(1, { error: `${field} must be at least 1` })
    .max(maxVersion, { error: `${field} must be at most ${maxVersion}` });

/** A version number in a path or query string ("3"). */
export const versionParam = (field = "version") =>
  z.coerce.number({ error: `${field} must be a number` }).pipe(versionNumber(field));

/** A non-negative count or offset in a query string, bounded so it fits a PostgreSQL bigint. */
export const countParam = (field: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must be at least ${min}` })
    .max(max, { error: `${field} must be at most ${max}` });
