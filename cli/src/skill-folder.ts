// A skill is a folder (agentskills.io): prompts/<name>/SKILL.md and its other files, as agents install it, plus
// prompts/<name>/.lectern.yaml with what Lectern keeps beside the files (version, description, tags) — a name the
// server refuses for a skill's own file (rule path.reserved), so no file of a skill can land on it. Reading takes
// every regular file below the folder, dotfiles included, with its mode (executable or not), except what is
// never a skill's: .lectern.yaml, version-control folders (.git: the server refuses them anyway) and the files
// systems and editors leave behind (.DS_Store, swap files, this CLI's own temporary files). Symbolic links are
// refused rather than followed (one could point anywhere). Writing makes the folder hold exactly the version's
// files, byte for byte and mode for mode, refusing a path that is not safe to write (a version saved before a
// rule existed may hold one).
import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { encodePromptName } from "../../lib/registry/name-rules";
import {
  skillEntryFile,
  skillMetaFile,
  skillPathProblem,
  type SkillModes,
} from "../../lib/registry/skills/skill-files";
import { CliError, exitCodes } from "./errors";
import type { FileProblem } from "./prompt-file";
import { writeInside } from "./safe-write";

export { skillMetaFile };

/** Whether this system keeps execute bits (Windows does not: there, modes are left to the server's version). */
export const modesTracked = process.platform !== "win32";

/** A folder is a skill when SKILL.md is a file in it. */
export function isSkillFolder(dir: string): boolean {
  const entry = path.join(dir, skillEntryFile);
  return existsSync(entry) && lstatSync(entry).isFile();
}

/** The .lectern.yaml of the skill named `name` under `root`. */
export const skillMetaPathOf = (root: string, name: string) =>
  path.join(root, ...encodePromptName(name).split("/"), skillMetaFile);

const utf8 = new TextDecoder("utf-8", { fatal: true });

const vcsFolders = new Set([".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", ".jj", ".pijul", ".sl"]);
const litter = new Set([".DS_Store", "Thumbs.db", "desktop.ini", "._.DS_Store"]);

/** A name under a skill's folder that is never one of its files (`rel` is its path there). */
export function notSkillFile(rel: string, name: string, isDir: boolean): boolean {
  if (isDir) return vcsFolders.has(name);
  return (
    rel === skillMetaFile ||
    litter.has(name) ||
    /^\..*\.sw[a-p]$/.test(name) || // vim's swap files
    /\.lectern-[0-9a-f]+\.tmp$/.test(name) // a write this CLI left unfinished (safe-write.ts)
  );
}

/** The skill's files, path → text, its executable files, and what stops one being read. */
export function readSkillFiles(
  dir: string,
  shown: string,
): { files: Record<string, string>; modes: SkillModes; problems: FileProblem[] } {
  const files: Record<string, string> = {};
  const modes: SkillModes = {};
  const problems: FileProblem[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      const full = path.join(dir, rel);
      const st = lstatSync(full);
      if (notSkillFile(rel, name, st.isDirectory())) continue;
      if (st.isSymbolicLink()) {
        problems.push({
          file: `${shown}/${rel}`,
          message: "a symbolic link: a skill's files are pushed as they are, never followed",
        });
        continue;
      }
      if (st.isDirectory()) walk(rel);
      else if (st.isFile()) {
        try {
          files[rel] = utf8.decode(readFileSync(full));
          if (st.mode & 0o111) modes[rel] = "0755";
        } catch {
          problems.push({ file: `${shown}/${rel}`, message: "not UTF-8 text: a skill holds text files only" });
        }
      }
    }
  };
  walk("");
  return { files, modes, problems };
}

/**
 * Makes `dir` hold exactly `files` with their modes (what notSkillFile names aside): writes each, inside `root`
 * only (safe-write.ts: never through a link), removes the others and empty folders. A path the server would now
 * refuse is not written: the whole folder is left as it was, with the rule named.
 */
export function writeSkillFiles(root: string, dir: string, files: Record<string, string>, modes?: SkillModes): void {
  for (const rel of Object.keys(files)) {
    const problem = skillPathProblem(rel);
    if (problem)
      throw new CliError(
        `${path.relative(process.cwd(), dir) || dir}: not written: ${problem.message} (rule ${problem.rule}); the version was saved before the rule existed: save a version without it`,
        exitCodes.failed,
        { field: problem.rule },
      );
  }
  for (const [rel, text] of Object.entries(files))
    writeInside(root, path.join(dir, ...rel.split("/")), text, modesTracked ? modes?.[rel] === "0755" : undefined);
  if (!existsSync(dir)) return;
  const prune = (sub: string): boolean => {
    let empty = true;
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      const full = path.join(dir, rel);
      const st = lstatSync(full);
      const isDir = st.isDirectory() && !st.isSymbolicLink();
      if (notSkillFile(rel, name, isDir)) {
        empty = false;
        continue;
      }
      if (isDir) {
        if (prune(rel)) rmdirSync(full);
        else empty = false;
      } else if (Object.hasOwn(files, rel)) empty = false;
      else rmSync(full);
    }
    return empty;
  };
  if (statSync(dir).isDirectory()) prune("");
}
