// Tests own time (docs/testing.md): no test waits for something by sleeping a fixed time and then asserting.
// A wait belongs in a loop that checks the state it needs and gives up at a deadline naming what it waited for
// (`waitFor` in test/jobs.ts, `expect.poll`, Playwright's auto-waiting `expect`). Found with the TypeScript
// parser: every awaited timer (`await new Promise((r) => setTimeout(r, n))`, `page.waitForTimeout(n)`,
// `setTimeout` from node:timers/promises) must sit inside a loop, or be listed below with the reason it is not
// a wait for a state.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const roots = ["test", "e2e", "cli/test", "sdk/test"];

/**
 * Awaited timers that are not waits for a state, by file and enclosing function (or "top" for a test body):
 * each says what the pause is for.
 */
const notWaits: Record<string, string> = {
  "sdk/test/exit-child.ts top":
    "the child process lives a moment so that the parent can kill it mid-flight (the test is about exiting)",
  "sdk/test/fake-server.ts handle": "a slow server, on purpose: the SDK's timeout and stale answers are what is tested",
  "test/llm-server/model-request.ts answerModelRequest":
    "the scripted model's latency, on purpose: callers' timeouts, concurrency and cost per second are what is tested",
  "test/api/otlp.api.test.ts top":
    "places the resolves while three exports decode (the test is that they are answered meanwhile), not a wait for a state",
  "test/cluster/lifecycle.cluster.test.ts top":
    "a measurement over a window: the CPU a server uses in 5 s once its terminal and database are gone (3 s to settle)",
  "test/cluster/lifecycle.cluster.test.ts abandonedRequest":
    "an absence: whatever the server logs about a request a browser abandoned halfway; there is no state to wait for",
};

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return e === "node_modules" || e === "fixtures" ? [] : files(full);
    return /\.(ts|tsx|mts)$/.test(e) ? [full] : [];
  });
}

const isLoop = (n: ts.Node) =>
  ts.isForStatement(n) ||
  ts.isForOfStatement(n) ||
  ts.isForInStatement(n) ||
  ts.isWhileStatement(n) ||
  ts.isDoStatement(n);

/** An awaited fixed pause: `await new Promise(r => setTimeout(r, …))`, `await sleep(…)`, `await x.waitForTimeout(…)`. */
function isPause(e: ts.AwaitExpression): boolean {
  const x = e.expression;
  if (ts.isNewExpression(x) && x.expression.getText() === "Promise") {
    const body = x.arguments?.[0];
    return !!body && /^\(?\s*\w*\s*\)?\s*=>\s*\{?\s*setTimeout\(\s*\w+\s*,/.test(body.getText());
  }
  if (ts.isCallExpression(x)) {
    const callee = x.expression.getText();
    return /(^|\.)(waitForTimeout|sleep|delay)$/.test(callee) || callee === "setTimeout";
  }
  return false;
}

function enclosingFunction(n: ts.Node): string {
  for (let p = n.parent; p; p = p.parent) {
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)) && p.name) return p.name.getText();
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent))
      return p.parent.name.getText();
  }
  return "top";
}

type Pause = { where: string; key: string };
function pauses(): Pause[] {
  const found: Pause[] = [];
  for (const file of roots.flatMap(files)) {
    const rel = path.relative(process.cwd(), file);
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node, inLoop: boolean) => {
      if (ts.isFunctionLike(n)) inLoop = false; // a loop outside a callback does not make the callback poll
      if (isLoop(n)) inLoop = true;
      if (ts.isAwaitExpression(n) && isPause(n) && !inLoop) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
        found.push({ where: `${rel}:${line}`, key: `${rel} ${enclosingFunction(n)}` });
      }
      n.forEachChild((c) => visit(c, inLoop));
    };
    visit(sf, false);
  }
  return found;
}

describe("no test sleeps and then asserts", () => {
  const all = pauses();

  it("every awaited pause is a poll (inside a loop) or says why it is not a wait", () => {
    const unexplained = all.filter((p) => !(p.key in notWaits)).map((p) => `${p.where} (${p.key})`);
    expect(unexplained, "wait for the state instead: waitFor (test/jobs.ts), expect.poll, Playwright's expect").toEqual(
      [],
    );
  });

  it("every listed exception still exists (the list does not outlive what it excuses)", () => {
    const keys = new Set(all.map((p) => p.key));
    expect(Object.keys(notWaits).filter((k) => !keys.has(k))).toEqual([]);
  });

  it("finds the forms it looks for", () => {
    const sf = (text: string) => ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
    const awaited = (text: string) => {
      let hit = false;
      const visit = (n: ts.Node): void => {
        if (ts.isAwaitExpression(n) && isPause(n)) hit = true;
        n.forEachChild(visit);
      };
      visit(sf(text));
      return hit;
    };
    expect(awaited("async () => { await new Promise((r) => setTimeout(r, 300)); }")).toBe(true);
    expect(awaited("async () => { await new Promise(res => setTimeout(res, 5)); }")).toBe(true);
    expect(awaited("async () => { await page.waitForTimeout(1000); }")).toBe(true);
    expect(awaited("async () => { await setTimeout(100); }")).toBe(true);
    expect(awaited("async () => { await fetch(url); }")).toBe(false);
    expect(awaited("async () => { await new Promise((r) => server.close(r)); }")).toBe(false);
  });
});
