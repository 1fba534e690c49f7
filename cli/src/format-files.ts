// Reading the Dotprompt and .prompt.yml files of a prompts directory (workspace.ts finds them): each once
// the partials it includes are known, from the other files first, else from the server.
import type { Content } from "../../lib/registry/content";
import { partialNamesIn } from "../../lib/registry/formats/files";
import { asRead, readKind, type FileKind } from "./file-formats";
import type { FileProblem, ParsedFile, PromptFileData } from "./prompt-file";

export interface PromptFile {
  name: string;
  /** Absolute path. */
  path: string;
  /** As shown to people: relative to the working directory. */
  shown: string;
  text: string;
  data: PromptFileData;
  kind: FileKind;
  /** Lectern's YAML only: the document, for line numbers. */
  parsed?: ParsedFile;
  /** What a version reads back as from a file of this kind (Dotprompt and .prompt.yml respell some tags). */
  readBack(content: Content): Promise<Content>;
}

/** Prompts' contents from the server, for partials a Dotprompt or .prompt.yml file includes that are not local. */
export type RemoteContents = (names: string[]) => Promise<Map<string, Content>>;

export type PendingFile = { name: string; path: string; shown: string; text: string; kind: Exclude<FileKind, "yaml"> };

/** Dotprompt and .prompt.yml files, each once the partials it includes are known (local first). */
export async function readFormatFiles(
  pending: PendingFile[],
  files: PromptFile[],
  problems: FileProblem[],
  warnings: FileProblem[],
  remote: RemoteContents | undefined,
): Promise<void> {
  if (!pending.length) return;
  const contents = new Map<string, Content>(files.map((f) => [f.name, f.data.content]));
  const local = new Set([...contents.keys(), ...pending.map((p) => p.name)]);
  const wanted = [...new Set(pending.flatMap((p) => partialNamesIn(p.text)))].filter((n) => !local.has(n));
  if (wanted.length && remote) for (const [n, c] of await remote(wanted)) contents.set(n, c);
  let left = [...pending];
  while (left.length) {
    // A file whose local partials are all read goes next; a cycle is left to the reader to refuse.
    const ready = left.filter((p) =>
      partialNamesIn(p.text).every((n) => contents.has(n) || !local.has(n) || n === p.name),
    );
    const batch = ready.length ? ready : left;
    for (const p of batch) {
      const missing = partialNamesIn(p.text).filter((n) => !contents.has(n) && n !== p.name);
      if (missing.length && !remote) {
        warnings.push({
          file: p.shown,
          message: `not checked: it includes ${missing.join(", ")}, which ${missing.length > 1 ? "are" : "is"} not in this directory (push and status read it from the server)`,
        });
        continue;
      }
      const r = await readKind(p.kind, p.text, p.shown, contents);
      problems.push(...r.problems);
      warnings.push(...r.warnings);
      if (!r.data) continue;
      contents.set(p.name, r.data.content);
      const kind = p.kind;
      const name = p.name;
      files.push({ ...p, data: r.data, readBack: (c) => asRead(kind, name, c, contents) });
    }
    left = left.filter((p) => !batch.includes(p));
  }
}
