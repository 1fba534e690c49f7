import "server-only";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "./env";
import { log } from "./log";
import { processSingleton } from "./singleton";

// Secrets kept in the data folder when no setting gives them (the sign-in secret, the key for secrets at rest)
// are read once per process and kept: a file that changes under a running server (the folder recreated by
// another process, or removed by a person cleaning up) must not split the server in two, one half signing
// cookies with the old secret and the other checking them with the new one (every page then sent the user
// back to a login page that showed nothing). What changed is said in the log, once, and on the login page
// (dataDirProblems), so a person can restore the folder or restart knowingly.

type Kept = { file: string; value: string; what: string };

const state = () =>
  processSingleton("dataDirFiles", () => ({
    kept: [] as Kept[],
    logged: new Set<string>(),
    timer: undefined as ReturnType<typeof setInterval> | undefined,
  }));

/** How often a running server looks at the kept files, so the log says what changed even if nobody signs in. */
const checkEveryMs = 60_000;

/**
 * A secret kept in `<LECTERN_DATA_DIR>/<name>`: read, or made by `generate` and written when there is none
 * (`wx`: when two starts race, both read the one that won). Call it once per process (processSingleton) and
 * keep what it returns; `what` names the secret in messages.
 */
export function dataDirSecret(name: string, what: string, generate: () => string): string {
  const file = path.resolve(env().LECTERN_DATA_DIR, name);
  let value: string;
  try {
    value = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, generate(), { mode: 0o600, flag: "wx" });
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== "EEXIST") throw w;
    }
    value = readFileSync(file, "utf8");
  }
  const s = state();
  s.kept = [...s.kept.filter((k) => k.file !== file), { file, value, what }];
  s.timer ??= setInterval(() => void logDataDirProblems(), checkEveryMs).unref();
  return value;
}

const readOrUndefined = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

/** What changed in the data folder since this process read its secrets there, in sentences; [] when nothing did. */
export function dataDirProblems(): string[] {
  const { kept } = state();
  if (!kept.length) return [];
  const config = env();
  const dir = path.resolve(config.LECTERN_DATA_DIR);
  if (!existsSync(dir)) {
    const embedded = config.DATABASE_URL ? "" : " The embedded database was kept there too: restore it from a backup.";
    return [
      `The data folder ${dir} disappeared while Lectern was running. Sign-in keeps working with the secrets read at start (${kept.map((k) => k.what).join(", ")}) until Lectern restarts; restore the folder before restarting, or a restart makes new ones and everyone signs in again.${embedded}`,
    ];
  }
  return kept.flatMap((k) => {
    const now = readOrUndefined(k.file);
    if (now === k.value) return [];
    const how = now === undefined ? "was removed" : "changed";
    return [
      `${k.file} (${k.what}) ${how} while Lectern was running (another process or a person recreated it). This server keeps the one it read at start; restart it to use the file's (everyone signs in again), or put the old one back. Processes that share a folder or sign-ins must share NEXTAUTH_SECRET and LECTERN_ENCRYPTION_KEY.`,
    ];
  });
}

/** dataDirProblems, each new one also written to the log (once per process). */
export function logDataDirProblems(): string[] {
  const problems = dataDirProblems();
  const { logged } = state();
  for (const p of problems)
    if (!logged.has(p)) {
      logged.add(p);
      log.error(p);
    }
  return problems;
}
