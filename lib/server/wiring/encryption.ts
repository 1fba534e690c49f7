import "server-only";
import path from "node:path";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { generateEncryptionKey, parseEncryptionKey } from "@/lib/llm/secrets";
import { env } from "./env";
import { log } from "./log";
import { processSingleton } from "./singleton";

// The key for secrets at rest (webhook signing secrets, model connection keys): LECTERN_ENCRYPTION_KEY,
// or one generated on first start and kept in the data directory, like the sign-in secret. Several
// instances must share LECTERN_ENCRYPTION_KEY; losing the key makes the stored secrets unreadable.
export const encryptionKey = (): Buffer => processSingleton("encryptionKey", loadEncryptionKey);

function loadEncryptionKey(): Buffer {
  const config = env();
  if (config.LECTERN_ENCRYPTION_KEY) return parseEncryptionKey(config.LECTERN_ENCRYPTION_KEY);
  const file = path.resolve(config.LECTERN_DATA_DIR, "encryption-key");
  try {
    return parseEncryptionKey(readFileSync(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(`${file} does not hold a valid encryption key: ${(e as Error).message}`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, generateEncryptionKey(), { mode: 0o600, flag: "wx" });
      log.info(
        `generated an encryption key for secrets at rest in ${file} (set LECTERN_ENCRYPTION_KEY on every instance of a cluster)`,
      );
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== "EEXIST") throw w; // another part of this process wrote it first
    }
    return parseEncryptionKey(readFileSync(file, "utf8"));
  }
}
