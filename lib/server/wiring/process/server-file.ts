// Where a running Lectern can be reached, for the commands run beside it (`npm run demo:traffic`,
// `npm run user:reset-password`): the server writes <LECTERN_DATA_DIR>/server.json once it listens and
// removes it when it stops, so a command finds the port the server really uses (PORT=4000 npm run dev)
// instead of assuming 3000. A file left by a server that died is ignored (its process is gone).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ServerAddress {
  url: string;
  pid: number;
  startedAt: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, "server.json");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by another user
  }
};

/** Records this process's address; the file is removed when the process exits. Never fails startup. */
export function writeServerFile(dataDir: string, url: string): void {
  const file = fileIn(dataDir);
  const address: ServerAddress = { url: url.replace(/\/$/, ""), pid: process.pid, startedAt: new Date().toISOString() };
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(address, null, 2) + "\n", { mode: 0o600 });
  } catch {
    return; // a read-only data directory: the commands fall back to PORT / NEXTAUTH_URL
  }
  process.once("exit", () => {
    if (readServerFile(dataDir, { checkAlive: false })?.pid === process.pid) rmSync(file, { force: true });
  });
}

/** The running server's address from its data directory, or undefined (none, unreadable, or its process is gone). */
export function readServerFile(dataDir: string, opts: { checkAlive?: boolean } = {}): ServerAddress | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(fileIn(dataDir), "utf8"));
  } catch {
    return undefined;
  }
  const a = parsed as Partial<ServerAddress> | null;
  if (!a || typeof a.url !== "string" || !/^https?:\/\//.test(a.url) || !Number.isInteger(a.pid)) return undefined;
  if (opts.checkAlive !== false && !alive(a.pid!)) return undefined;
  return { url: a.url, pid: a.pid!, startedAt: String(a.startedAt ?? "") };
}

/**
 * The address a command should talk to, and where it came from (printed, so nobody wonders): what this shell
 * says first (--url, else NEXTAUTH_URL, else PORT), then the server running from this folder (its file),
 * else http://localhost:3000. A setting comes first because another Lectern may run from the same folder:
 * `PORT=4000 npm run demo:traffic` talks to the one on 4000, whichever wrote the file last.
 */
export function serverUrl(opts: {
  explicit?: string;
  dataDir: string;
  env: { NEXTAUTH_URL?: string; PORT?: string | number };
}): { url: string; source: string } {
  if (opts.explicit) return { url: opts.explicit.replace(/\/$/, ""), source: "--url" };
  if (opts.env.NEXTAUTH_URL) return { url: opts.env.NEXTAUTH_URL.replace(/\/$/, ""), source: "NEXTAUTH_URL" };
  if (opts.env.PORT) return { url: `http://localhost:${opts.env.PORT}`, source: "PORT" };
  const running = readServerFile(opts.dataDir);
  if (running) return { url: running.url, source: `the running server (${fileIn(opts.dataDir)})` };
  return { url: "http://localhost:3000", source: "the default port" };
}
