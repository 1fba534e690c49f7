// Patterns users write run on model outputs inside the server (the job queue, and in the one-process
// embedded mode the same event loop that answers resolve). A backtracking engine takes exponential time
// on patterns like ^(\d+)+$ or ^(\d|\w)+$: 27 characters stalled the process for 9.8 s. Every pattern
// — regex scorers, json_schema `pattern` and `patternProperties` — must run in linear time.
//
// Each case runs in a child process: a backtracking engine would never finish (2^64 paths) and the
// child is killed after a minute, which fails the test; the linear engine answers in milliseconds.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseScorerSpecs as parseScorers } from "./spec";

const dir = mkdtempSync(path.join(tmpdir(), "lectern-redos-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evil = "1".repeat(64) + "!";

/** Scores `output` with `specs` in a child process; what the scorers said, or an error if it had to be killed. */
function scoreInChild(specs: unknown[], output: string): Promise<{ score: number; reason: string }[]> {
  const file = path.join(dir, `case-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    file,
    `import { parseScorerSpecs as parseScorers } from ${JSON.stringify(path.resolve("lib/scorers/spec.ts"))};
     import { scoreDeterministic as scoreOutput } from ${JSON.stringify(path.resolve("lib/scorers/run.ts"))};
     const specs = parseScorers(${JSON.stringify(specs)});
     console.log(JSON.stringify(specs.map((s) => scoreOutput(s, { output: ${JSON.stringify(output)} }))));`,
  );
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", file], { timeout: 60_000 }, (err, stdout, stderr) =>
      err
        ? reject(
            new Error(
              err.killed
                ? "killed: the pattern did not finish within a minute"
                : `failed: ${stderr.split("\n").find((l) => /Error/.test(l)) ?? "no output"}`,
            ),
          )
        : resolve(JSON.parse(stdout)),
    ),
  );
}

describe("user regular expressions run in linear time", () => {
  it("regex scorers: ^(\\d+)+$ and ^(\\d|\\w)+$ are accepted and answer at once on 64 digits and a !", async () => {
    const specs = [
      { type: "regex", pattern: "^(\\d+)+$" },
      { type: "regex", pattern: "^(\\d|\\w)+$" },
      { type: "regex", pattern: "^(\\d|\\w)+!$" },
    ];
    expect(await scoreInChild(specs, evil)).toEqual([
      { score: 0, reason: "output does not match /^(\\d+)+$/" },
      { score: 0, reason: "output does not match /^(\\d|\\w)+$/" },
      { score: 1, reason: `output matches /^(\\d|\\w)+!$/ at "${evil.slice(0, 39)}…"` },
    ]);
  }, 70_000);

  it("json_schema: pattern and patternProperties answer at once", async () => {
    const specs = [
      { type: "json_schema", schema: { type: "string", pattern: "^(\\d+)+$" } },
      {
        type: "json_schema",
        schema: { type: "object", patternProperties: { "^(\\d+)+$": { type: "number" } } },
      },
    ];
    const results = await scoreInChild(specs, JSON.stringify(evil));
    expect(results[0]!.score).toBe(0);
    expect(results[0]!.reason).toContain('must match pattern "^(\\d+)+$"');
    const obj = await scoreInChild(specs.slice(1), JSON.stringify({ [evil]: "x" }));
    expect(obj[0]!.score).toBe(1);
  }, 70_000);

  it.each([
    ["a lookahead", { type: "regex", pattern: "(?=a)b" }, "scorers[0].pattern"],
    ["a backreference", { type: "regex", pattern: "(a)\\1" }, "scorers[0].pattern"],
    [
      "a lookahead in a schema",
      { type: "json_schema", schema: { type: "string", pattern: "(?=a)b" } },
      "scorers[0].schema",
    ],
  ])("refuses %s with a message naming the field", (_, spec, field) => {
    expect(() => parseScorers([spec])).toThrow(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")} `));
  });
});
