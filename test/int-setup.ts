// Global setup of the integration tier (vitest `globalSetup`, in the main process, once per run): one
// migrated database that every test file's database starts from, instead of migrating once per file.
// On PGlite an image of a migrated data directory in a temporary file (PGlite's dumpDataDir); on
// PostgreSQL a migrated template database that `createTestDatabase` copies (CREATE DATABASE … TEMPLATE).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../db/client";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: the migrated data directory image's path. PostgreSQL: the migrated template database's name. */
    lecternTemplate: { kind: "pglite"; file: string } | { kind: "postgres"; name: string };
  }
}

async function admin<T>(url: string, run: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL || undefined;
  if (url) {
    const name = `lectern_tpl_${randomBytes(6).toString("hex")}`;
    await admin(url, (c) => c.query(`create database ${name}`));
    const at = new URL(url);
    at.pathname = `/${name}`;
    const database = await openDatabase({ url: at.toString(), poolSize: 2 });
    await migrateDatabase(database);
    await database.close();
    // No one may connect to it: CREATE DATABASE … TEMPLATE refuses a template with open sessions.
    await admin(url, (c) => c.query(`alter database ${name} allow_connections false`));
    project.provide("lecternTemplate", { kind: "postgres", name });
    return async () => {
      await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-int-"));
  const file = path.join(dir, "migrated.tar");
  const database = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(database);
  const image = await (database.db as unknown as { $client: PGlite }).$client.dumpDataDir("none");
  await database.close();
  writeFileSync(file, Buffer.from(await image.arrayBuffer()));
  project.provide("lecternTemplate", { kind: "pglite", file });
  return () => rmSync(dir, { recursive: true, force: true });
}
