// Helpers for job-queue integration tests: a quiet log, polling for a condition, a second handle on
// the test database (a second "instance"), and a driver that can be cut off like a crashed process.
import { openDatabase, type Database } from "../db/client";
import type { JobLog } from "../lib/jobs/define";
import type { SqlDriver } from "../lib/jobs/sql";
import type { TestDatabase } from "./db";

export { waitFor } from "./waits";

export function testLog(): JobLog & { lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (m: string, e?: Record<string, unknown>) =>
    void lines.push(`${level} ${m}${e ? " " + JSON.stringify(e) : ""}`);
  return { lines, debug: put("debug"), info: put("info"), warn: put("warn"), error: put("error") };
}

/** Another process's view of the same database: a new pool on PostgreSQL, the same PGlite otherwise. */
export async function secondHandle(t: TestDatabase): Promise<Database> {
  if (!t.url) return t;
  return openDatabase({ url: t.url, poolSize: 10 });
}

/**
 * Wraps a driver so a test can "crash" it: after `freeze()` nothing reaches the database any more
 * and every call hangs, like a process that died mid-job. `bury()` then answers every pending and
 * later call with an empty result, so the frozen pg-boss instance can be stopped without touching
 * the database (fetches find no job; updates report zero rows).
 */
export function freezable(inner: SqlDriver) {
  let mode: "live" | "frozen" | "dead" = "live";
  const waiting: (() => void)[] = [];
  const empty = (text: string) => ({
    rows: /SKIP LOCKED/i.test(text) || /FROM \w+\.schedule/i.test(text) ? [] : [{ count: "0" }],
  });
  const gate = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    if (mode === "live") return run();
    if (mode === "frozen") await new Promise<void>((r) => waiting.push(r));
    return empty(text) as T;
  };
  const driver: SqlDriver = {
    kind: inner.kind,
    query: (text, values) => gate(text, () => inner.query(text, values)),
    executeSql: (text, values) => gate(text, () => inner.executeSql(text, values)),
    tryLock: (name) => inner.tryLock(name),
    listen: (c, n, e) => inner.listen(c, n, e),
  };
  return {
    driver,
    freeze: () => void (mode = "frozen"),
    bury: () => {
      mode = "dead";
      for (const w of waiting.splice(0)) w();
    },
  };
}
