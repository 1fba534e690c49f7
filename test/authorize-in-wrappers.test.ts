// The permission and the resource rule are checked once, by the wrapper that serves the operation (docs/architecture.md,
// "Declared once and checked once"): the REST route and the UI's actions read the endpoint's `permission` and
// `resource` (lib/server/http/endpoint.ts), the MCP dispatcher reads each tool's `permission`, and the runtime's own
// server checks its keys. The domain functions under lib/ do not check again. This reads every source under lib/,
// app/, components/ and gateway/ with the TypeScript parser and refuses a call of `authorize(…)` anywhere else,
// except the few places listed below with the reason each cannot be a wrapper's declaration.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** The wrappers: where a declaration's permission is checked for every operation they serve. */
const wrappers: Record<string, string> = {
  "lib/server/actions/action.ts": "the UI's server actions (actionFrom, projectAction): the declared permissions",
  "lib/server/http/endpoint.ts": "the declared resource rule, checked by route and actionFrom alike",
  "lib/server/http/runtime-request.ts": "REST routes (route): the endpoint's declared permission, after the key",
  "lib/server/http/runtime-http.ts": "Lectern's own server's runtime reads (resolve, events): the key's permission",
  "lib/mcp/tools.ts": "the MCP dispatcher: each tool's declared permission, once per call",
  "app/(dashboard)/[project]/download/[...name]/route.ts":
    "a member's file download, a page's Next route (the REST API's export is an endpoint): its own wrapper",
};

/** Documented exceptions (at most 5): a check a declaration cannot make, and why. */
const exceptions: Record<string, string> = {
  "lib/release/promote.ts":
    "assertMayDeployInto: imports and compatible clients deploy into environments named in the uploaded file or body, known only while it is applied",
};

const sources = execFileSync(
  "git",
  [
    "ls-files",
    "-co",
    "--exclude-standard",
    "lib/*.ts",
    "app/*.ts",
    "app/*.tsx",
    "components/*.ts",
    "components/*.tsx",
    "gateway/*.ts",
  ],
  { encoding: "utf8" },
)
  .split("\n")
  .filter((f) => f && !/\.test\.tsx?$/.test(f) && !f.endsWith(".d.ts") && !/(fixture|harness|setup)\.ts$/.test(f));

/** Lines where `text` calls a function named authorize (a method named so, like next-auth's, is not a call). */
function authorizeCalls(text: string, file = "file.ts"): number[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "authorize")
      lines.push(source.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

const found = new Map(sources.map((f) => [f, authorizeCalls(readFileSync(f, "utf8"), f)] as const));

describe("authorize() is called by the wrappers only", () => {
  it("finds a call, and not a method or a word in a comment", () => {
    expect(authorizeCalls(`function f() { authorize(actor, "prompt.read"); }`)).toEqual([1]);
    expect(authorizeCalls(`const o = { async authorize(credentials) { return null } }; // authorize(x)`)).toEqual([]);
  });

  it("no other file under lib/, app/, components/ or gateway/ calls it", () => {
    const offenders = [...found]
      .filter(([f, lines]) => lines.length && !(f in wrappers) && !(f in exceptions))
      .map(([f, lines]) => `${f}:${lines.join(",")}`);
    expect(offenders, "check the permission in the operation's declaration, not in the domain function").toEqual([]);
  });

  it("keeps at most five exceptions, each still needed", () => {
    expect(Object.keys(exceptions).length).toBeLessThanOrEqual(5);
    const stale = [...Object.keys(wrappers), ...Object.keys(exceptions)].filter((f) => !found.get(f)?.length);
    expect(stale, "a listed file that no longer calls authorize: take it off the list").toEqual([]);
  });
});
