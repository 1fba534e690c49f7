import "server-only";
import path from "node:path";
import { generateEncryptionKey, parseEncryptionKey } from "@/lib/llm/secrets";
import { dataDirSecret } from "./data-dir";
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
  const text = dataDirSecret("encryption-key", "the key for secrets at rest", () => {
    log.info(
      `generated an encryption key for secrets at rest in ${file} (set LECTERN_ENCRYPTION_KEY on every instance of a cluster)`,
    );
    return generateEncryptionKey();
  });
  try {
    return parseEncryptionKey(text);
  } catch (e) {
    throw new Error(`${file} does not hold a valid encryption key: ${(e as Error).message}`);
  }
}
