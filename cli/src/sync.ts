// How a local file relates to the server: which version it is based on, whether it was edited since,
// and whether the server has moved on. Shared by pull, push and status.
import type { Content } from "../../lib/registry/content";
import { deepEqual } from "../../lib/registry/json";
import { contentOf, type PromptDetail, type Remote, type VersionBody } from "./remote";
import type { PromptFile } from "./workspace";
import { writeInside } from "./safe-write";

export type LocalState =
  | { kind: "untracked" } // no version: in the file, but the prompt exists on the server
  | { kind: "unknown-version"; version: number } // the file names a version the server does not have
  | { kind: "clean"; base: VersionBody; behind: boolean }
  | { kind: "modified"; base: VersionBody; behind: boolean };

export const sameContent = (a: Content, b: Content) => deepEqual(a, b);

export const sameDetails = (f: PromptFile, d: PromptDetail) =>
  f.data.description === d.prompt.description && deepEqual(f.data.tags, d.prompt.tags);

export async function localState(remote: Remote, f: PromptFile, d: PromptDetail): Promise<LocalState> {
  const v = f.data.version;
  if (v === null) return { kind: "untracked" };
  const latest = d.latestVersion.version;
  if (v > latest) return { kind: "unknown-version", version: v };
  const base = await remote.version(f.name, v);
  const behind = v < latest;
  return sameContent(f.data.content, contentOf(base))
    ? { kind: "clean", base, behind }
    : { kind: "modified", base, behind };
}

/**
 * Writes a file of the directory `root` (the prompts directory): never through a symbolic or hard link, never
 * to a folder whose real path leaves it, so a link planted in a repository cannot point a pull elsewhere.
 */
export function writeFile(root: string, file: string, text: string): void {
  writeInside(root, file, text);
}
