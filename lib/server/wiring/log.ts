import "server-only";
import { env } from "./env";

// One-line structured logs on stderr/stdout. Levels from LECTERN_LOG_LEVEL.
const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type Level = keyof typeof order;

function write(level: Level, msg: string, extra?: Record<string, unknown>) {
  if (order[level] < order[env().LECTERN_LOG_LEVEL]) return;
  const line = `[lectern] ${level.toUpperCase()} ${msg}${extra ? " " + JSON.stringify(extra) : ""}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (m: string, e?: Record<string, unknown>) => write("debug", m, e),
  info: (m: string, e?: Record<string, unknown>) => write("info", m, e),
  warn: (m: string, e?: Record<string, unknown>) => write("warn", m, e),
  error: (m: string, e?: Record<string, unknown>) => write("error", m, e),
};
