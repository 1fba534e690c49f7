// Secrets kept in the data folder, read once per process: what a running server keeps when the folder
// changes or disappears under it, and what it says (the log, once; the login page, every time).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const dir = path.join(mkdtempSync(path.join(tmpdir(), "lectern-data-dir-")), ".data");
let mod: typeof import("./data-dir");
let auth: typeof import("./auth");
let encryption: typeof import("./encryption");
const logged: string[] = [];

beforeAll(async () => {
  vi.stubEnv("LECTERN_DATA_DIR", dir);
  vi.stubEnv("NEXTAUTH_SECRET", "");
  vi.stubEnv("LECTERN_ENCRYPTION_KEY", "");
  vi.stubEnv("DATABASE_URL", "");
  vi.resetModules();
  const g = globalThis as Record<symbol, unknown>;
  for (const k of ["authSecret", "encryptionKey", "dataDirFiles"]) delete g[Symbol.for(`lectern.${k}`)]; // a fresh process
  mod = await import("./data-dir");
  auth = await import("./auth");
  encryption = await import("./encryption");
  const { log } = await import("./log");
  vi.spyOn(log, "error").mockImplementation((m: string) => void logged.push(m));
  vi.spyOn(log, "info").mockImplementation(() => {});
});
afterAll(() => vi.unstubAllEnvs());

describe("secrets in the data folder", () => {
  it("are made on first use, kept in the folder, and read once per process", () => {
    const secret = auth.authSecret();
    const key = encryption.encryptionKey();
    expect(readFileSync(path.join(dir, "nextauth-secret"), "utf8").trim()).toBe(secret);
    expect(existsSync(path.join(dir, "encryption-key"))).toBe(true);
    expect(mod.logDataDirProblems()).toEqual([]);
    // Another process recreates the file with another secret: this one keeps what it read, and says so.
    writeFileSync(path.join(dir, "nextauth-secret"), "another-secret-another-secret-0001");
    expect(auth.authSecret()).toBe(secret);
    const changed = mod.logDataDirProblems();
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain(`${path.join(dir, "nextauth-secret")} (the sign-in secret) changed`);
    expect(logged).toEqual(changed);
    // Asked again (the next visit to the login page): the same words, not logged twice.
    expect(mod.logDataDirProblems()).toEqual(changed);
    expect(logged).toHaveLength(1);
    // The folder removed: both secrets are kept, the problem names the folder and the embedded database.
    rmSync(dir, { recursive: true });
    expect(auth.authSecret()).toBe(secret);
    expect(encryption.encryptionKey().equals(key)).toBe(true);
    const gone = mod.logDataDirProblems();
    expect(gone).toHaveLength(1);
    expect(gone[0]).toContain(`The data folder ${dir} disappeared while Lectern was running`);
    expect(gone[0]).toContain("the sign-in secret, the key for secrets at rest");
    expect(gone[0]).toContain("embedded database");
    expect(logged).toHaveLength(2);
    // Nothing was written back behind the person who removed it.
    expect(existsSync(dir)).toBe(false);
  });
});
