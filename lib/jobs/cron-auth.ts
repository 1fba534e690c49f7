// Who may call a cron route: whoever sends `Authorization: Bearer <CRON_SECRET>` (Vercel Cron sends
// exactly that). Compared in constant time; without a configured secret the routes are off.
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";

export type CronAuth = "ok" | "unauthorized" | "not_configured";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function checkCronAuth(authorization: string | null | undefined, secret: string | undefined): CronAuth {
  if (!secret) return "not_configured";
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  if (!m) return "unauthorized";
  return timingSafeEqual(digest(m[1]!), digest(secret)) ? "ok" : "unauthorized";
}

/**
 * A cron route's `?at=<ISO time>`: the run's clock, for tests that drive a job as of a time they choose (a
 * rollout step whose minimum minutes have passed). Refused unless `allowed` (LECTERN_TEST_CLOCK, a test
 * setting no production host sets); without `at`, the wall clock.
 */
export function cronClock(at: string | undefined, allowed: boolean): (() => Date) | undefined {
  if (at === undefined) return undefined;
  if (!allowed)
    throw new AppError(
      "invalid_input",
      "at= sets the run's clock, a test setting (LECTERN_TEST_CLOCK) this server does not have.",
      { field: "at" },
    );
  const when = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at) || Number.isNaN(when.getTime()))
    throw new AppError("invalid_input", "at must be an ISO 8601 time, e.g. 2026-11-28T12:00:00Z.", { field: "at" });
  return () => when;
}
