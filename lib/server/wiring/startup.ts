import "server-only";
import { ConfigError } from "./parse-env";
import { env } from "./env";
import { lecternServerInFront } from "./front-server";
import { getDatabase } from "./db";
import { startJobQueue } from "../jobs/jobs";
import { getSharedStore } from "./redis";
import { runShutdownHooks } from "./shutdown";
import { writeServerFile } from "./server-file";
import { errorChain, withStartupRetries } from "./startup-retry";

/**
 * startup() without waiting for it: a request that needs the database waits for it (getDb), and a bad setting
 * or database still stops the process with its message, as startup() does.
 */
export function startupMeanwhile(): void {
  startup().catch((e: unknown) => {
    console.error(`\nLectern cannot start: ${errorChain(e)}\n`);
    process.exit(1);
  });
}

/** `jobs: false`: this process runs no job queue (Lectern's server in front of a Next process that runs it). */
export async function startup(opts: { jobs?: boolean } = {}): Promise<void> {
  try {
    env();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`\nLectern cannot start. ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  try {
    // Transient failures (the database starting, too many clients under load) are retried.
    await withStartupRetries("opening the database", () => getDatabase());
    await getSharedStore();
  } catch (e) {
    console.error(`\nLectern cannot start: the database failed to open or migrate: ${errorChain(e)}\n`);
    process.exit(1);
  }
  if (opts.jobs !== false) await startJobQueue();
  // Lectern's own server (server/main.ts) runs the shutdown hooks itself; under plain `next start`
  // they start with the signal, while Next drains connections (best effort: Next exits when done).
  if (!lecternServerInFront()) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void runShutdownHooks());
    // Plain Next (`npm run dev`, `next start`): Next has set PORT to the port it listens on.
    const config = env();
    writeServerFile(config.LECTERN_DATA_DIR, config.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`);
  }
}
