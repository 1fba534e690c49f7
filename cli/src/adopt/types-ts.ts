// Variable types from the TypeScript checker, when the project (or the CLI's folder) has TypeScript: a
// `${maxWords}` typed number becomes a number variable. Without it every variable stays a string filled in
// with String(…), which renders exactly what the template literal rendered. Finding and rewriting never
// need TypeScript (js-ast.ts); this only refines the types.
import { createRequire } from "node:module";
import path from "node:path";
import type * as TS from "typescript";
import type { Found, VarType } from "./model";

type TsModule = typeof TS;

/** TypeScript from beside the CLI, else from the adopted project; undefined when neither has it. */
export async function loadTypescript(projectDir: string): Promise<TsModule | undefined> {
  const pick = (m: TsModule & { default?: TsModule }) => m.default ?? m;
  try {
    return pick((await import("typescript")) as TsModule & { default?: TsModule });
  } catch {
    try {
      return pick(createRequire(path.join(projectDir, "package.json"))("typescript") as TsModule);
    } catch {
      return undefined;
    }
  }
}

function kindOf(ts: TsModule, t: TS.Type): VarType | undefined {
  if (t.flags & ts.TypeFlags.StringLike) return "string";
  if (t.flags & ts.TypeFlags.NumberLike) return "number";
  if (t.flags & ts.TypeFlags.BooleanLike) return "boolean";
  if (t.isUnion()) {
    const kinds = new Set(t.types.map((x) => kindOf(ts, x)));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return undefined;
}

/** The expression spanning exactly [start, end) in the file. */
function nodeAt(ts: TsModule, sf: TS.SourceFile, start: number, end: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (n: TS.Node) => {
    if (found || n.getStart(sf) > start || n.getEnd() < end) return;
    if (n.getStart(sf) === start && n.getEnd() === end && ts.isExpression(n)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * Sets each JavaScript/TypeScript variable's type from the checker (one program over the files with
 * findings, read from the same text the finder read). Returns false when TypeScript is not available.
 */
export async function typeVariables(root: string, found: Found[], texts: Map<string, string>): Promise<boolean> {
  const todo = found.filter((f) => f.language !== "py" && f.variables.some((v) => v.at && v.stringify));
  if (!todo.length) return true;
  const ts = await loadTypescript(root);
  if (!ts) return false;
  const files = [...new Set(todo.map((f) => path.join(root, ...f.file.split("/"))))];
  const options: TS.CompilerOptions = {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const text = texts.get(path.resolve(name));
    return text !== undefined
      ? ts.createSourceFile(name, text, lang, true)
      : getSourceFile(name, lang, onError, create);
  };
  const program = ts.createProgram({ rootNames: files, options, host });
  const checker = program.getTypeChecker();
  for (const f of todo) {
    const sf = program.getSourceFile(path.join(root, ...f.file.split("/")));
    if (!sf) continue;
    for (const v of f.variables) {
      if (!v.at || !v.stringify) continue;
      const n = nodeAt(ts, sf, v.at[0], v.at[1]);
      let kind: VarType | undefined;
      try {
        kind = n && kindOf(ts, checker.getTypeAtLocation(n));
      } catch {
        kind = undefined;
      }
      if (kind) Object.assign(v, { type: kind, stringify: false });
    }
  }
  return true;
}
