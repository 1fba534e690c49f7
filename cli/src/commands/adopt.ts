// lectern adopt <dir>: finds the prompts an application hardcodes in model calls, proposes each as a
// Lectern prompt with typed variables, creates them (version 1, live in development) and with --write
// rewrites each call site to fetch its prompt through the SDK, the original text as the fallback.
import { statSync } from "node:fs";
import path from "node:path";
import { findPrompts, type Adoption } from "../adopt/find";
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
  usage: "lectern adopt <dir> [--dry-run] [--write] [--environment development]",
  details:
    "Reads .ts/.tsx/.js/.mjs/.cjs files with the TypeScript compiler (and .py files with python3's ast, when python3 is on PATH) for prompts passed to the OpenAI and Anthropic SDKs, the AI SDK (generateText, streamText, generateObject, streamObject) and LangChain templates. Each becomes a prompt (version 1, live in the environment) with typed variables from the template's ${…} or {…}. --dry-run prints what it found and left alone and changes nothing. --write also rewrites each call site to fetch the prompt with @lectern/sdk (lectern in Python), the original text as the fallback.",
  options: {
    "dry-run": { type: "boolean", description: "print the prompts found and what was left alone; change nothing" },
    write: { type: "boolean", description: "also rewrite each call site to fetch its prompt through the SDK" },
    environment: {
      type: "string",
      value: "name",
      description: "where the new prompts go live, and what the rewritten code asks for (default development)",
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
    const a = await findPrompts(dir, { env: io.env });
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
    };
    if (dryRun) {
      const rewrites = write ? await rewriteAll(a, { environment, dryRun: true, env: io.env }) : undefined;
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
      rewrites = await rewriteAll(made, { environment, dryRun: false, env: io.env });
      reportRewrites(ctx, rewrites, false);
    }
    const failed = created.length - ok.size;
    out.line(
      `${ok.size} prompt${ok.size === 1 ? "" : "s"} created${failed ? `, ${failed} failed` : ""}, ${a.leftAlone.length} left alone${rewrites ? `, ${rewrites.sites.filter((s) => s.status === "rewritten").length} call sites rewritten` : ""}`,
    );
    return { exitCode: failed ? exitCodes.failed : exitCodes.ok, result: { ...result, created, rewrites } };
  },
};

function reportRewrites(ctx: Context, r: RewriteReport, dryRun: boolean) {
  const { out } = ctx;
  for (const s of r.sites) {
    if (s.status === "rewritten")
      out.line(`${out.green("✎")} ${s.file}:${s.line} ${dryRun ? "would fetch" : "fetches"} ${s.name}`);
    else out.line(`${out.yellow("·")} not rewritten: ${s.file}:${s.line} ${s.name}: ${s.reason}`);
  }
  for (const f of r.files) if (f.note) out.note(`${f.file}: ${f.note}`);
}
