// Folders say what is inside (CONTRIBUTING.md, "Names and size"): a folder under lib/ holds at most 25 source
// files directly, tests aside. A domain that grows past it is cut by concept into subfolders, each with a
// README that says its rule (lib/release/plan/, lib/experiments/rollouts/…), not by file count alone.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const cap = 25;

const isSource = (f: string) =>
  /\.(ts|tsx|mts|mjs|js)$/.test(f) && !/\.test\.tsx?$/.test(f) && !/\.fixture\.ts$/.test(f) && !/\.d\.m?ts$/.test(f);

const perFolder = new Map<string, string[]>();
for (const f of execFileSync("git", ["ls-files", "-co", "--exclude-standard", "lib"], { encoding: "utf8" }).split(
  "\n",
)) {
  if (!f || !isSource(f) || !existsSync(f)) continue;
  const dir = path.posix.dirname(f);
  perFolder.set(dir, [...(perFolder.get(dir) ?? []), f]);
}

describe("folder size", () => {
  it("finds the folders it checks", () => {
    expect(perFolder.get("lib/release")).toContain("lib/release/promote.ts");
    expect(perFolder.get("lib/release")).not.toContain("lib/release/release.int.test.ts");
  });

  it(`keeps at most ${cap} source files directly in each folder under lib/`, () => {
    const over = [...perFolder]
      .filter(([, files]) => files.length > cap)
      .map(([dir, files]) => `${dir}: ${files.length} source files; cut it by concept into subfolders`);
    expect(over).toEqual([]);
  });
});
