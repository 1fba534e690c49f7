// lectern pull: writes each prompt as prompts/<name>.yaml, each skill as the folder prompts/<name>/. Files edited since the version they came
// from are never overwritten silently: when the server has moved on, its changes are merged into the
// file (three-way, the server's own merge); conflicts in text get git-style markers; --force discards
// local edits instead.
import { existsSync } from "node:fs";
import path from "node:path";
import { mergeContent } from "../../../lib/registry/merge";
import { bool, str, type Command, type Context } from "../context";
import { CliError, exitCodes } from "../errors";
import type { Content } from "../../../lib/registry/content";
import { serializePrompt, setFileVersion } from "../prompt-file";
import { skillMetaFile, skillMetaPathOf, writeSkillFiles } from "../skill-folder";
import { assertPromptName, assertVersionNumber, contentOf, listPrompts, pool, type VersionBody } from "../remote";
import { localState, sameContent, sameDetails, writeFile } from "../sync";
import {
  caseCollisionMessage,
  caseCollisions,
  historyPathOf,
  inFolder,
  pathOfName,
  readWorkspace,
  type PromptFile,
} from "../workspace";

type Outcome =
  "created" | "updated" | "unchanged" | "merged" | "kept" | "overwritten" | "conflict" | "skipped" | "failed";
interface PullResult {
  name: string;
  file: string;
  outcome: Outcome;
  version?: number;
  from?: number | null;
  message?: string;
  conflicts?: { key: string }[];
}

async function historyFiles(ctx: Context, name: string): Promise<number> {
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
      target,
      head +
        serializePrompt({
          version: v.version,
          description: prompt?.prompt.description ?? "",
          tags: prompt?.prompt.tags ?? [],
          content,
        }),
    );
    if (content.type === "skill") writeSkillFiles(path.dirname(target), content.files);
    written++;
  }
  return written;
}

