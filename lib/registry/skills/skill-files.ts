// Agent skills (agentskills.io): a folder with a SKILL.md (YAML frontmatter `name` and `description`, then
// Markdown instructions) and any other text files. A skill is a prompt of type "skill" whose content holds the
// files by relative path (../content.ts); this module holds the rules a skill version must meet, as pure
// functions, so the server, the CLI (a skill is a folder) and the tests judge a skill the same way. Zod-free.
//
// The frontmatter's rules are the reference validator's (skill-frontmatter.ts), plus what
// makes a folder safe to write anywhere (skill-paths.ts: paths every file system and git can hold apart, none a
// repository or a device) and bounded sizes.
import { parse as parseYaml } from "yaml";
import { byteLength, pathCollisions, skillPathProblem, type SkillProblem } from "./skill-paths";
import { frontmatterProblems, frontmatterTextProblems, specSkillFields } from "./skill-frontmatter";

export {
  maxSkillCompatibilityLength,
  maxSkillDescriptionLength,
  maxSkillNameLength,
  movedFieldsWarning,
  prepareSkillFiles,
  skillFolderName,
  skillNamePattern,
  specSkillFields,
} from "./skill-frontmatter";

export {
  byteLength,
  maxSkillPathBytes,
  maxSkillPathDepth,
  maxSkillSegmentBytes,
  skillMetaFile,
  skillPathProblem,
  type SkillProblem,
} from "./skill-paths";

export const skillEntryFile = "SKILL.md";
/** Files per skill version. The MCP skills extension's hosts must accept 512; archives stay small. */
export const maxSkillFiles = 200;
/** Bytes (UTF-8) per file and per version. */
export const maxSkillFileBytes = 256 * 1024;
export const maxSkillBytes = 1024 * 1024;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type SkillFrontmatter = { name: string; description: string; [field: string]: unknown };

// The frontmatter as the `skills` CLI finds it: "---" on the first line (after an optional BOM), YAML, then a
// line "---". The body is what follows that line.
const frontmatterPattern = /^\uFEFF?---\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** SKILL.md split into its frontmatter's YAML text and its Markdown body; undefined without frontmatter. */
export function splitSkillMd(text: string): { yaml: string; body: string } | undefined {
  const m = frontmatterPattern.exec(text);
  if (!m) return undefined;
  return { yaml: m[1] ?? "", body: text.slice(m[0].length) };
}

/** The Markdown after the frontmatter (all of the text when it has none): what a prompt includes as a partial. */
export const skillBody = (skillMd: string): string => splitSkillMd(skillMd)?.body ?? skillMd;

