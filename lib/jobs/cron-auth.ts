// Who may call a cron route: whoever sends `Authorization: Bearer <CRON_SECRET>` (Vercel Cron sends
// exactly that). Compared in constant time; without a configured secret the routes are off.
import { createHash, timingSafeEqual } from "node:crypto";

export type CronAuth = "ok" | "unauthorized" | "not_configured";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function checkCronAuth(authorization: string | null | undefined, secret: string | undefined): CronAuth {
  if (!secret) return "not_configured";
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  if (!m) return "unauthorized";
  return timingSafeEqual(digest(m[1]!), digest(secret)) ? "ok" : "unauthorized";
}
