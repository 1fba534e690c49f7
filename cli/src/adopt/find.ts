// Everything adopt finds under a directory: TypeScript and JavaScript through the compiler API, Python
// through python3's ast when python3 is on PATH, in file and line order, with a proposed name each.
import { realpathSync } from "node:fs";
import { listSources } from "./files";
import { findInPython } from "./find-py";
import { findInScripts, loadTypescript } from "./find-ts";
import { contentSchema } from "../../../lib/registry/content";
import { assignNames, serverVariables, type Found, type FindResult } from "./model";

export interface Adoption extends FindResult {
  /** The proposed prompt name of each finding (same order). */
  names: string[];
  /** Notes for the report (python3 missing…). */
  notes: string[];
  /** The directory as a real path: every finding's file is relative to it. */
  root: string;
}

export async function findPrompts(dir: string, opts: { env: Record<string, string | undefined> }): Promise<Adoption> {
  const root = realpathSync(dir);
  const src = listSources(root);
  const all: FindResult = { found: [], leftAlone: [], skipped: [...src.skipped] };
  const notes: string[] = [];
  const merge = (r: FindResult) => {
    all.found.push(...r.found);
    all.leftAlone.push(...r.leftAlone);
    all.skipped.push(...r.skipped);
  };
  if (src.scripts.length) merge(findInScripts(await loadTypescript(root), root, src.scripts));
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
    const r = contentSchema.safeParse({ type: f.type, template: f.template, variables: serverVariables(f) });
    if (r.success) valid.push(f);
    else
      all.leftAlone.push({
        file: f.file,
        line: f.line,
        call: f.call,
        property: f.property,
        reason: `Lectern would refuse it: ${r.error.issues.map((i) => i.message).join("; ")}`,
      });
  }
  all.found = valid;
  const order = (a: { file: string; line: number }, b: { file: string; line: number }) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
  all.found.sort((a, b) => order(a, b) || a.start - b.start);
  all.leftAlone.sort(order);
  return { ...all, names: assignNames(all.found), notes, root };
}