/** The frontmatter as data, or the problem that stops it being read. */
export function readFrontmatter(skillMd: string): { data: Record<string, unknown> } | { problem: SkillProblem } {
  const field = `files["${skillEntryFile}"]`;
  const parts = splitSkillMd(skillMd);
  if (!parts)
    return {
      problem: {
        rule: "frontmatter.missing",
        field,
        message: `${skillEntryFile} must begin with YAML frontmatter: a line "---", the fields name and description, and a line "---"`,
      },
    };
  let data: unknown;
  try {
    // Aliases can expand into huge values (a "billion laughs"); a frontmatter needs none.
    data = parseYaml(parts.yaml, { maxAliasCount: 0, prettyErrors: false });
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return {
      problem: {
        rule: "frontmatter.yaml",
        field,
        message: `${skillEntryFile}'s frontmatter is not valid YAML: ${reason}`,
      },
    };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    return {
      problem: {
        rule: "frontmatter.yaml",
        field,
        message: `${skillEntryFile}'s frontmatter must be a YAML mapping of fields`,
      },
    };
  return { data: data as Record<string, unknown> };
}

/**
 * Every rule a skill's files break, in order (the first is the one an error names). `promptName` is the
 * prompt's name (its last segment must be the frontmatter's name); omit it to check the files alone.
 */
export function skillProblems(files: Record<string, string>, promptName?: string): SkillProblem[] {
  const out: SkillProblem[] = [];
  const paths = Object.keys(files);
  if (paths.length > maxSkillFiles)
    out.push({
      rule: "files.count",
      field: "files",
      message: `A skill has at most ${maxSkillFiles} files (${paths.length} given)`,
    });
  for (const path of paths) {
    const problem = skillPathProblem(path);
    if (problem) out.push(problem);
  }
  out.push(...pathCollisions(paths));
  let total = 0;
  for (const [path, text] of Object.entries(files)) {
    const bytes = byteLength(text);
    total += bytes;
    const field = `files[${JSON.stringify(path)}]`;
    if (bytes > maxSkillFileBytes)
      out.push({
        rule: "file.size",
        field,
        message: `File ${path} has ${bytes} bytes; a file has at most ${maxSkillFileBytes}`,
      });
    // Text as it will be written: a lone surrogate has no UTF-8 form, and NUL marks a binary file.
    if (loneSurrogate.test(text) || text.includes("\u0000"))
      out.push({ rule: "file.text", field, message: `File ${path} must be text (UTF-8, without NUL characters)` });
  }
  if (total > maxSkillBytes)
    out.push({
      rule: "files.size",
      field: "files",
      message: `A skill's files have at most ${maxSkillBytes} bytes together (${total} given)`,
    });
  const skillMd = files[skillEntryFile];
  if (skillMd === undefined) {
    out.push({
      rule: "skill_md.required",
      field: "files",
      message: `A skill needs a ${skillEntryFile} at the top of its folder (the path is case-sensitive)`,
    });
    return out;
  }
  const read = readFrontmatter(skillMd);
  if ("problem" in read) out.push(read.problem);
  else
    out.push(
      ...frontmatterTextProblems(skillMd, splitSkillMd(skillMd)!.yaml),
      ...frontmatterProblems(read.data, promptName),
    );
  return out;
}

/** The frontmatter of a valid skill's SKILL.md (name and description known to be there). */
export function skillFrontmatter(files: Record<string, string>): SkillFrontmatter {
  const read = readFrontmatter(files[skillEntryFile] ?? "");
  const data = "data" in read ? read.data : {};
  return {
    ...data,
    name: typeof data.name === "string" ? data.name : "",
    description: typeof data.description === "string" ? data.description : "",
  };
}

/**
 * SKILL.md's top-level fields outside the Agent Skills specification: none in a version saved since the rule
 * (a save moves them under metadata); a version saved before it may hold some, which the release plan notes.
 */
export function fieldsOutsideSpec(files: Record<string, string>): string[] {
  const read = readFrontmatter(files[skillEntryFile] ?? "");
  const spec: readonly string[] = specSkillFields;
  return "data" in read ? Object.keys(read.data).filter((k) => !spec.includes(k)) : [];
}

/** Paths in the one order every listing, archive and digest uses: SKILL.md first, then by code point. */
export function sortSkillPaths(paths: Iterable<string>): string[] {
  return [...paths].sort((a, b) => (a === skillEntryFile ? -1 : b === skillEntryFile ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The files with their keys in that order (JSONB stores object keys in its own order). */
export function orderedFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(sortSkillPaths(Object.keys(files)).map((p) => [p, files[p]!]));
}

/** A file's mode in a skill: "0755" installs it executable (a script), "0644" as any other file. */
export const skillFileModes = ["0644", "0755"] as const;
export type SkillFileMode = (typeof skillFileModes)[number];
/** The modes a version keeps: its executable files only, in file order; undefined when it has none. */
export type SkillModes = Record<string, "0755">;

/** The executable files among `modes`, for the paths `files` holds, in their order; undefined when none. */
export function executableModes(
  files: Record<string, string>,
  modes: Record<string, string> | undefined,
): SkillModes | undefined {
  const executable = Object.keys(files).filter((p) => modes?.[p] === "0755");
  return executable.length
    ? Object.fromEntries(sortSkillPaths(executable).map((p) => [p, "0755" as const]))
    : undefined;
}

/** A file's mode: what `modes` says, else 0644. */
export const skillFileMode = (modes: SkillModes | undefined, path: string): SkillFileMode =>
  modes?.[path] === "0755" ? "0755" : "0644";
