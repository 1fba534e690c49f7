// `npm run user:reset-password -- <email>`: for the server operator, prints a one-time link that
// lets the user choose a new password (for installs without SMTP, when no admin may see it).
import { openDatabase } from "../db/client";
import { createPasswordReset } from "../lib/auth/passwords";
import { findUserByEmail } from "../lib/auth/users";
import { parseEnv } from "../lib/server/wiring/parse-env";
import { serverUrl } from "../lib/server/wiring/process/server-file";

async function main() {
  const email = process.argv[2];
  if (!email) throw new Error("Usage: npm run user:reset-password -- <email>");
  const config = parseEnv(process.env);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.LECTERN_DATA_DIR + "/pglite" });
  try {
    const user = await findUserByEmail(database.db, email);
    if (!user) throw new Error(`No user with email ${email}.`);
    const reset = await createPasswordReset({ db: database.db, actor: { type: "system", label: "operator" } }, user.id);
    // NEXTAUTH_URL (the public address), else PORT, else the address the running server records.
    const { url: base } = serverUrl({
      dataDir: config.LECTERN_DATA_DIR,
      env: { NEXTAUTH_URL: config.NEXTAUTH_URL, PORT: process.env.PORT },
    });
    console.log(
      `One-time link for ${reset.email} (expires ${reset.expiresAt.toISOString()}):\n${base}/reset/${reset.token}`,
    );
  } finally {
    await database.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
