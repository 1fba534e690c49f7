import "server-only";
import { ConfigError } from "./parse-env";
import { env } from "./env";
import { getDatabase } from "./db";
import { getSharedStore } from "./redis";

export async function startup(): Promise<void> {
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
    await getDatabase();
    await getSharedStore();
  } catch (e) {
    console.error(`\nLectern cannot start: the database failed to open or migrate: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