async function pullOne(
  ctx: Context,
  name: string,
  local: PromptFile | undefined,
  unreadable: boolean,
): Promise<PullResult> {
  const { config, flags } = ctx;
  const remote = ctx.remote();
  const force = bool(flags, "force");
  const environment = str(flags, "environment");
  const d = await remote.detail(name);
  let file = local?.path ?? pathOfName(config.dir, name);
  let shown = path.relative(ctx.io.cwd, file) || file;
  if (!d) return { name, file: shown, outcome: "skipped", message: "no longer on the server" };
  const target = environment ? d.environments[environment] : { version: d.latestVersion.version };
  if (target === undefined)
    return { name, file: shown, outcome: "skipped", message: `the server has no environment ${environment}` };
  if (target === null)
    return { name, file: shown, outcome: "skipped", message: `nothing of ${name} is live in ${environment}` };
  const body = await remote.version(name, target.version);
  const content = contentOf(body);
  // A skill is a folder (skill-folder.ts): its .lectern.yaml, and its files beside it.
  if (!local && content.type === "skill") {
    file = skillMetaPathOf(config.dir, name);
    shown = path.relative(ctx.io.cwd, file) || file;
  }
  const data = { version: target.version, description: d.prompt.description, tags: d.prompt.tags, content };
  const write = (outcome: Outcome, text: string, extra: Partial<PullResult> = {}, written?: Content): PullResult => {
    writeFile(file, text);
    if (written?.type === "skill") writeSkillFiles(path.dirname(file), written.files);
    return { name, file: shown, outcome, version: target.version, from: local?.data.version ?? null, ...extra };
  };

  if (!local && !unreadable) return write("created", serializePrompt(data), {}, content);
  if (unreadable || !local) {
    if (force) return write("overwritten", serializePrompt(data), {}, content);
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
      return write("updated", serializePrompt(data), {}, content);
    }
    // Unchanged content keeps the file's own layout and comments; only version: moves.
    if (sameContent(local.data.content, content) && sameDetails(local, d))
      return write("updated", setFileVersion(local.text, target.version));
    return write(state.kind === "clean" ? "updated" : "overwritten", serializePrompt(data), {}, content);
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
  const base = contentOf(state.base);
  const merged = mergeContent(base, local.data.content, content, {
    ours: "local",
    theirs: `version ${target.version}`,
  });
  if (merged.ok) {
    return write(
      "merged",
      serializePrompt({ ...data, content: merged.content }),
      { message: `merged version ${target.version} into your edits of version ${local.data.version}` },
      merged.content,
    );
  }
  const textOnly = merged.conflicts.every((c) => c.marked !== undefined);
  const keys = merged.conflicts.map((c) => ({ key: c.key }));
  if (textOnly) {
    return write(
      "conflict",
      serializePrompt({ ...data, content: merged.partial }),
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

export const pull: Command = {
  name: "pull",
  summary: "Write every prompt to prompts/<name>.yaml, every skill to prompts/<name>/ (merging local edits)",
  usage: "lectern pull [--environment production] [--dir prompts] [--folder name] [--all-versions] [--force]",
  details: "Without --environment, each prompt's latest version; with it, the version that environment serves.",
  options: {
    environment: {
      type: "string",
      value: "name",
      description: "the version this environment serves, instead of the latest",
    },
    "all-versions": { type: "boolean", description: "also write every version to <dir>/.history/<name>/v<N>.yaml" },
    force: { type: "boolean", description: "replace files even when they were edited locally (discarding the edits)" },
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const { config, out, io } = ctx;
    const ws = readWorkspace(config.dir, io.cwd, { folder: config.folder });
    const prompts = await listPrompts(ctx.api(), config.folder);
    const byName = new Map(ws.files.map((f) => [f.name, f]));
    const unreadable = new Set(ws.problems.map((p) => path.resolve(io.cwd, p.file)));
    for (const p of ws.problems) out.warn(p);
    const collisions = caseCollisions(prompts.map((p) => p.name));
    const results = await pool(prompts, 4, (p) => {
      const local = byName.get(p.name);
      const file = pathOfName(config.dir, p.name);
      const other = collisions.get(p.name);
      if (other !== undefined)
        return Promise.resolve<PullResult>({
          name: p.name,
          file: path.relative(io.cwd, file) || file,
          outcome: "failed",
          message: caseCollisionMessage(p.name, other),
        });
      const bad = !local && (unreadable.has(file) || unreadable.has(file.replace(/\.yaml$/, ".yml")));
      // One prompt that cannot be written (say, config nested too deep for YAML) must not stop the others.
      return pullOne(ctx, p.name, local, bad).catch((e: unknown): PullResult => {
        if (e instanceof CliError) throw e;
        return {
          name: p.name,
          file: path.relative(io.cwd, local?.path ?? file) || file,
          outcome: "failed",
          message: (e as Error).message,
        };
      });
    });
    let history = 0;
    if (bool(ctx.flags, "all-versions")) for (const p of prompts) history += await historyFiles(ctx, p.name);

    const symbol: Record<Outcome, string> = {
      created: out.green("+"),
      updated: out.green("↓"),
      merged: out.green("⇄"),
      overwritten: out.yellow("↓"),
      unchanged: " ",
      kept: out.yellow("~"),
      conflict: out.red("✗"),
      failed: out.red("✗"),
      skipped: out.dim("-"),
    };
    for (const r of results) {
      if (r.outcome === "unchanged") continue;
      const versions =
        r.outcome === "created"
          ? `version ${r.version}`
          : r.from && r.version && r.from !== r.version
            ? `version ${r.from} → ${r.version}`
            : r.version
              ? `version ${r.version}`
              : "";
      const line = `${symbol[r.outcome]} ${r.file} ${r.outcome}${versions ? ` (${versions})` : ""}${r.message ? `: ${r.message}` : ""}`;
      if (r.outcome === "conflict" || r.outcome === "failed")
        out.problem({ file: r.file, message: `${r.outcome}: ${r.message}` });
      else out.line(line);
    }
    const local = ws.files.filter((f) => !prompts.some((p) => p.name === f.name) && inFolder(f.name, config.folder));
    for (const f of local) {
      if (f.data.version !== null)
        out.warn({
          file: f.shown,
          field: "version",
          message: `the server has no prompt ${f.name} (archived, or another project?)`,
        });
    }
    const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
    const conflicts = count("conflict") + count("failed");
    out.line(
      `${prompts.length} prompt${prompts.length === 1 ? "" : "s"}: ${
        (
          [
            "created",
            "updated",
            "merged",
            "overwritten",
            "kept",
            "unchanged",
            "skipped",
            "conflict",
            "failed",
          ] as Outcome[]
        )
          .filter((o) => count(o))
          .map((o) => `${count(o)} ${o}`)
          .join(", ") || "none"
      }${history ? `; ${history} history file${history > 1 ? "s" : ""} written` : ""}`,
    );
    return {
      exitCode: conflicts ? exitCodes.failed : exitCodes.ok,
      result: { prompts: results, historyFiles: history },
    };
  },
};
