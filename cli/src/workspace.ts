// The prompts directory: finding the files (Lectern's YAML, Dotprompt's .prompt, GitHub's .prompt.yml),
// naming them, and checking them with the server's own validation (content model, template syntax,
// partials, declared variables) before anything is sent.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { contentSchema, type Content } from "../../lib/registry/content";
import { isPromptName } from "../../lib/registry/content-model";
import { decodePromptPath, encodePromptName, promptNameError } from "../../lib/registry/names";
import { collectPartials } from "../../lib/registry/templates/template";
import { movedFieldsWarning, prepareSkillFiles, skillFrontmatter } from "../../lib/registry/skills/skill-files";
import { isSkillFolder, modesTracked, readSkillFiles, skillMetaFile } from "./skill-folder";
import { checkFile } from "./workspace-checks";
import { CliError } from "./errors";
import { extensionOf, kindOfPath, withoutExtension, type FileKind } from "./file-formats";
import { readFormatFiles, type PendingFile, type PromptFile, type RemoteContents } from "./format-files";
import { filePath, lineOf, readPromptText, showPath, type FileProblem } from "./prompt-file";
import { isInside } from "./safe-write";

export type { PromptFile } from "./format-files";

/**
 * prompts/support/reply.yaml → support/reply; prompts/My%20Prompt%20%5Bv2%5D.x.yaml → "My Prompt [v2].x":
 * file names follow the one rule for URLs and files (encodePromptName). Undefined when a segment is not
 * valid percent-encoding.
 */
export function nameOfPath(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file).split(path.sep).join("/");
  // A skill's folder is its name: prompts/support/refunds/.lectern.yaml → support/refunds.
  const skill = rel.endsWith(`/${skillMetaFile}`);
  return decodePromptPath((skill ? rel.slice(0, -skillMetaFile.length - 1) : withoutExtension(rel)).split("/"));
}

/** The file of a prompt; throws for a name that is not a prompt name (it could point outside `dir`). */
export function pathOfName(dir: string, name: string, kind: FileKind = "yaml"): string {
  if (!isPromptName(name)) throw new Error(`${JSON.stringify(name)} is not a valid prompt name`);
  return path.join(dir, ...encodePromptName(name).split("/")) + extensionOf[kind];
}

/** Where --all-versions writes a version: <dir>/.history/<encoded name>/v<N>.yaml. */
export const historyPathOf = (dir: string, name: string, version: number) =>
  path.join(dir, ".history", ...encodePromptName(name).split("/"), `v${version}.yaml`);

/**
 * Names that differ only in case are two prompts (as in Langfuse), but on a case-insensitive file
 * system (macOS, Windows) their files would be one. The first of each such group keeps its file; the
 * others are named here with the one they collide with, so nobody loses edits to the other's file.
 */
export function caseCollisions(names: string[]): Map<string, string> {
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const n of [...names].sort()) {
    const key = encodePromptName(n).toLowerCase();
    const other = first.get(key);
    if (other === undefined) first.set(key, n);
    else out.set(n, other);
  }
  return out;
}

export const caseCollisionMessage = (name: string, other: string) =>
  `${name} and ${other} differ only in case: Lectern keeps them as two prompts, but on a case-insensitive file system (macOS, Windows) their files would be one; rename one of them`;

/**
 * The prompt files under dir. A symbolic link whose real path leaves the prompts folder is not read (it goes
 * in `linkedOut`): a checkout could otherwise have push upload, or a parse error quote, a file elsewhere.
 */
function walk(dir: string, root = dir, linkedOut: string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const realRoot = realpathSync(root);
  return readdirSync(dir)
    .filter((f) => !f.startsWith(".")) // .history and editor files are not prompts
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      if (lstatSync(p).isSymbolicLink()) {
        let real: string | undefined;
        try {
          real = realpathSync(p);
        } catch {
          real = undefined;
        }
        if (!real || !isInside(realRoot, real)) {
          linkedOut.push(p);
          return [];
        }
      }
      // A folder with a SKILL.md is a skill: its files are the skill's, never prompts of their own.
      if (statSync(p).isDirectory()) return isSkillFolder(p) ? [path.join(p, skillMetaFile)] : walk(p, root, linkedOut);
      return kindOfPath(f) ? [p] : [];
    });
}

export function inFolder(name: string, folder: string | undefined): boolean {
  if (!folder) return true;
  const f = folder.replace(/\/+$/, "");
  return name === f || name.startsWith(`${f}/`);
}

export interface ReadResult {
  files: PromptFile[];
  problems: FileProblem[];
  warnings: FileProblem[];
  /** Files left out because their name is outside the configured folder. */
  outside: string[];
}

export type { RemoteContents } from "./format-files";

