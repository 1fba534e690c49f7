// One context (lib/context.ts): a domain operation takes a `DomainContext` (database, actor, project, events, clock),
// never its parts — `(db, actor, projectId, …)` lets a caller forget where changes are announced, and an
// `events = noEvents` default makes forgetting silent (a cache never invalidated). This reads every function under
// lib/ with the TypeScript parser, multi-line signatures and function types included, and refuses a first
// parameter named db or tx followed by one named actor (or actorUserId), a transaction handed beside its context
// (tx, ctx, …) instead of inside it (`withTx(ctx, tx)`), and any parameter defaulting to noEvents.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import type { DomainContext } from "../lib/context";

/** The functions that may take the parts: they are where a context is built from them. */
const allowed: Record<string, string> = {
  "lib/context.ts projectContext": "the one way to make a context from its parts (jobs, seeds and tests use it)",
  "lib/server/wiring/domain.ts domainContext":
    "builds each request's context from its parts, with the process's announcement bus",
};

const sources = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "lib/*.ts", "lib/*.tsx"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f && !/\.test\.tsx?$/.test(f) && !f.endsWith(".d.ts"));

const paramName = (p: ts.ParameterDeclaration | undefined) => (p && ts.isIdentifier(p.name) ? p.name.text : "");

function nameOf(node: ts.SignatureDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  let up: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(up) || ts.isAsExpression(up)) up = up.parent;
  if ((ts.isVariableDeclaration(up) || ts.isTypeAliasDeclaration(up)) && ts.isIdentifier(up.name)) return up.name.text;
  if (ts.isPropertyAssignment(up) && ts.isIdentifier(up.name)) return up.name.text;
  return "(anonymous)";
}

/** Each offence in one file's text, as "name: why". */
function offences(text: string, file = "file.ts"): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) {
      const params = node.parameters;
      const [first, second] = [paramName(params[0]), paramName(params[1])];
      if ((first === "db" || first === "tx") && (second === "actor" || second === "actorUserId"))
        found.push(`${nameOf(node)}: takes (${first}, ${second}, …) — take a DomainContext`);
      if ((first === "db" || first === "tx") && second === "ctx")
        found.push(`${nameOf(node)}: takes (${first}, ctx, …) — take withTx(ctx, ${first})`);
      for (const p of params)
        if (p.initializer && /^noEvents$/.test(p.initializer.getText(source)))
          found.push(`${nameOf(node)}: ${paramName(p) || "a parameter"} defaults to noEvents`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every offence under lib/, as "file name: why"; read once (parsing every file takes seconds on a busy machine). */
let scanned: string[] | undefined;
const scan = () => (scanned ??= sources.flatMap((f) => offences(readFileSync(f, "utf8"), f).map((o) => `${f} ${o}`)));
const keyOf = (o: string) => o.slice(0, o.indexOf(":"));

describe("one context", () => {
  it("finds the sources it reads", () => {
    expect(sources.length).toBeGreaterThan(300);
    expect(sources).toContain("lib/context.ts");
  });

  it("refuses, when compiling, a context without events", () => {
    // @ts-expect-error `events` is required: a context that does not say where to announce changes does not compile
    const partial: DomainContext = { db: {} as Db, actor: { type: "system", label: "test" }, projectId: "p" };
    expect(partial.events).toBeUndefined();
  });

  it("catches parts instead of a context, however the signature is written", () => {
    const offender = [
      "export async function revoke(",
      "  db: Db,",
      "  actor: Actor,",
      "  projectId: string,",
      "  events: EventSink = noEvents,",
      ") {}",
      "export const list = (tx: Db, actor: Actor) => tx;",
      "export type Run = (db: Db, actorUserId: string) => void;",
      "export async function insert(tx: Db, ctx: DomainContext, row: Row) {}",
    ].join("\n");
    expect(offences(offender)).toEqual([
      "revoke: takes (db, actor, …) — take a DomainContext",
      "revoke: events defaults to noEvents",
      "list: takes (tx, actor, …) — take a DomainContext",
      "Run: takes (db, actorUserId, …) — take a DomainContext",
      "insert: takes (tx, ctx, …) — take withTx(ctx, tx)",
    ]);
    expect(offences("export async function revoke(ctx: DomainContext, id: string) {}")).toEqual([]);
  });

  it("has every function under lib/ take a DomainContext, not its parts, and no events default", () => {
    const problems = scan().filter((o) => !allowed[keyOf(o)] || o.includes("noEvents"));
    expect(problems).toEqual([]);
  }, 60_000);

  it("lists only exceptions that still exist", () => {
    const present = new Set(scan().map(keyOf));
    expect(Object.keys(allowed).filter((k) => !present.has(k))).toEqual([]);
  }, 60_000);
});
