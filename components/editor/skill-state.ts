// A skill's files in the editor's working copy (state.ts): a list of {path, text} the file tree edits, and
// what it becomes when saved. Pure.

/** One file of a skill: its path in the skill's folder, its text, and whether it is installed executable. */
export type FileDraft = { key: string; path: string; text: string; executable?: boolean };

/** A new skill's SKILL.md: the frontmatter the specification requires, named after the prompt's last segment. */
export function skillTemplate(folder: string): string {
  return `---\nname: ${folder}\ndescription: What this skill does, and when an agent should use it.\n---\n\n# ${folder}\n\nSteps the agent follows.\n`;
}

/** A stored skill's files as drafts, in their stored order (SKILL.md first), executable ones marked. */
export const fileDrafts = (files: Record<string, string>, modes?: Record<string, string>): FileDraft[] =>
  Object.entries(files).map(([path, text], i) => ({
    key: `f${i}`,
    path,
    text,
    ...(modes?.[path] === "0755" ? { executable: true } : {}),
  }));

/** The modes to save: each executable file's, under its path as saved (a renamed script stays executable). */
export const modesOf = (drafts: FileDraft[]): Record<string, "0755"> =>
  Object.fromEntries(drafts.filter((f) => f.executable).map((f) => [f.path, "0755" as const]));

/** The files to save; a path given twice is an error at the second file (it would silently replace the first). */
export function filesOf(drafts: FileDraft[], errors: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  drafts.forEach((f, i) => {
    if (Object.hasOwn(files, f.path)) errors[`files.${i}.path`] = `Another file already has the path ${f.path}.`;
    files[f.path] = f.text;
  });
  return files;
}

/** "files.2.path" → "Path of file references/guide.md". */
export function fileLabel(parts: string[], drafts: FileDraft[]): string {
  if (parts[1] === undefined || !/^\d+$/.test(parts[1])) return "Files";
  return `Path of file ${drafts[Number(parts[1])]?.path ?? Number(parts[1]) + 1}`;
}
