// A skill's files in the editor's working copy (state.ts): a list of {path, text} the file tree edits, and
// what it becomes when saved. Pure.

/** One file of a skill: its path in the skill's folder, its text, and whether it is installed executable. */
export type FileEdit = { key: string; path: string; text: string; executable?: boolean };

/** A new skill's SKILL.md: the frontmatter the specification requires, named after the prompt's last segment. */
export function skillTemplate(folder: string): string {
  return `---\nname: ${folder}\ndescription: What this skill does, and when an agent should use it.\n---\n\n# ${folder}\n\nSteps the agent follows.\n`;
}

/** A stored skill's files as edits, in their stored order (SKILL.md first), executable ones marked. */
export const fileEdits = (files: Record<string, string>, modes?: Record<string, string>): FileEdit[] =>
  Object.entries(files).map(([path, text], i) => ({
    key: `f${i}`,
    path,
    text,
    ...(modes?.[path] === "0755" ? { executable: true } : {}),
  }));

/** The modes to save: each executable file's, under its path as saved (a renamed script stays executable). */
export const modesOf = (edits: FileEdit[]): Record<string, "0755"> =>
  Object.fromEntries(edits.filter((f) => f.executable).map((f) => [f.path, "0755" as const]));

/** The files to save; a path given twice is an error at the second file (it would silently replace the first). */
export function filesOf(edits: FileEdit[], errors: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  edits.forEach((f, i) => {
    if (Object.hasOwn(files, f.path)) errors[`files.${i}.path`] = `Another file already has the path ${f.path}.`;
    files[f.path] = f.text;
  });
  return files;
}

/** "files.2.path" → "Path of file references/guide.md". */
export function fileLabel(parts: string[], edits: FileEdit[]): string {
  if (parts[1] === undefined || !/^\d+$/.test(parts[1])) return "Files";
  return `Path of file ${edits[Number(parts[1])]?.path ?? Number(parts[1]) + 1}`;
}
