// lectern push: every file (Lectern YAML, Dotprompt .prompt, GitHub .prompt.yml) whose content differs
// from the version it came from becomes a new version
// based on that version. The server refuses (409) a file based on an older version than the latest;
// that file is reported with both diffs and left as it is. Files are validated first, all of them,
// before any request; partials are pushed before the prompts that include them.
import type { Content } from "../../../lib/registry/content";
import { diffContent, type ContentDiff } from "../../../lib/registry/changes/diff";
import { bool, str, type Command, type Context } from "../context";
import { exitCodes } from "../errors";
import { diffLines } from "../diff-text";
import { ApiError, promptPath } from "../http";
import { setVersion } from "../file-formats";
import { fieldToPath, showPath } from "../prompt-file";
import { contentOf, latestContents } from "../remote";
import { modesTracked } from "../skill-folder";
import { localState, sameDetails, writeFile } from "../sync";
import { partialsFirst, readWorkspace, type PromptFile } from "../workspace";

type Status = "created" | "updated" | "details" | "unchanged" | "behind" | "conflict" | "failed";
export interface PushResult {
  name: string;
  file: string;
  status: Status;
  /** The version the file is at after the push (a new one for created/updated). */
  version?: number;
  baseVersion?: number | null;
  dryRun?: boolean;
  message?: string;
  diff?: ContentDiff;
  /** Conflicts: what the server changed since the file's version. */
  serverDiff?: ContentDiff;
  latestVersion?: number;
  warnings?: string[];
}

// A skill's modes are sent where the file system keeps them ({} makes every file 0644); elsewhere the server
// keeps the latest version's.
const body = (c: Content) => ({
  type: c.type,
  ...(c.type === "skill"
    ? { files: c.files, ...(modesTracked ? { modes: c.modes ?? {} } : {}) }
    : { template: c.template }),
  variables: c.variables,
  config: c.config,
  examples: c.examples,
});

/** A 4xx from the server about one file, with the field located in the file when the server named one. */
function failed(f: PromptFile, e: ApiError): PushResult {
  const field = typeof e.body.details?.field === "string" ? e.body.details.field : undefined;
  const where = field ? showPath(fieldToPath(field, f.data.content.type)) : undefined;
  return { name: f.name, file: f.shown, status: "failed", message: `${where ? `${where}: ` : ""}${e.message}` };
}

async function pushOne(ctx: Context, f: PromptFile, message: string, dryRun: boolean): Promise<PushResult> {
  const remote = ctx.remote();
  const api = ctx.api();
  const d = await remote.detail(f.name);
  const base: Pick<PushResult, "name" | "file"> = { name: f.name, file: f.shown };
  const content = f.data.content;

  if (!d) {
    if (f.data.version !== null)
      return {
        ...base,
        status: "failed",
        message: `the file says it came from version ${f.data.version}, but the server has no prompt ${f.name} (another server or project? remove version: to create it)`,
      };
    const diff = diffContent(null, content);
    if (dryRun) return { ...base, status: "created", dryRun, version: 1, baseVersion: null, diff };
    try {
      const r = await api.post<{ version: { version: number }; warnings: string[] }>("/api/v1/prompts", {
        name: f.name,
        description: f.data.description,
        tags: f.data.tags,
        ...body(content),
        commitMessage: message,
      });
      writeFile(ctx.config.dir, f.path, setVersion(f.kind, f.text, r.version.version));
      return { ...base, status: "created", version: r.version.version, baseVersion: null, diff, warnings: r.warnings };
    } catch (e) {
      if (e instanceof ApiError && e.exitCode === exitCodes.failed) return failed(f, e);
      throw e;
    }
  }

  const latest = d.latestVersion.version;
  const state = await localState(remote, f, d);
  if (state.kind === "untracked")
    return {
      ...base,
      status: "conflict",
      latestVersion: latest,
      message: `${f.name} already exists on the server (version ${latest}) and this file has no version:; run lectern pull to start from it`,
    };
  if (state.kind === "unknown-version")
    return {
      ...base,
      status: "failed",
      message: `the file says version ${state.version}, but the server's latest is ${latest} (another server or project?)`,
    };

  const from = f.data.version!;
  if (state.kind === "clean") {
    if (state.behind)
      return {
        ...base,
        status: "behind",
        version: from,
        latestVersion: latest,
        message: `unchanged; the server has version ${latest} (lectern pull to update the file)`,
      };
    if (sameDetails(f, d)) return { ...base, status: "unchanged", version: from };
    // Description and tags are not versioned: they follow the file only when it is at the latest version.
    if (!dryRun) await detailsPatch(ctx, f);
    return { ...base, status: "details", version: from, dryRun, message: "description or tags updated" };
  }

  const diff = diffContent(await f.readBack(contentOf(state.base)), content);
  if (dryRun) {
    if (state.behind) return conflictResult(ctx, f, from, latest, diff, true);
    return { ...base, status: "updated", dryRun, version: latest + 1, baseVersion: from, diff };
  }
  try {
    const r = await api.post<{ version: number; warnings: string[] }>(promptPath(f.name, "/versions"), {
      ...body(content),
      commitMessage: message,
      baseVersion: from,
    });
    writeFile(ctx.config.dir, f.path, setVersion(f.kind, f.text, r.version));
    remote.forget(f.name);
    if (!sameDetails(f, d)) await detailsPatch(ctx, f);
    return { ...base, status: "updated", version: r.version, baseVersion: from, diff, warnings: r.warnings };
  } catch (e) {
    if (e instanceof ApiError && e.body.code === "conflict") {
      const l = e.body.details?.latestVersion;
      return conflictResult(ctx, f, from, typeof l === "number" ? l : latest, diff, false, e.message);
    }
    if (e instanceof ApiError && e.exitCode === exitCodes.failed) return failed(f, e);
    throw e;
  }
}

