// What a skill's file paths must be so that the folder can be written on any system that installs it: macOS
// (case- and normalization-insensitive by default, and it ignores some invisible characters in names),
// Windows (case-insensitive; trailing dots and spaces dropped; ':' opens an NTFS stream; CON, NUL, COM1 … are
// devices whatever their extension), Linux, and git (a folder named .git — or one a file system reads as .git
// — is a repository whose config runs commands when `git status` runs there). Pure and zod-free: the server,
// the editor and the CLI judge a path the same way. skill-files.ts holds the rest of a version's rules.
import { bidiControl } from "../name-rules";

/** A broken rule: the rule's id (docs/skills.md lists them), the field it concerns, and a sentence. */
export type SkillProblem = { rule: string; field: string; message: string };

/** A path's bytes and its segments' (a ustar header holds a 100-byte name after a 155-byte prefix). */
export const maxSkillPathBytes = 200;
export const maxSkillSegmentBytes = 100;
export const maxSkillPathDepth = 10;

/** Where `lectern pull` keeps what Lectern holds beside a skill's files: no file of a skill may land there. */
export const skillMetaFile = ".lectern.yaml";

const utf8 = new TextEncoder();
export const byteLength = (text: string): number => utf8.encode(text).length;

// C0 controls, DEL and C1 controls: never part of a file name a person means.
const controlChar = /[\u0000-\u001f\u007f-\u009f]/;
// Code points HFS+ ignores in names (as git's is_hfs_dotgit does): ".g\u200cit" is ".git" there.
const hfsIgnorable = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;
// Characters Windows refuses in a name (':' also opens an NTFS alternate data stream).
const windowsChar = /[<>:"|?*]/;
// Device names Windows reserves whatever follows the first dot ("con.txt", "nul.tar.gz"), with the
// superscript digits it also treats as COM and LPT numbers.
const windowsDevice = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
/** Version-control folders: their config can run programs when a tool looks at the folder. */
const vcsFolders = new Set([".git", ".hg", ".svn", ".bzr", "_darcs", "cvs", ".jj", ".pijul", ".sl", "_fossil_"]);
const vcsFiles = new Set([".fslckout"]);

/** A segment as case- and normalization-insensitive file systems compare names (full case folding, roughly). */
export const foldName = (s: string): string => s.normalize("NFC").toUpperCase().toLowerCase().normalize("NFC");

/** Whether a segment names a version-control folder on some file system (.GIT, .git with invisible characters, git~1). */
function isVcsName(segment: string, isFolder: boolean): boolean {
  const s = foldName(segment.replace(hfsIgnorable, ""));
  // NTFS 8.3 short names: ".git" is also reachable as "git~1" (git refuses these too).
  if (/^git~\d+$/.test(s)) return true;
  return vcsFolders.has(s) || (!isFolder && vcsFiles.has(s));
}

/** What is wrong with one path, or undefined when it is a safe relative path. */
export function skillPathProblem(path: string): SkillProblem | undefined {
  const field = `files[${JSON.stringify(path)}]`;
  const bad = (rule: string, message: string) => ({
    rule,
    field,
    message: `File path ${JSON.stringify(path)}: ${message}`,
  });
  if (path === "") return bad("path.empty", "a path cannot be empty");
  if (controlChar.test(path)) return bad("path.characters", "control characters and NUL are not allowed in paths");
  if (path.includes("\\")) return bad("path.characters", "use '/' between folders; backslashes are not allowed");
  if (bidiControl.test(path))
    return bad("path.bidi", "bidirectional control characters are not allowed: they make a name read as another");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path))
    return bad("path.relative", "paths are relative to the skill's folder; an absolute path is not allowed");
  const segments = path.split("/");
  if (segments.some((s) => s === ".."))
    return bad("path.relative", "'..' is not allowed: every file stays inside the skill's folder");
  if (segments.some((s) => s === "" || s === "."))
    return bad("path.segments", "empty segments ('//', a leading or trailing '/') and '.' are not allowed");
  if (segments.some((s) => s.trim() !== s))
    return bad("path.segments", "a file or folder name cannot start or end with whitespace");
  if (segments.some((s, i) => isVcsName(s, i < segments.length - 1)))
    return bad(
      "path.vcs",
      "version-control folders (.git, .hg, .svn, …) are not allowed: their config runs commands where the skill is installed",
    );
  if (segments.some((s) => s.endsWith(".")))
    return bad("path.windows", "a file or folder name cannot end with '.' (Windows drops it, merging two names)");
  if (segments.some((s) => windowsChar.test(s)))
    return bad(
      "path.windows",
      `the characters < > : " | ? * are not allowed (Windows refuses them; ':' opens a stream)`,
    );
  if (segments.some((s) => windowsDevice.test(s)))
    return bad("path.windows", "CON, PRN, AUX, NUL, COM1–9 and LPT1–9 name devices on Windows, with any extension");
  if (path === skillMetaFile)
    return bad("path.reserved", `${skillMetaFile} is where lectern pull keeps the skill's version beside its files`);
  if (segments.length > maxSkillPathDepth)
    return bad("path.length", `at most ${maxSkillPathDepth} levels of folders and file`);
  if (byteLength(path) > maxSkillPathBytes) return bad("path.length", `at most ${maxSkillPathBytes} bytes (UTF-8)`);
  if (segments.some((s) => byteLength(s) > maxSkillSegmentBytes))
    return bad("path.length", `a file or folder name has at most ${maxSkillSegmentBytes} bytes (UTF-8)`);
  return undefined;
}

/**
 * Paths one file system cannot hold apart: "é.md" in NFC and in NFD (one file on macOS), "Guide.md" and
 * "guide.md" (macOS, Windows), or a file "refs" beside a file "refs/a.md".
 */
export function pathCollisions(paths: string[]): SkillProblem[] {
  const out: SkillProblem[] = [];
  const folded = new Map<string, string>();
  for (const path of paths) {
    const key = foldName(path);
    const other = folded.get(key);
    if (other !== undefined) {
      const sameText = other.normalize("NFC") === path.normalize("NFC");
      out.push({
        rule: sameText ? "path.normalization" : "path.case",
        field: `files[${JSON.stringify(path)}]`,
        message: sameText
          ? `File paths ${JSON.stringify(other)} and ${JSON.stringify(path)} are the same text in two Unicode forms (NFC, NFD); macOS would merge them`
          : `File paths ${JSON.stringify(other)} and ${JSON.stringify(path)} differ only in case; a case-insensitive file system would merge them`,
      });
    }
    folded.set(key, path);
  }
  for (const path of paths) {
    const segments = foldName(path).split("/");
    for (let i = 1; i < segments.length; i++) {
      const folder = folded.get(segments.slice(0, i).join("/"));
      if (folder !== undefined)
        out.push({
          rule: "path.folder",
          field: `files[${JSON.stringify(path)}]`,
          message: `${JSON.stringify(folder)} is a file, so it cannot also be the folder of ${JSON.stringify(path)}`,
        });
    }
  }
  return out;
}
