// How a local file relates to the server: which version it is based on, whether it was edited since,
// and whether the server has moved on. Shared by pull, push and status.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Content } from "../../lib/registry/content";
import { deepEqual } from "../../lib/registry/json";
import type { Context } from "./context";
import { serializePrompt } from "./prompt-file";
import {
  assertPromptName,
  assertVersionNumber,
  contentOf,
  type PromptDetail,
  type Remote,
  type VersionBody,
} from "./remote";
import { writeInside } from "./safe-write";
import { modesTracked, skillMetaFile, writeSkillFiles } from "./skill-folder";
import { historyPathOf, type PromptFile } from "./workspace";

export type LocalState =
  | { kind: "untracked" } // no version: in the file, but the prompt exists on the server
  | { kind: "unknown-version"; version: number } // the file names a version the server does not have
  | { kind: "clean"; base: VersionBody; behind: boolean }
  | { kind: "modified"; base: VersionBody; behind: boolean };

/** Where the file system keeps no modes, a skill's modes are the server's: they are not compared. */
const comparable = (c: Content): Content => {
  if (modesTracked || c.type !== "skill") return c;
  const { modes: _modes, ...rest } = c;
  return rest;
};

export const sameContent = (a: Content, b: Content) => deepEqual(comparable(a), comparable(b));

/** Description and tags as the file holds them; Dotprompt and .prompt.yml files have no tags, so they keep the server's. */
export const sameDetails = (f: PromptFile, d: PromptDetail) =>
  f.data.description === d.prompt.description && (f.kind !== "yaml" || deepEqual(f.data.tags, d.prompt.tags));

export async function localState(remote: Remote, f: PromptFile, d: PromptDetail): Promise<LocalState> {
  const v = f.data.version;
  if (v === null) return { kind: "untracked" };
  const latest = d.latestVersion.version;
  if (v > latest) return { kind: "unknown-version", version: v };
  const base = await remote.version(f.name, v);
  const behind = v < latest;
  return sameContent(f.data.content, await f.readBack(contentOf(base)))
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

/** --all-versions: every version of a prompt as <dir>/.history/<name>/v<N>.yaml (written once: versions are immutable). */
export async function historyFiles(ctx: Context, name: string): Promise<number> {
  const api = ctx.api();
  const list = await api.get<{ data: VersionBody[] }>(
    `/api/v1/prompts/${encodeURIComponent(name)}/versions?limit=5000`,
  );
  const prompt = await ctx.remote().detail(name);
  let written = 0;
  for (const v of list.data) {
    assertPromptName(name);
    assertVersionNumber(v.version);
    const file = historyPathOf(ctx.config.dir, name, v.version);
    const content = contentOf(v);
    // A skill's version is a folder: <dir>/.history/<name>/v<N>/ with its files and .lectern.yaml.
    const target = content.type === "skill" ? path.join(file.replace(/\.yaml$/, ""), skillMetaFile) : file;
    // Versions are immutable: a history file once written never needs rewriting.
    if (existsSync(target)) continue;
    const head = `# ${name} version ${v.version}, ${v.createdAt} by ${v.author || "unknown"}${v.commitMessage ? `: ${v.commitMessage.replace(/\s+/g, " ")}` : ""}\n`;
    writeFile(
      ctx.config.dir,
      target,
      head +
        serializePrompt({
          version: v.version,
          description: prompt?.prompt.description ?? "",
          tags: prompt?.prompt.tags ?? [],
          content,
        }),
    );
    if (content.type === "skill") writeSkillFiles(ctx.config.dir, path.dirname(target), content.files, content.modes);
    written++;
  }
  return written;
}