async function detailsPatch(ctx: Context, f: PromptFile) {
  // Dotprompt and .prompt.yml files have no tags: the server's stay.
  const tags = f.kind === "yaml" ? { tags: f.data.tags } : {};
  await ctx.api().patch(promptPath(f.name), { description: f.data.description, ...tags });
  ctx.remote().forget(f.name);
}

async function conflictResult(
  ctx: Context,
  f: PromptFile,
  from: number,
  latest: number,
  diff: ContentDiff,
  dryRun: boolean,
  serverMessage?: string,
): Promise<PushResult> {
  const [b, l] = await Promise.all([ctx.remote().version(f.name, from), ctx.remote().version(f.name, latest)]);
  return {
    name: f.name,
    file: f.shown,
    status: "conflict",
    dryRun,
    version: from,
    baseVersion: from,
    latestVersion: latest,
    diff,
    serverDiff: diffContent(contentOf(b), contentOf(l)),
    message: serverMessage ?? `this file is based on version ${from}, but version ${latest} has been saved since`,
  };
}

function report(ctx: Context, r: PushResult): void {
  const { out } = ctx;
  const would = r.dryRun ? "would be " : "";
  switch (r.status) {
    case "unchanged":
      return;
    case "created":
    case "updated":
      out.line(
        `${out.green(r.status === "created" ? "+" : "↑")} ${r.file} ${would}${r.status} (${r.status === "created" ? "version 1" : `version ${r.baseVersion} → ${r.version}`})`,
      );
      if (r.dryRun && r.diff) for (const l of diffLines(r.diff, out, "    ")) out.line(l);
      for (const w of r.warnings ?? []) out.warn({ file: r.file, message: w });
      return;
    case "details":
      out.line(`${out.green("↑")} ${r.file} ${r.dryRun ? "description or tags would be updated" : r.message}`);
      return;
    case "behind":
      out.line(`${out.dim("·")} ${r.file} ${r.message}`);
      return;
    case "failed":
      out.problem({ file: r.file, message: r.message ?? "failed" });
      return;
    case "conflict": {
      out.problem({ file: r.file, message: `conflict: ${r.message}${r.dryRun ? " (the push would be refused)" : ""}` });
      if (r.serverDiff) {
        out.line(`    changed on the server since version ${r.baseVersion} (→ version ${r.latestVersion}):`);
        for (const l of diffLines(r.serverDiff, out, "      ")) out.line(l);
      }
      if (r.diff) {
        out.line(`    your changes (version ${r.baseVersion} → this file):`);
        for (const l of diffLines(r.diff, out, "      ")) out.line(l);
      }
      if (r.latestVersion)
        out.line(
          `    Nothing was saved for this file. Run lectern pull to merge version ${r.latestVersion} into it, then push again.`,
        );
    }
  }
}

