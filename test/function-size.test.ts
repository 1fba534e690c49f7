// Functions stay short enough to read in one sitting (CONTRIBUTING.md, "Names and size"): a function in lib/ is
// at most 80 lines and a React component (a function named with a capital letter in app/ or components/) at most
// 150, counted from the function's first line to its last as Prettier formats it. A longer function is either an
// explained exception (at most five in lib/) or on a list of functions still to split, which may only shrink.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const libLimit = 80;
const componentLimit = 150;

// Functions in lib/ allowed over the limit, each with why it reads best whole ("path name" → reason).
const libExceptions: Record<string, string> = {};

// Functions in lib/ over the limit that are still to split: none left; the list may shrink, not grow.
const libStillToSplit: string[] = [];

// Components over the limit that are still to split: none left; the list may shrink, not grow.
const componentsStillToSplit: string[] = [];

type Fn = { key: string; lines: number };

const tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "lib", "app", "components"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith(".d.ts"));

function read(f: string): string | undefined {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return undefined; // listed by git but deleted in the working tree
  }
}

function ownName(n: ts.Node): string | undefined {
  const named = (n as { name?: ts.Node }).name;
  if (named && (ts.isIdentifier(named) || ts.isStringLiteral(named) || ts.isPrivateIdentifier(named)))
    return named.text;
  const p = n.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

// Every function in a file, nested ones included; an anonymous one is named after the function around it.
function functionsIn(file: string, text: string): Fn[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Fn[] = [];
  const visit = (n: ts.Node, around: string) => {
    let inner = around;
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n)
    ) {
      const first = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
      const last = src.getLineAndCharacterOfPosition(n.end).line;
      const name = ownName(n) ?? `${around || "<top>"}/<anonymous>`;
      out.push({ key: `${file} ${name}`, lines: last - first + 1 });
      inner = name;
    }
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(src, "");
  return out;
}

function over(files: string[], limit: number, only: (name: string) => boolean): Fn[] {
  return files.flatMap((f) => {
    const text = read(f);
    return text === undefined
      ? []
      : functionsIn(f, text).filter((fn) => fn.lines > limit && only(fn.key.slice(f.length + 1)));
  });
}

const libFiles = tracked.filter((f) => f.startsWith("lib/"));
const componentFiles = tracked.filter((f) => /^(app|components)\//.test(f) && f.endsWith(".tsx"));
// Parsed once for every test below (a few seconds on a busy machine, hence their timeout).
const once = <T>(f: () => T) => {
  let v: T | undefined;
  return () => (v ??= f());
};
const libOver = once(() => over(libFiles, libLimit, () => true));
const componentsOver = once(() => over(componentFiles, componentLimit, (name) => /^[A-Z]/.test(name)));
const parsing = 120_000;

describe("function size", () => {
  it("finds the functions it checks", () => {
    expect(libFiles).toContain("lib/errors.ts");
    expect(componentFiles.length).toBeGreaterThan(50);
    const fns = functionsIn(
      "x.ts",
      "function a() {\n  return () => {\n    1;\n  };\n}\nconst b = function () {};\nclass C {\n  m() {}\n}\n",
    );
    expect(fns).toEqual([
      { key: "x.ts a", lines: 5 },
      { key: "x.ts a/<anonymous>", lines: 3 },
      { key: "x.ts b", lines: 1 },
      { key: "x.ts m", lines: 1 },
    ]);
  });

  it("fails on a function over the limit", () => {
    const long = `export function long() {\n${"  work();\n".repeat(libLimit)}}\n`;
    const found = functionsIn("lib/x.ts", long).filter((fn) => fn.lines > libLimit);
    expect(found).toEqual([{ key: "lib/x.ts long", lines: libLimit + 2 }]);
  });

  it(
    `keeps every function in lib/ at most ${libLimit} lines, or explained, or listed to split`,
    () => {
      const problems = libOver()
        .filter((fn) => !(fn.key in libExceptions) && !libStillToSplit.includes(fn.key))
        .map((fn) => `${fn.key}: ${fn.lines} lines; split it into named steps`);
      expect(problems).toEqual([]);
    },
    parsing,
  );

  it(
    "explains at most five exceptions in lib/, each still over the limit",
    () => {
      expect(Object.keys(libExceptions).length).toBeLessThanOrEqual(5);
      // The lists only shrink: a new long function is split, not listed.
      expect(libStillToSplit.length).toBe(0);
      expect(componentsStillToSplit.length).toBe(0);
      for (const reason of Object.values(libExceptions)) expect(reason.length).toBeGreaterThan(10);
      const keys = new Set(libOver().map((fn) => fn.key));
      const stale = [...Object.keys(libExceptions), ...libStillToSplit].filter((k) => !keys.has(k));
      expect(stale, "short enough already: remove from the lists").toEqual([]);
    },
    parsing,
  );

  it(
    `keeps every component at most ${componentLimit} lines, or listed to split`,
    () => {
      const problems = componentsOver()
        .filter((fn) => !componentsStillToSplit.includes(fn.key))
        .map((fn) => `${fn.key}: ${fn.lines} lines; split it into smaller components`);
      expect(problems).toEqual([]);
    },
    parsing,
  );

  it(
    "lists only components still over the limit",
    () => {
      const keys = new Set(componentsOver().map((fn) => fn.key));
      const stale = componentsStillToSplit.filter((k) => !keys.has(k));
      expect(stale, "short enough already: remove from componentsStillToSplit").toEqual([]);
    },
    parsing,
  );
});
