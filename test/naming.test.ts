// Names say what a read does (CONTRIBUTING.md, "Names say what a read does"): an exported `find*` in lib/ may
// answer undefined (or null), an exported `get*` throws instead. Checked on the functions whose return type is
// written out, by parsing lib/ with the TypeScript parser (no type checker, so it stays fast).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const lib = path.join(process.cwd(), "lib");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return files(full);
    return e.endsWith(".ts") && !e.endsWith(".test.ts") ? [full] : [];
  });
}

/** The written return type with any Promise<…> unwrapped, split at the top level on "|". */
function answers(type: ts.TypeNode): string[] {
  let t = type;
  if (ts.isTypeReferenceNode(t) && t.typeName.getText() === "Promise" && t.typeArguments?.[0]) t = t.typeArguments[0];
  return ts.isUnionTypeNode(t) ? t.types.map((u) => u.getText()) : [t.getText()];
}

type Read = { where: string; name: string; answers: string[] };
const reads: Read[] = [];
for (const file of files(lib)) {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    if (!ts.isFunctionDeclaration(st) || !st.name || !st.type) continue;
    if (!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (!/^(find|get)[A-Z]/.test(st.name.text)) continue;
    const line = sf.getLineAndCharacterOfPosition(st.getStart()).line + 1;
    reads.push({
      where: `${path.relative(process.cwd(), file)}:${line}`,
      name: st.name.text,
      answers: answers(st.type),
    });
  }
}
const empty = (a: string[]) => a.some((t) => t === "undefined" || t === "null");

describe("find* may answer nothing, get* throws", () => {
  it("reads enough functions to mean something", () => {
    expect(reads.length).toBeGreaterThan(20);
  });

  it("no get* answers undefined or null", () => {
    expect(
      reads.filter((r) => r.name.startsWith("get") && empty(r.answers)).map((r) => `${r.where} ${r.name}`),
    ).toEqual([]);
  });

  it("every find* says it may answer nothing", () => {
    expect(
      reads.filter((r) => r.name.startsWith("find") && !empty(r.answers)).map((r) => `${r.where} ${r.name}`),
    ).toEqual([]);
  });
});