async function promoteAll(ctx: Context, results: PushResult[], environment: string, reason: string) {
  const promoted: { name: string; version: number; environment: string; error?: string }[] = [];
  for (const r of results) {
    if ((r.status !== "created" && r.status !== "updated") || r.dryRun || r.version === undefined) continue;
    try {
      await ctx.api().post(promptPath(r.name, "/deployments"), { environment, version: r.version, reason });
      ctx.out.line(`${ctx.out.green("→")} ${r.name} version ${r.version} promoted to ${environment}`);
      promoted.push({ name: r.name, version: r.version, environment });
    } catch (e) {
      if (!(e instanceof ApiError) || e.exitCode !== exitCodes.failed) throw e;
      ctx.out.problem({ file: r.file, message: `promote to ${environment}: ${e.message}` });
      promoted.push({ name: r.name, version: r.version, environment, error: e.message });
    }
  }
  return promoted;
}

export const push: Command = {
  name: "push",
  summary:
    "Save every changed file (.yaml, .prompt, .prompt.yml) as a new version (validated first; conflicts refused)",
  usage: "lectern push [--dir prompts] [--folder name] [--message text] [--dry-run] [--promote environment]",
  details:
    "Each changed file becomes a new version based on the version in its version: line, which is then updated. A file based on an older version than the latest is refused with both diffs (exit 1); run lectern pull to merge, then push again. New files create prompts.",
  options: {
    message: {
      type: "string",
      short: "m",
      value: "text",
      description: "the commit message of the new versions (default: lectern push)",
    },
    "dry-run": { type: "boolean", description: "print what would be saved, with diffs, and save nothing" },
    promote: {
      type: "string",
      value: "environment",
      description: "then promote every version this push created to this environment",
    },
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const { config, out, io, flags } = ctx;
    const ws = await readWorkspace(config.dir, io.cwd, { folder: config.folder, remote: latestContents(ctx.remote()) });
    if (ws.outside.length)
      out.note(
        `${ws.outside.length} file${ws.outside.length > 1 ? "s" : ""} outside folder ${config.folder} left out (${ws.outside.slice(0, 3).join(", ")}${ws.outside.length > 3 ? ", …" : ""})`,
      );
    for (const w of ws.warnings) out.warn(w);
    for (const p of ws.problems) out.problem(p);
    if (ws.problems.length) {
      out.line(`${ws.problems.length} problem${ws.problems.length > 1 ? "s" : ""}: nothing was pushed`);
      return { exitCode: exitCodes.failed, result: { files: [] } };
    }
    const dryRun = bool(flags, "dry-run");
    const message = str(flags, "message") ?? "lectern push";
    const results: PushResult[] = [];
    for (const f of partialsFirst(ws.files)) {
      const r = await pushOne(ctx, f, message, dryRun);
      report(ctx, r);
      results.push(r);
    }
    const environment = str(flags, "promote");
    const promoted = environment ? await promoteAll(ctx, results, environment, message) : [];
    const count = (s: Status) => results.filter((r) => r.status === s).length;
    const parts = (["created", "updated", "details", "unchanged", "behind", "conflict", "failed"] as Status[])
      .filter((s) => count(s))
      .map((s) => `${count(s)} ${s === "details" ? "details updated" : s}`);
    out.line(
      `${dryRun ? "Dry run: " : ""}${ws.files.length} file${ws.files.length === 1 ? "" : "s"}: ${parts.join(", ") || "none"}${dryRun ? "; nothing was saved" : ""}`,
    );
    const bad = count("conflict") + count("failed") + promoted.filter((p) => p.error).length;
    for (const r of results) if (r.diff && !r.dryRun && r.status !== "conflict") delete r.diff;
    return { exitCode: bad ? exitCodes.failed : exitCodes.ok, result: { dryRun, files: results, promoted } };
  },
};
