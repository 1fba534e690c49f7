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

// Functions in lib/ over the limit that are still to split: the list may shrink, not grow.
const libStillToSplit: string[] = [
  "lib/evaluation/online/scoring.ts scorePendingSamples",
  "lib/llm/image-fetch.ts createImageFetcher",
  "lib/llm/resolver.ts createCallerResolver",
];

// Components over the limit that are still to split: the list may shrink, not grow.
const componentsStillToSplit: string[] = [
  "app/(dashboard)/[project]/bundles/[...name]/page.tsx BundlePage",
  "app/(dashboard)/[project]/bundles/_components/bundle-release.tsx BundleRelease",
  "app/(dashboard)/[project]/datasets/[id]/page.tsx DatasetPage",
  "app/(dashboard)/[project]/drafts/[id]/_components/draft-editor.tsx DraftEditor",
  "app/(dashboard)/[project]/evaluations/[id]/page.tsx RunPage",
  "app/(dashboard)/[project]/evaluations/_components/new-run-form.tsx NewRunForm",
  "app/(dashboard)/[project]/experiments/[id]/_components/stop-dialog.tsx StopDialog",
  "app/(dashboard)/[project]/experiments/[id]/page.tsx ExperimentPage",
  "app/(dashboard)/[project]/experiments/new/_components/experiment-form.tsx ExperimentForm",
  "app/(dashboard)/[project]/experiments/new/_components/variants-editor.tsx VariantsEditor",
  "app/(dashboard)/[project]/online/[...name]/_components/rule-form.tsx RuleForm",
  "app/(dashboard)/[project]/online/[...name]/_components/samples-panel.tsx SamplesPanel",
  "app/(dashboard)/[project]/online/[...name]/page.tsx OnlineEvaluationPage",
  "app/(dashboard)/[project]/prompts/[...name]/_components/playground.tsx Playground",
  "app/(dashboard)/[project]/prompts/[...name]/_components/release-dialog.tsx ReleaseDialog",
  "app/(dashboard)/[project]/prompts/[...name]/_components/review-decision.tsx DecideDialog",
  "app/(dashboard)/[project]/prompts/[...name]/_components/rollout-start-form.tsx RolloutStartForm",
  "app/(dashboard)/[project]/prompts/[...name]/page.tsx PromptPage",
  "app/(dashboard)/[project]/reviews/page.tsx ReviewsPage",
  "app/(dashboard)/[project]/rollouts/[id]/page.tsx RolloutPage",
  "app/(dashboard)/[project]/settings/_components/api-keys-panel.tsx ApiKeysPanel",
  "app/(dashboard)/[project]/settings/_components/environments-panel.tsx RulesForm",
  "app/(dashboard)/[project]/settings/_components/members-panel.tsx MembersPanel",
  "app/(dashboard)/[project]/settings/_components/webhooks-panel.tsx WebhooksPanel",
  "app/(dashboard)/[project]/settings/page.tsx SettingsPage",
  "components/editor/messages-editor.tsx MessagesEditor",
  "components/editor/variables-panel.tsx VariablesPanel",
  "components/evaluation/scorer-list-editor.tsx ScorerListEditor",
  "components/rollouts/rollout-controls.tsx RolloutControls",
];

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
      expect(libStillToSplit.length).toBeLessThanOrEqual(3);
      expect(componentsStillToSplit.length).toBeLessThanOrEqual(29);
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
