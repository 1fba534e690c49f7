import "server-only";
import { ConfigError } from "../parse-env";
import { env, publicUrl } from "../env";
import { lecternServerInFront } from "./front-server";
import { bootstrap } from "@/lib/setup/bootstrap";
import { startDatabase, type PrepareDatabase } from "../db";
import { startJobQueue } from "../../jobs/jobs";
import { getSharedStore } from "../redis";
import { runShutdownHooks } from "./shutdown";
import { writeServerFile } from "./server-file";
import { errorChain, withStartupRetries } from "./startup-retry";

/** The default project, the admin account (printed once when generated) and, on a new database, the demo. */
const bootstrapDatabase: PrepareDatabase = async (database) => {
  const config = env();
  const result = await bootstrap(database.db, {
    seedDemo: config.LECTERN_SEED_DEMO,
    adminEmail: config.LECTERN_ADMIN_EMAIL,
    adminPassword: config.LECTERN_ADMIN_PASSWORD,
    bootstrapAdminKey: config.LECTERN_BOOTSTRAP_ADMIN_KEY,
  });
  if (result.createdAdmin)
    console.log(
      `\n  Lectern admin created: ${result.createdAdmin.email} / ${result.createdAdmin.password}\n` +
        `  (set LECTERN_ADMIN_EMAIL and LECTERN_ADMIN_PASSWORD to choose them)\n`,
    );
};

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
    await withStartupRetries("opening the database", () => startDatabase(bootstrapDatabase));
    await getSharedStore();
  } catch (e) {
    console.error(`\nLectern cannot start: the database failed to open or migrate: ${errorChain(e)}\n`);
    process.exit(1);
  }
  if (opts.jobs !== false) await startJobQueue();
  // Lectern's own server (gateway/main.ts) runs the shutdown hooks itself; under plain `next start`
  // they start with the signal, while Next drains connections (best effort: Next exits when done).
  if (!lecternServerInFront()) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void runShutdownHooks());
    // Plain Next (`npm run dev`, `next start`): Next has set PORT to the port it listens on.
    const config = env();
    writeServerFile(config.LECTERN_DATA_DIR, publicUrl(config));
  }
}
