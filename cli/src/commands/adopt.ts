// lectern adopt <dir>: finds the prompts an application hardcodes in model calls, proposes each as a
// Lectern prompt with typed variables, creates them (version 1, live in development) and with --write
// rewrites each call site to fetch its prompt through the SDK, the original text as the fallback, and adds
// the SDK to package.json. Before anything is created, --write refuses a git tree whose files it would
// touch hold uncommitted changes (unless --force).
import { statSync } from "node:fs";
import path from "node:path";
import { findPrompts, type Adoption } from "../adopt/find";
import { uncommitted } from "../adopt/git";
import { describeFound, serverVariables, type Found } from "../adopt/model";
import { rewriteAll, type RewriteReport } from "../adopt/rewrite";
import { bool, str, type Command, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { ApiError, promptPath } from "../http";

export interface Created {
  name: string;
  file: string;
  line: number;
  status: "created" | "failed";
  environment?: string;
  message?: string;
}

function show(ctx: Context, a: Adoption, dryRun: boolean) {
  const { out } = ctx;
  for (const [i, f] of a.found.entries()) {
    const vars = f.variables.map((v) => `${v.name}: ${v.type}`).join(", ") || "none";
    const ph = f.placeholders.length ? `; placeholders: ${f.placeholders.map((p) => p.name).join(", ")}` : "";
    out.line(
      `${out.green("+")} ${f.file}:${f.line} ${out.bold(a.names[i]!)} (${f.type}, the ${f.property} of ${f.call}) variables: ${vars}${ph}`,
    );
    for (const n of f.notes) out.line(`    ${out.dim("note:")} ${n}`);
  }
  for (const l of a.leftAlone)
    out.line(`${out.yellow("·")} left alone: ${l.file}:${l.line} the ${l.property} of ${l.call}: ${l.reason}`);
  for (const s of a.skipped) out.line(`${out.dim("·")} skipped ${s.file}: ${s.reason}`);
  for (const n of a.notes) out.note(n);
  if (dryRun)
    out.line(
      `Dry run: ${a.found.length} prompt${a.found.length === 1 ? "" : "s"} found, ${a.leftAlone.length} left alone; nothing was created or changed`,
    );
}

/** A name no prompt on the server has: the proposal, or the proposal with -2, -3… */
async function freeName(ctx: Context, name: string, used: Set<string>): Promise<string> {
  for (let i = 1; ; i++) {
    const n = i === 1 ? name : `${name}-${i}`;
    if (used.has(n)) continue;
    if (!(await ctx.remote().detail(n))) {
      used.add(n);
      return n;
    }
  }
}

async function createOne(ctx: Context, f: Found, name: string, environment: string): Promise<Created> {
  const base = { name, file: f.file, line: f.line };
  try {
    await ctx.api().post("/api/v1/prompts", {
      name,
      description: describeFound(f),
      tags: ["adopted"],
      type: f.type,
      template: f.template,
      variables: serverVariables(f),
      commitMessage: `Adopted from ${f.file}:${f.line} by lectern adopt`,
    });
  } catch (e) {
    if (e instanceof ApiError && e.exitCode === exitCodes.failed)
      return { ...base, status: "failed", message: e.message };
    throw e;
  }
  try {
    await ctx.api().post(promptPath(name, "/deployments"), { environment, version: 1, reason: "lectern adopt" });
    return { ...base, status: "created", environment };
  } catch (e) {
    if (e instanceof ApiError && e.exitCode === exitCodes.failed)
      return { ...base, status: "failed", message: `created, but not made live in ${environment}: ${e.message}` };
    throw e;
  }
}

export const adopt: Command = {
  name: "adopt",
  summary: "Find prompts hardcoded in model calls and make them Lectern prompts (--write rewrites the calls)",
  usage: "lectern adopt <dir> [--dry-run] [--write] [--environment development] [--allow-secrets] [--force]",
  details:
    "Reads .ts/.tsx/.js/.jsx/.mjs/.cjs files with the parser bundled into lectern (no TypeScript needed; the project's TypeScript, when installed, types the variables) and .py files with python3's ast (when python3 is on PATH), for prompts passed to the OpenAI and Anthropic SDKs, the AI SDK (generateText, streamText, generateObject, streamObject) and LangChain templates. Each becomes a prompt (version 1, live in the environment) named after what the call does, with variables from the template's ${…} or {…}; text holding what looks like a secret is left alone. --dry-run prints what it found and left alone and changes nothing. --write also rewrites each call site to fetch the prompt with @lectern/sdk (lectern in Python), the original text as the fallback, reading LECTERN_BASE_URL and LECTERN_RUNTIME_KEY, and adds @lectern/sdk to package.json; it writes only regular files of the directory with one link and valid UTF-8, and refuses a git tree whose files it would touch have uncommitted changes or are ignored by git.",
  options: {
    "dry-run": { type: "boolean", description: "print the prompts found and what was left alone; change nothing" },
    write: {
      type: "boolean",
      description: "also rewrite each call site to fetch its prompt through the SDK, and add the SDK to package.json",
    },
    environment: {
      type: "string",
      value: "name",
      description: "where the new prompts go live, and what the rewritten code asks for (default development)",
    },
    "allow-secrets": {
      type: "boolean",
      description: "adopt text that looks like it holds a key or token (it is uploaded to Lectern as it is)",
    },
    force: {
      type: "boolean",
      description: "--write even when the files it would touch have uncommitted changes or are ignored by git",
    },
  },
  args: { min: 1, max: 1 },
  async run(ctx) {
    const { out, io, flags } = ctx;
    const dir = path.resolve(io.cwd, ctx.args[0]!);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw usageError(`${ctx.args[0]} is not a directory`);
    const dryRun = bool(flags, "dry-run");
    const write = bool(flags, "write");
    const environment = str(flags, "environment") ?? "development";
    const a = await findPrompts(dir, { env: io.env, allowSecrets: bool(flags, "allow-secrets") });
    const rewriteOpts = { environment, env: io.env, baseUrl: ctx.config.baseUrl };
    if (!dryRun && write) await refuseUncommitted(ctx, a, rewriteOpts);
    if (!dryRun && a.found.length) {
      // The proposals must not take a name the server already has: adopting twice makes new prompts.
      const used = new Set<string>();
      for (const [i, name] of a.names.entries()) a.names[i] = await freeName(ctx, name, used);
    }
    show(ctx, a, dryRun);
    const result = {
      dryRun,
      found: a.found.map((f, i) => ({ ...f, name: a.names[i] })),
      leftAlone: a.leftAlone,
      skipped: a.skipped,
      notes: a.notes,
    };
    if (dryRun) {
      const rewrites = write ? (await rewriteAll(a, { ...rewriteOpts, dryRun: true })).report : undefined;
      if (rewrites) reportRewrites(ctx, rewrites, true);
      return { exitCode: exitCodes.ok, result: { ...result, rewrites } };
    }
    const created: Created[] = [];
    for (const [i, f] of a.found.entries()) {
      const c = await createOne(ctx, f, a.names[i]!, environment);
      created.push(c);
      if (c.status === "created") out.line(`${out.green("✓")} ${c.name} created, live in ${environment}`);
      else out.problem({ file: c.file, line: c.line, message: `${c.name}: ${c.message}` });
    }
    const ok = new Set(created.filter((c) => c.status === "created").map((c) => c.name));
    let rewrites: RewriteReport | undefined;
    if (write) {
      const keep = a.found.map((_, i) => ok.has(a.names[i]!));
      const made = { root: a.root, found: a.found.filter((_, i) => keep[i]), names: a.names.filter((_, i) => keep[i]) };
      rewrites = (await rewriteAll(made, { ...rewriteOpts, dryRun: false })).report;
      reportRewrites(ctx, rewrites, false);
    }
    const failed = created.length - ok.size;
    out.line(
      `${ok.size} prompt${ok.size === 1 ? "" : "s"} created${failed ? `, ${failed} failed` : ""}, ${a.leftAlone.length} left alone${rewrites ? `, ${rewrites.sites.filter((s) => s.status === "rewritten").length} call sites rewritten` : ""}`,
    );
    return { exitCode: failed ? exitCodes.failed : exitCodes.ok, result: { ...result, created, rewrites } };
  },
};

/** --write in a git tree: the files it would touch must be committed as they are (or --force). */
async function refuseUncommitted(
  ctx: Context,
  a: Adoption,
  opts: { environment: string; env: Record<string, string | undefined>; baseUrl?: string },
) {
  const { touched } = await rewriteAll(a, { ...opts, dryRun: true });
  const git = await uncommitted(a.root, touched, ctx.io.env);
  const shown = (f: string) => path.relative(ctx.io.cwd, f) || f;
  if ("notChecked" in git) return ctx.out.note(`Uncommitted changes were not checked (${git.notChecked})`);
  if (!("dirty" in git)) return;
  const force = bool(ctx.flags, "force");
  if (git.ignored.length) {
    const list = git.ignored.map(shown).join(", ");
    if (force) ctx.out.note(`--force: rewriting files git ignores (${list})`);
    else
      throw usageError(
        `--write would change files git ignores: ${list}. Git keeps no copy of them, so it could not show or undo what adopt changed; pass --force to rewrite them anyway; nothing was created or changed`,
        { code: "ignored_files", details: { files: git.ignored.map(shown) } },
      );
  }
  if (git.dirty.length) {
    const list = git.dirty.map(shown).join(", ");
    if (force) ctx.out.note(`--force: rewriting files with uncommitted changes (${list})`);
    else
      throw usageError(
        `--write would change files with uncommitted changes: ${list}. Commit or stash them first (so git shows what adopt changed and can undo it), or pass --force; nothing was created or changed`,
        { code: "uncommitted_changes", details: { files: git.dirty.map(shown) } },
      );
  }
}

function reportRewrites(ctx: Context, r: RewriteReport, dryRun: boolean) {
  const { out } = ctx;
  for (const s of r.sites) {
    if (s.status === "rewritten")
      out.line(`${out.green("✎")} ${s.file}:${s.line} ${dryRun ? "would fetch" : "fetches"} ${s.name}`);
    else out.line(`${out.yellow("·")} not rewritten: ${s.file}:${s.line} ${s.name}: ${s.reason}`);
  }
  for (const f of r.files) if (f.note) out.note(`${f.file}: ${f.note}`);
  for (const d of r.dependencies) {
    if (d.status === "added")
      out.line(`${out.green("✎")} ${d.file} ${dryRun ? "would depend" : "depends"} on @lectern/sdk: run npm install`);
    else if (d.status === "skipped") out.note(`${d.file}: @lectern/sdk not added: ${d.reason}`);
  }
}
