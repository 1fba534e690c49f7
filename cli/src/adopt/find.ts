// Everything adopt finds under a directory: JavaScript and TypeScript through the parser bundled into the CLI
// (typed by the project's TypeScript when it has one), Python through python3's ast when python3 is on PATH,
// in file and line order, with a proposed name each; what the server would refuse, and text holding what looks
// like a secret, is left alone with the reason.
import { realpathSync } from "node:fs";
import { contentSchema } from "../../../lib/registry/content";
import { listSources } from "./files";
import { findInPython } from "./find-py";
import { findInScripts } from "./find-js";
import { serverVariables, type Found, type FindResult } from "./model";
import { assignNames } from "./naming";
import { secretReason } from "./secrets";
import { typeVariables } from "./types-ts";

export interface Adoption extends FindResult {
  /** The proposed prompt name of each finding (same order). */
  names: string[];
  /** Notes for the report (python3 missing…). */
  notes: string[];
  /** The directory as a real path: every finding's file is relative to it. */
  root: string;
}

/** Every text of a finding that would be uploaded: the template's and the variables' descriptions. */
const uploadedTexts = (f: Found) => [
  ...(typeof f.template === "string" ? [f.template] : f.template.map((m) => ("content" in m ? m.content : m.name))),
  ...serverVariables(f).map((v) => v.description),
];

export async function findPrompts(
  dir: string,
  opts: { env: Record<string, string | undefined>; allowSecrets?: boolean },
): Promise<Adoption> {
  const root = realpathSync(dir);
  const src = listSources(root);
  const all: FindResult = { found: [], leftAlone: [], skipped: [...src.skipped] };
  const notes: string[] = [];
  const merge = (r: FindResult) => {
    all.found.push(...r.found);
    all.leftAlone.push(...r.leftAlone);
    all.skipped.push(...r.skipped);
  };
  if (src.scripts.length) {
    const js = findInScripts(root, src.scripts);
    merge(js);
    if (!(await typeVariables(root, js.found, js.texts)))
      notes.push(
        "TypeScript is installed neither beside lectern nor in the directory: every variable is a string, filled in with String(…) as the template literal did",
      );
  }
  if (src.python.length) {
    const py = await findInPython(root, src.python, opts.env);
    if (py.unavailable)
      notes.push(`${src.python.length} Python file${src.python.length === 1 ? "" : "s"} not read: ${py.unavailable}`);
    merge(py);
  }
  // What the server would refuse (a variable name it does not take, too many messages…) is left alone
  // here, with the server's own words, rather than failing one by one after the others were created.
  const valid: Found[] = [];
  for (const f of all.found) {
    const leave = (reason: string) =>
      all.leftAlone.push({ file: f.file, line: f.line, call: f.call, property: f.property, reason });
    const r = contentSchema.safeParse({ type: f.type, template: f.template, variables: serverVariables(f) });
    if (!r.success) {
      leave(`Lectern would refuse it: ${r.error.issues.map((i) => i.message).join("; ")}`);
      continue;
    }
    const secret = opts.allowSecrets ? undefined : secretReason(uploadedTexts(f));
    if (secret) leave(secret);
    else valid.push(f);
  }
  all.found = valid;
  const order = (a: { file: string; line: number }, b: { file: string; line: number }) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
  all.found.sort((a, b) => order(a, b) || a.start - b.start);
  all.leftAlone.sort(order);
  all.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ...all, names: assignNames(all.found), notes, root };
}
