// Other systems' template syntaxes and Lectern's Mustache, both ways: Python's str.format as LangChain's and
// PromptLayer's f-string templates use it, a safe subset of Jinja2 (as nunjucks and Jinja2 render it), and
// standard Mustache (as LangChain's mustache format and mustache.js read it). Each text is read into the
// shared tree (ir.ts) and written in the other syntax, and kept only when that syntax's own parser reads the
// written text back to the same tree; what cannot be carried exactly is refused with a FormatRefusal naming
// the construct (a 422 through refusalError), never changed silently. Reading is linear in the text and
// bounded: its length (maxTemplateChars), its tags and its nesting (foreignLimits).
import type { Variable } from "../content";
import { maxTemplateChars, type VariableType } from "../content-model";
import { analyzeTemplate } from "../templates/template-syntax";
import { inferVariables } from "../templates/variables";
import { fstringIr, variableName, writeFString } from "./foreign-fstring";
import { parseJinja2 } from "./foreign-jinja2";
import { convert, jinjaKinds, kindType } from "./foreign-jinja2-ir";
import { jinjaReady, writeJinja2 } from "./foreign-jinja2-write";
import { lecternIr, mustacheIr, sameShape, writeLectern, type TagBudget } from "./foreign-mustache";
import { FormatRefusal, refuse, type IrNode } from "./ir";

export { foreignLimits } from "./foreign-mustache";

export const foreignTemplateFormats = ["f-string", "jinja2", "mustache"] as const;
export type ForeignTemplateFormat = (typeof foreignTemplateFormats)[number];

/** One template text of a prompt and where it sits ("template", "template.messages[1]"). */
export interface ForeignPiece {
  text: string;
  field: string;
}

export interface ConvertedTemplates {
  /** Lectern's Mustache, one per piece, in order. */
  templates: string[];
  /** The variables the pieces use, declared as the source engine treats them (see each format). */
  variables: Variable[];
}

/** Runs a step for one piece; a refusal without a field gets the piece's. */
function at<T>(field: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof FormatRefusal && !e.field) throw new FormatRefusal(e.construct, e.message, field);
    throw e;
  }
}

function checkSize(p: ForeignPiece): void {
  if (p.text.length > maxTemplateChars)
    refuse(
      "max-chars",
      `the template has ${p.text.length.toLocaleString("en-US")} characters; Lectern's templates hold at most ${maxTemplateChars.toLocaleString("en-US")}`,
    );
}

// An f-string's names are required: Python and LangChain refuse to format without one.
function fromFString(pieces: ForeignPiece[], budget: TagBudget): ConvertedTemplates {
  const names: string[] = [];
  const templates = pieces.map((p) =>
    at(p.field, () => {
      const ir = fstringIr(p.text, budget);
      for (const n of ir) if (n.t === "value" && !names.includes(n.path[0]!)) names.push(n.path[0]!);
      return writeLectern(ir, p.field);
    }),
  );
  return { templates, variables: names.map((name) => ({ name, type: "string", required: true })) };
}

// Jinja2's undefined prints as nothing: every variable is optional. Kinds come from all pieces' uses.
function fromJinja2(pieces: ForeignPiece[], budget: TagBudget): ConvertedTemplates {
  const trees = pieces.map((p) => at(p.field, () => parseJinja2(p.text, budget)));
  const kinds = jinjaKinds(trees);
  const templates = trees.map((t, i) =>
    at(pieces[i]!.field, () => writeLectern(convert(t, { kinds, depth: 0 }), pieces[i]!.field)),
  );
  const variables = [...kinds].map(([name, kind]) => ({ name, type: kindType(kind), required: false }));
  return { templates, variables };
}

// Mustache is Lectern's own syntax: the text is kept as written once it holds nothing Lectern reads otherwise.
function fromMustache(pieces: ForeignPiece[], budget: TagBudget): ConvertedTemplates {
  const templates = pieces.map((p) =>
    at(p.field, () => {
      const ir = mustacheIr(p.text, budget);
      for (const n of ir)
        if (n.t === "value" && n.path.length === 0)
          refuse("current-context", "{{.}} outside a section prints the whole context, which Lectern prints otherwise");
      for (const name of analyzeTemplate(p.text, p.field).variables.topLevel)
        if (!variableName.test(name))
          refuse("name", `{{${name}}}: ${name} is not a variable name Lectern can declare (at most 64 characters)`);
      if (!sameShape(lecternIr(p.text, p.field, { tags: 0 }), ir))
        refuse("syntax", "Lectern's parser reads the template differently");
      return p.text;
    }),
  );
  return { templates, variables: inferVariables(templates) as Variable[] };
}

/**
 * A prompt's templates in another system's syntax as Lectern's Mustache, with the variables they use.
 * Throws FormatRefusal naming the construct (and the piece's field) when one cannot be carried exactly.
 */
export function fromForeignTemplates(pieces: ForeignPiece[], format: ForeignTemplateFormat): ConvertedTemplates {
  for (const p of pieces) at(p.field, () => checkSize(p));
  const budget: TagBudget = { tags: 0 };
  if (format === "f-string") return fromFString(pieces, budget);
  if (format === "jinja2") return fromJinja2(pieces, budget);
  if (format === "mustache") return fromMustache(pieces, budget);
  return refuse("format", `${String(format)} is not a template format Lectern converts`);
}

/** Another system's template as Lectern's Mustache. Throws FormatRefusal (formats/ir.ts) naming a construct it cannot carry exactly. */
export function fromForeignTemplate(text: string, format: ForeignTemplateFormat, field = "template"): string {
  return fromForeignTemplates([{ text, field }], format).templates[0]!;
}

/** Parses a written text back with the target's reader: the same tree, or a refusal. */
function readBack(written: string, format: ForeignTemplateFormat, expected: IrNode[]): string {
  const budget: TagBudget = { tags: 0 };
  let back: IrNode[];
  if (format === "f-string") back = fstringIr(written, budget);
  else if (format === "jinja2") {
    const tree = parseJinja2(written, budget);
    back = convert(tree, { kinds: jinjaKinds([tree]), depth: 0 });
  } else back = mustacheIr(written, budget);
  if (!sameShape(back, expected))
    refuse("whitespace", `the template cannot be written in ${format} so that it reads back the same`);
  return written;
}

/**
 * Lectern's Mustache (partials already expanded) in another system's syntax. Throws FormatRefusal when it
 * cannot be written exactly. `variables`: the content's declarations, which say what a section means
 * (Jinja2 writes a section over a declared text, number or boolean as {% if %}; without them it refuses).
 */
export function toForeignTemplate(
  template: string,
  format: ForeignTemplateFormat,
  field = "template",
  variables: readonly Pick<Variable, "name" | "type">[] = [],
): string {
  return at(field, () => {
    checkSize({ text: template, field });
    const ir = lecternIr(template, field, { tags: 0 });
    if (format === "mustache") return readBack(template, format, ir);
    if (format === "f-string") return readBack(writeFString(ir), format, ir);
    if (format === "jinja2") {
      const types = new Map<string, VariableType>(variables.map((v) => [v.name, v.type]));
      const ready = jinjaReady(ir, { types });
      return readBack(writeJinja2(ready), format, ready);
    }
    return refuse("format", `${String(format)} is not a template format Lectern converts`);
  });
}
