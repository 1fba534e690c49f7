// No comment in the code cites an issue number: the tracker those numbers point at is not in the repository, so a
// newcomer cannot follow them. A comment that rests on a decision cites its note by name (docs/decisions/README.md);
// otherwise it says what it means on its own. Test names count too. Another project's tracker is cited by its
// repository (`langfuse/langfuse#2068`), which this pattern does not match.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const citesIssue = /\bissues? \d+\b/i;

const folders = [
  "lib",
  "app",
  "components",
  "gateway",
  "test",
  "e2e",
  "cli",
  "bench",
  "scripts",
  "sdk",
  "db",
  "sdk-python",
];

const sources = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.tsx", "*.mjs", "*.py"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f && folders.some((d) => f.startsWith(`${d}/`)) && f !== "test/no-issue-numbers.test.ts");

describe("no issue numbers in comments", () => {
  it("finds the sources it checks", () => {
    expect(sources.length).toBeGreaterThan(300);
    expect(sources).toContain("lib/errors.ts");
    expect(sources.some((f) => f.startsWith("sdk-python/"))).toBe(true);
  });

  it.each([
    ["// Agent bundles (issue 42): a named set", true],
    ["// Issue 69, items 2 and 3, on a phone", true],
    ["/** A bundle release as a guarded rollout (issues 42 and 43). */", true],
    ["# Issue 40: the same cases as the TypeScript SDK", true],
    ["// Langfuse still answers `pagination` too (langfuse/langfuse#2068)", false],
    ['expect(await answer("ORDER #42")).toBe("…")', false],
    ["// Agent bundles (docs/decisions/bundles.md): a named set", false],
  ])("%s cites an issue: %s", (line, cites) => {
    expect(citesIssue.test(line)).toBe(cites);
  });

  it("finds no comment that cites an issue number; a decision is cited by its note in docs/decisions/", () => {
    const problems: string[] = [];
    for (const f of sources) {
      let text: string;
      try {
        text = readFileSync(f, "utf8");
      } catch {
        continue; // listed by git but deleted in the working tree
      }
      text.split("\n").forEach((line, i) => {
        if (citesIssue.test(line)) problems.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(problems).toEqual([]);
  });
});
