// One prompt's pull (pull.ts runs it for each): what the server has, what the file holds, and the write —
// created, updated, merged into local edits, kept, or refused with why.
import path from "node:path";
import { mergeContent } from "../../../lib/registry/changes/merge";
import { bool, str, type Context } from "../context";
import { CliError } from "../errors";
import { collectPartials } from "../../../lib/registry/templates/template";
import { extensionOf, readKind, setVersion, writeKind, type FileKind } from "../file-formats";
import type { Content } from "../../../lib/registry/content";
import type { PromptFileData } from "../prompt-file";
import { skillMetaPathOf, writeSkillFiles } from "../skill-folder";
import { contentOf, latestContents } from "../remote";
import { localState, sameContent, sameDetails, writeFile } from "../sync";
import { pathOfName, type PromptFile } from "../workspace";

export type Outcome =
  "created" | "updated" | "unchanged" | "merged" | "kept" | "overwritten" | "conflict" | "skipped" | "failed";
export interface PullResult {
  name: string;
  file: string;
  outcome: Outcome;
  version?: number;
  from?: number | null;
  message?: string;
  conflicts?: { key: string }[];
}

export async function pullOne(
  ctx: Context,
  name: string,
  local: PromptFile | undefined,
  unreadable: boolean,
  kind: FileKind,
): Promise<PullResult> {
  const { config, flags } = ctx;
  const remote = ctx.remote();
  const force = bool(flags, "force");
  const environment = str(flags, "environment");
  const d = await remote.detail(name);
  let file = local?.path ?? pathOfName(config.dir, name, kind);
  let shown = path.relative(ctx.io.cwd, file) || file;
  if (!d) return { name, file: shown, outcome: "skipped", message: "no longer on the server" };
  const target = environment ? d.environments[environment] : { version: d.latestVersion.version };
  if (target === undefined)
    return { name, file: shown, outcome: "skipped", message: `the server has no environment ${environment}` };
  if (target === null)
    return { name, file: shown, outcome: "skipped", message: `nothing of ${name} is live in ${environment}` };
  const body = await remote.version(name, target.version);
  const served = contentOf(body);
  // A skill is a folder (skill-folder.ts): its .lectern.yaml, and its files beside it; never a format file.
  const skill = served.type === "skill";
  if (skill) kind = "yaml";
  if (!local && skill) {
    file = skillMetaPathOf(config.dir, name);
    shown = path.relative(ctx.io.cwd, file) || file;
  }
  const partials = await latestContents(remote)(skill ? [] : collectPartials(served));
  // A Dotprompt or .prompt.yml file holds the version as it reads back (some tags respelled).
  const content = local ? await local.readBack(served) : served;
  const data = { version: target.version, description: d.prompt.description, tags: d.prompt.tags, content };
  const serialize = (x: PromptFileData) => writeKind(kind, name, x, partials);
  const write = async (
    outcome: Outcome,
    text: string,
    extra: Partial<PullResult> = {},
    written?: Content,
  ): Promise<PullResult> => {
    if (kind !== "yaml") {
      // Written only when it reads back: a file push could not read would be a trap.
      const back = await readKind(kind, text, shown, partials);
      if (!back.data)
        return {
          name,
          file: shown,
          outcome: "failed",
          message: `as a ${extensionOf[kind]} file it would not read back (${back.problems.map((p) => p.message).join("; ")}); pull it with --format yaml`,
        };
    }
    try {
      writeFile(config.dir, file, text);
      if (written?.type === "skill") writeSkillFiles(config.dir, path.dirname(file), written.files, written.modes);
    } catch (e) {
      // A file that may not be written (a link planted in the tree) fails alone; the others are pulled.
      if (e instanceof CliError) return { name, file: shown, outcome: "failed", message: e.message };
      throw e;
    }
    return { name, file: shown, outcome, version: target.version, from: local?.data.version ?? null, ...extra };
  };

  if (!local && !unreadable) return write("created", serialize(data), {}, content);
  if (unreadable || !local) {
    if (force) return write("overwritten", serialize(data), {}, content);
    return {
      name,
      file: shown,
      outcome: "conflict",
      message: "the file cannot be read (see the problems above); fix it, or pull with --force to replace it",
    };
  }
  const state = await localState(remote, local, d);
  if (state.kind === "clean" || force) {
    if (state.kind === "clean" && local.data.version === target.version) {
      if (sameDetails(local, d)) return { name, file: shown, outcome: "unchanged", version: target.version };
      return write("updated", serialize(data), {}, content);
    }
    // Unchanged content keeps the file's own layout and comments; only its version moves.
    if (sameContent(local.data.content, content) && sameDetails(local, d))
      return write("updated", setVersion(kind, local.text, target.version));
    return write(state.kind === "clean" ? "updated" : "overwritten", serialize(data), {}, content);
  }
  if (state.kind === "untracked" || state.kind === "unknown-version") {
    const why =
      state.kind === "untracked"
        ? `has no version: but ${name} exists on the server (version ${d.latestVersion.version})`
        : `says version ${state.version}, which the server does not have`;
    return {
      name,
      file: shown,
      outcome: "conflict",
      message: `the file ${why}; pull with --force to replace it with the server's version`,
    };
  }
  // Edited locally.
  if (local.data.version === target.version)
    return {
      name,
      file: shown,
      outcome: "kept",
      version: target.version,
      message: "edited locally; the server has not changed since (push to save it)",
    };
  if (local.data.version! > target.version) {
    return {
      name,
      file: shown,
      outcome: "conflict",
      message: `edited locally from version ${local.data.version}, newer than version ${target.version} that ${environment} serves; pull with --force to replace it`,
    };
  }
  const base = await local.readBack(contentOf(state.base));
  const merged = mergeContent(base, local.data.content, content, {
    ours: "local",
    theirs: `version ${target.version}`,
  });
  if (merged.ok) {
    return write(
      "merged",
      serialize({ ...data, content: merged.content }),
      { message: `merged version ${target.version} into your edits of version ${local.data.version}` },
      merged.content,
    );
  }
  const textOnly = merged.conflicts.every((c) => c.marked !== undefined);
  const keys = merged.conflicts.map((c) => ({ key: c.key }));
  if (textOnly) {
    return write(
      "conflict",
      serialize({ ...data, content: merged.partial }),
      {
        conflicts: keys,
        message: `your edits and version ${target.version} both changed ${keys.map((k) => k.key).join(", ")}: the file now has <<<<<<< markers there; resolve them, then push`,
      },
      merged.partial,
    );
  }
  return {
    name,
    file: shown,
    outcome: "conflict",
    version: local.data.version!,
    conflicts: keys,
    message: `your edits and version ${target.version} both changed ${keys.map((k) => k.key).join(", ")}; the file was left as it is: merge by hand and set version: ${target.version}, or pull with --force to take the server's`,
  };
}
