// The embedded database holds every secret Lectern stores (key hashes, encrypted connection keys,
// sessions): its directory and files must not be readable by other users of the machine, whatever
// the umask the server was started with (PGlite created them 0666).
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";

const root = mkdtempSync(path.join(tmpdir(), "lectern-pglite-perm-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : [p];
    }),
  ];
}

describe("PGlite data directory", () => {
  it("is created 0700 and nothing inside is readable by group or others, even under umask 000", async () => {
    const previous = process.umask(0);
    const dir = path.join(root, "data", "pglite");
    try {
      const database = await openDatabase({ dataDir: dir });
      await database.ping();
      await database.close();
    } finally {
      process.umask(previous);
    }
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    const open = walk(dir).filter((p) => (lstatSync(p).mode & 0o077) !== 0);
    expect(open).toEqual([]);
  }, 60_000);
});