/**
 * Reads every prompt file under dir (optionally only one folder of names) and validates it locally. A
 * Dotprompt or .prompt.yml file is read as the import endpoint reads it, which needs the text of the
 * partials it includes: from the other files, else from `remote` (without one, such a file is left out
 * with a warning).
 */
export async function readWorkspace(
  dir: string,
  cwd: string,
  opts: { folder?: string; remote?: RemoteContents } = {},
): Promise<ReadResult> {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliError(`${dir} is not a directory`, 2, { code: "usage" });
  const files: PromptFile[] = [];
  const problems: FileProblem[] = [];
  const warnings: FileProblem[] = [];
  const seen = new Map<string, string>();
  const outside: string[] = [];
  const linkedOut: string[] = [];
  const pending: PendingFile[] = [];
  const same = (c: Content) => Promise.resolve(c);
  for (const p of walk(dir, dir, linkedOut)) {
    const shown = path.relative(cwd, p) || p;
    const name = nameOfPath(dir, p);
    if (name === undefined) {
      problems.push({ file: shown, field: "file name", message: "the file name is not valid percent-encoding" });
      continue;
    }
    if (!inFolder(name, opts.folder)) {
      outside.push(shown);
      continue;
    }
    if (!isPromptName(name)) {
      problems.push({ file: shown, field: "file name", message: `${name}: ${promptNameError(name)}` });
      continue;
    }
    const twin = seen.get(name);
    if (twin) {
      problems.push({ file: shown, field: "file name", message: `${twin} already holds prompt ${name}` });
      continue;
    }
    seen.set(name, shown);
    const skillDir = p.endsWith(skillMetaFile) ? path.dirname(p) : undefined;
    // A skill folder made by hand has no .lectern.yaml yet: it is a new skill.
    const text = skillDir && !existsSync(p) ? "type: skill\n" : readFileSync(p, "utf8");
    const kind: FileKind = skillDir ? "yaml" : kindOfPath(p)!;
    if (kind !== "yaml") {
      pending.push({ name, path: p, shown, text, kind });
      continue;
    }
    const r = readPromptText(text, shown);
    problems.push(...r.problems);
    if (!r.parsed) continue;
    if (skillDir) {
      if (r.parsed.raw.type !== "skill") {
        problems.push({
          file: shown,
          field: "type",
          message: "a folder with a SKILL.md is a skill: its .lectern.yaml says type: skill",
        });
        continue;
      }
      const read = readSkillFiles(skillDir, path.relative(cwd, skillDir) || skillDir);
      problems.push(...read.problems);
      // As the server stores them: SKILL.md's fields outside the specification under metadata (a push of the
      // file as written then matches the version the server made of it).
      const prepared = prepareSkillFiles(read.files);
      if (prepared.moved.length) warnings.push({ file: shown, message: movedFieldsWarning(prepared.moved) });
      r.parsed.raw.files = prepared.files;
      // Where the file system keeps no execute bits, the version's modes are the server's (left out of a push).
      if (modesTracked) r.parsed.raw.modes = read.modes;
    }
    const content = contentSchema.safeParse(r.parsed.raw);
    if (!content.success) {
      for (const issue of content.error.issues) {
        const where = filePath(issue.path as (string | number)[], r.parsed.raw.type);
        problems.push({
          file: shown,
          field: showPath(where),
          line: lineOf(r.parsed, where).line,
          message: issue.message,
        });
      }
      continue;
    }
    // A skill's description is its frontmatter's (the server keeps them equal).
    const description =
      content.data.type === "skill" ? skillFrontmatter(content.data.files).description : r.parsed.data.description;
    const data = { ...r.parsed.data, description, content: content.data };
    files.push({ name, path: p, shown, text, data, kind, parsed: r.parsed, readBack: same });
  }
  await readFormatFiles(pending, files, problems, warnings, opts.remote);
  for (const [name, other] of caseCollisions(files.map((f) => f.name)))
    problems.push({ file: seen.get(name)!, field: "file name", message: caseCollisionMessage(name, other) });
  warnings.push(
    ...linkedOut.map((p) => ({
      file: path.relative(cwd, p) || p,
      message: "a symbolic link to outside the prompts folder (or a broken one): not read",
    })),
  );
  for (const f of files) checkFile(f, files, problems, warnings);
  return { files, problems, warnings, outside };
}

/** Orders files so that a partial is pushed before the prompts that include it. */
export function partialsFirst(files: PromptFile[]): PromptFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: PromptFile[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (f: PromptFile) => {
    if (state.get(f.name)) return;
    state.set(f.name, "visiting");
    for (const p of collectPartials(f.data.content)) {
      const dep = byName.get(p);
      if (dep && !state.get(p)) visit(dep);
    }
    state.set(f.name, "done");
    out.push(f);
  };
  for (const f of files) visit(f);
  return out;
}
