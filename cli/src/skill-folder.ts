// A skill is a folder (agentskills.io): prompts/<name>/SKILL.md and its other files, as agents install it, plus
// prompts/<name>/.lectern.yaml with what Lectern keeps beside the files (version, description, tags). Reading
// takes every regular file below the folder except dotfiles and dot-folders (.lectern.yaml, editor files,
// .git); symbolic links are refused rather than followed (one could point anywhere). Writing makes the folder
// hold exactly the version's files, byte for byte, and leaves dotfiles alone.
import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { encodePromptName } from "../../lib/registry/name-rules";
import { skillEntryFile } from "../../lib/registry/skill-files";
import type { FileProblem } from "./prompt-file";
import { writeFile } from "./sync";

export const skillMetaFile = ".lectern.yaml";

/** A folder is a skill when SKILL.md is a file in it. */
export function isSkillFolder(dir: string): boolean {
  const entry = path.join(dir, skillEntryFile);
  return existsSync(entry) && lstatSync(entry).isFile();
}

/** The .lectern.yaml of the skill named `name` under `root`. */
export const skillMetaPathOf = (root: string, name: string) =>
  path.join(root, ...encodePromptName(name).split("/"), skillMetaFile);

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The skill's files, path → text, and what stops one being read. */
export function readSkillFiles(dir: string, shown: string): { files: Record<string, string>; problems: FileProblem[] } {
  const files: Record<string, string> = {};
  const problems: FileProblem[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      if (name.startsWith(".")) continue;
      const rel = sub ? `${sub}/${name}` : name;
      const full = path.join(dir, rel);
      const st = lstatSync(full);
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
        } catch {
          problems.push({ file: `${shown}/${rel}`, message: "not UTF-8 text: a skill holds text files only" });
        }
      }
    }
  };
  walk("");
  return { files, problems };
}

/**
 * Makes `dir` hold exactly `files` (dotfiles aside): writes each, inside `root` only (sync.ts writeFile: never
 * through a link), removes the others and empty folders.
 */
export function writeSkillFiles(root: string, dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) writeFile(root, path.join(dir, ...rel.split("/")), text);
  if (!existsSync(dir)) return;
  const prune = (sub: string): boolean => {
    let empty = true;
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      const full = path.join(dir, rel);
      if (name.startsWith(".")) {
        empty = false;
        continue;
      }
      const st = lstatSync(full);
      if (st.isDirectory() && !st.isSymbolicLink()) {
        if (prune(rel)) rmdirSync(full);
        else empty = false;
      } else if (Object.hasOwn(files, rel)) empty = false;
      else rmSync(full);
    }
    return empty;
  };
  if (statSync(dir).isDirectory()) prune("");
}
