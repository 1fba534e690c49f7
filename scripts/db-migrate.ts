// `npm run db:migrate`: applies committed migrations to DATABASE_URL (through DATABASE_DIRECT_URL when set), or
// to the PGlite data directory.
import { openDatabase, migrateDatabase } from "../db/client";
import { parseEnv } from "../lib/server/wiring/parse-env";

async function main() {
  const config = parseEnv(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    directUrl: config.DATABASE_DIRECT_URL,
    dataDir: config.LECTERN_DATA_DIR + "/pglite",
  });
  await migrateDatabase(database);
  console.log(`Migrations applied (${database.kind}).`);
  await database.close();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
