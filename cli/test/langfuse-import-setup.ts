// Shared by the CLI's import api tests: the local stand-in for the source, started for the file; a second, fresh
// Lectern to import into; and Langfuse-compatible reads.
import { freePort, ServerProcess } from "../../test/cluster/harness";
import { afterAll, beforeAll } from "vitest";
import { buildCli, removeTemps, tempDir } from "./cli-harness";

/** For an import test file: the CLI built and `source` (a local stand-in for the system imported) started before its
 * tests; `source` stopped and the temporary folders removed after them. Returns `source`. */
export function sourceForFile<S extends { start(): Promise<void>; stop(): Promise<void> }>(source: S): S {
  beforeAll(async () => {
    await buildCli();
    await source.start();
  }, 180_000);
  afterAll(async () => {
    await source.stop();
    removeTemps();
  });
  return source;
}

/** A fresh server on PGlite whose bootstrap admin key is `freshKey`; it may reach 127.0.0.1. */
export async function startImportTarget(freshKey: string): Promise<ServerProcess> {
  const port = await freePort();
  const fresh = new ServerProcess(port, {
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    LECTERN_DATA_DIR: tempDir("langfuse-import-target"),
    DATABASE_URL: "",
    REDIS_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    LECTERN_SEED_DEMO: "false",
    LECTERN_BOOTSTRAP_ADMIN_KEY: freshKey,
    LECTERN_ADMIN_EMAIL: "admin@import-target.lectern.dev",
    LECTERN_ADMIN_PASSWORD: "admin-password-for-import-target",
    NEXTAUTH_SECRET: "import-target-secret-import-target-0001",
    LECTERN_TRUSTED_PROXIES: "",
    // The source of the Lectern → Lectern import is the test server on loopback: the operator allows it.
    LECTERN_CONNECTIONS_ALLOW_PRIVATE: "127.0.0.1",
  });
  await fresh.start();
  return fresh;
}

/** Langfuse-compatible GET on a server (Basic auth with its public id). */
export async function lf(server: string, key: string, path: string) {
  const project = (await (
    await fetch(`${server}/api/v1/project`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as {
    publicId: string;
  };
  const res = await fetch(server + path, {
    headers: { authorization: `Basic ${Buffer.from(`${project.publicId}:${key}`).toString("base64")}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}
