// Rewrites one TypeScript/JavaScript file: each adopted value becomes
//   (await lectern.getPrompt(name, { fallback })).render({ …the same expressions… })
// with the original text (as a Lectern template) as the fallback, so the application says the same thing
// when Lectern cannot be reached; the import and one client are added once per file. In TypeScript the
// result is cast to the exact type of the property it fills in (the SDK's messages are looser than a
// provider's discriminated unions), read from the callee's own signature.
import type * as TS from "typescript";
import type { Found } from "./model";
import type { TsModule } from "./ts-values";

export interface Site {
  found: Found;
  name: string;
}

export interface FileRewrite {
  text: string;
  rewritten: Site[];
  skipped: { site: Site; reason: string }[];
}

// LangChain's message tuples: [role, template] with its own role names.
const toLangchain = (typed: boolean) =>
  `.map((m) => [m.role === "user" ? "human" : m.role === "assistant" ? "ai" : m.role, m.content]${typed ? " as [string, string]" : ""})`;

function identifiers(ts: TsModule, sf: TS.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: TS.Node) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const free = (taken: Set<string>, names: string[]) => {
  for (const n of names) if (!taken.has(n)) return n;
  for (let i = 2; ; i++) if (!taken.has(`${names[0]}${i}`)) return `${names[0]}${i}`;
};

function isModule(ts: TsModule, sf: TS.SourceFile): boolean {
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s) ||
      (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));
const oneLine = (o: Record<string, unknown>) =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${key(k)}: ${JSON.stringify(v)}`)
    .join(", ")} }`;

/** The fallback: the prompt as Lectern would serve it, as a JavaScript object literal. */
function fallbackText(f: Found, indent: string): string {
  const list = (items: Record<string, unknown>[]) =>
    items.length ? `[\n${items.map((i) => `${indent}    ${oneLine(i)},`).join("\n")}\n${indent}  ]` : "[]";
  const template =
    typeof f.template === "string" ? JSON.stringify(f.template) : list(f.template as Record<string, unknown>[]);
  // A variable's type defaults to string in the SDK; only the others are spelled out.
  const variables = list(
    f.variables.map((v) => (v.type === "string" ? { name: v.name } : { name: v.name, type: v.type })),
  );
  return `{\n${indent}  type: ${JSON.stringify(f.type)},\n${indent}  template: ${template},\n${indent}  variables: ${variables},\n${indent}}`;
}

export function renderArgs(f: Found): string {
  const parts = [
    ...f.variables.map((v) =>
      v.stringify ? `${v.name}: String(${v.expr})` : v.name === v.expr ? v.name : `${v.name}: ${v.expr}`,
    ),
    ...f.placeholders.map((p) => (p.name === p.expr ? p.name : `${p.name}: ${p.expr}`)),
  ];
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

function replacement(f: Found, name: string, client: string, indent: string, typed: boolean): string {
  const fetch = `(await ${client}.getPrompt(${JSON.stringify(name)}, {\n${indent}  fallback: ${fallbackText(f, `${indent}  `)},\n${indent}}))`;
  const rendered = `${fetch}.render(${renderArgs(f)})`;
  if (f.langchain) {
    if (f.type === "text") return typed ? `${rendered} as string` : rendered;
    return `(${rendered}${typed ? " as { role: string; content: string }[]" : ""})${toLangchain(typed)}`;
  }
  if (!typed) return rendered;
  if (f.type === "text") return `${rendered} as string`;
  // The property's own type, read from the callee: exact for overloads and the AI SDK's prompt union.
  if (f.callee && !f.callee.startsWith("this."))
    return `${rendered} as unknown as NonNullable<Parameters<typeof ${f.callee}>[0][${JSON.stringify(f.property)}]>`;
  return `${rendered} as never`;
}

export function rewriteSource(
  ts: TsModule,
  file: string,
  text: string,
  sites: Site[],
  opts: { environment: string },
): FileRewrite {
  const out: FileRewrite = { text, rewritten: [], skipped: [] };
  const kind = /\.(tsx|jsx)$/.test(file)
    ? ts.ScriptKind.TSX
    : /\.(ts|mts|cts)$/.test(file)
      ? ts.ScriptKind.TS
      : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const typed = kind !== ts.ScriptKind.JS && !/\.jsx$/.test(file);
  const todo: Site[] = [];
  for (const s of sites) {
    if (s.found.noRewrite) out.skipped.push({ site: s, reason: s.found.noRewrite });
    else if (file.endsWith(".cjs") || file.endsWith(".cts") || !isModule(ts, sf))
      out.skipped.push({ site: s, reason: "not an ES module (@lectern/sdk is imported with import)" });
    else if (text.slice(s.found.start, s.found.end) !== s.found.source)
      out.skipped.push({ site: s, reason: "the file changed since it was read" });
    else todo.push(s);
  }
  if (!todo.length) return out;
  const taken = identifiers(ts, sf);
  const client = free(taken, ["lectern", "lecternClient"]);
  const create = taken.has("createClient") ? free(taken, ["createLecternClient"]) : "createClient";
  let result = text;
  for (const s of [...todo].sort((a, b) => b.found.start - a.found.start)) {
    const indent = indentAt(text, s.found.start);
    result =
      result.slice(0, s.found.start) + replacement(s.found, s.name, client, indent, typed) + result.slice(s.found.end);
    out.rewritten.push(s);
  }
  // The import and the client go after the last import (or after directives such as "use server").
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const directives = sf.statements.filter(
    (s, i) =>
      ts.isExpressionStatement(s) &&
      ts.isStringLiteral(s.expression) &&
      sf.statements.slice(0, i).every((p) => ts.isExpressionStatement(p)),
  );
  const after = imports.at(-1) ?? directives.at(-1);
  const at = after ? after.getEnd() : 0;
  const importLine = `import { ${create === "createClient" ? "createClient" : `createClient as ${create}`} } from "@lectern/sdk";`;
  const clientLines = [
    "",
    "// Prompts adopted by `lectern adopt` are fetched from Lectern; the original text is each one's fallback.",
    `const ${client} = ${create}({`,
    `  baseUrl: process.env.LECTERN_BASE_URL ?? "http://localhost:3000",`,
    `  apiKey: process.env.LECTERN_API_KEY ?? "",`,
    `  environment: process.env.LECTERN_ENVIRONMENT ?? ${JSON.stringify(opts.environment)},`,
    "});",
  ].join("\n");
  const block = after ? `\n${importLine}\n${clientLines}` : `${importLine}\n${clientLines}\n\n`;
  out.text = result.slice(0, at) + block + result.slice(at);
  out.rewritten.reverse();
  return out;
}
