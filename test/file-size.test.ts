// Files stay small enough to read in one sitting (CONTRIBUTING.md, "Names and size"): a source file over
// 300 lines (as Prettier formats it) says why in its header ("Over 300 lines: …"), or is on the list
// below of files still to be split by use-case, which may shrink but not grow.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const limit = 300;

// Files still to split, with the line count each had when listed (none now; CONTRIBUTING.md, "Names and size"):
// a file may be listed here only while it is being split, and may not grow meanwhile.
const toSplit: Record<string, number> = {};

const sources = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.tsx", "*.mjs"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f && !f.startsWith("db/migrations/") && !f.endsWith(".d.ts"));

const lines = (f: string) => readFileSync(f, "utf8").split("\n").length - 1;
const explained = (f: string) =>
  readFileSync(f, "utf8")
    .split("\n")
    .slice(0, 12)
    .some((l) => /^\s*(\/\/|\*|\/\*\*?)\s*Over 300 lines: \S/.test(l));

describe("file size", () => {
  it("finds the sources it checks", () => {
    expect(sources.length).toBeGreaterThan(300);
    expect(sources).toContain("lib/errors.ts");
  });

  it("keeps every file under 300 lines, or says why, or is on the list to split and not growing", () => {
    const problems: string[] = [];
    for (const f of sources) {
      let n: number;
      try {
        n = lines(f);
      } catch {
        continue; // listed by git but deleted in the working tree
      }
      const planned = toSplit[f];
      if (planned !== undefined) {
        if (n > planned) problems.push(`${f}: ${n} lines, more than the ${planned} it had when listed to split`);
      } else if (n > limit && !explained(f))
        problems.push(`${f}: ${n} lines; split it by use-case or say why in its header ("Over 300 lines: …")`);
    }
    expect(problems).toEqual([]);
  });

  it("lists only files that still need splitting", () => {
    const done = Object.keys(toSplit).filter((f) => {
      try {
        return lines(f) <= limit;
      } catch {
        return true;
      }
    });
    expect(done, "split already: remove from toSplit").toEqual([]);
  });
});
