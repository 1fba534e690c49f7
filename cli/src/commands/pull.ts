// lectern pull: writes each prompt as prompts/<name>.yaml, or with --format as a Dotprompt <name>.prompt or
// a GitHub Models <name>.prompt.yml (a prompt that already has a file keeps that file's kind), and each skill as
// the folder prompts/<name>/ (its files and a .lectern.yaml). Files edited
// since the version they came from are never overwritten silently: when the server has moved on, its
// changes are merged into the file (three-way, the server's own merge); conflicts in text get git-style
// markers; --force discards local edits instead.
import path from "node:path";
import { bool, str, type Command } from "../context";
import { CliError, exitCodes } from "../errors";
import { formatFlag } from "../file-formats";
import { listPrompts, pool, latestContents } from "../remote";
import { historyFiles } from "../sync";
import { caseCollisionMessage, caseCollisions, inFolder, pathOfName, readWorkspace } from "../workspace";

import { pullOne, type Outcome, type PullResult } from "./pull-one";

export const pull: Command = {
  name: "pull",
  summary:
    "Write every prompt to prompts/<name>.yaml, .prompt or .prompt.yml, every skill to prompts/<name>/ (merging local edits)",
  usage:
    "lectern pull [--format yaml|dotprompt|prompt.yml] [--environment production] [--dir prompts] [--folder name] [--all-versions] [--force]",
  details:
    "Without --environment, each prompt's latest version; with it, the version that environment serves. --format dotprompt writes Google's Dotprompt (.prompt), --format prompt.yml GitHub Models' .prompt.yml, for prompts that have no file yet; a prompt either format cannot carry is reported and left unwritten.",
  options: {
    format: {
      type: "string",
      value: "kind",
      description: "yaml (default), dotprompt or prompt.yml: the kind of file written for a prompt that has none",
    },
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
    const kind = formatFlag(str(ctx.flags, "format"));
    const ws = await readWorkspace(config.dir, io.cwd, { folder: config.folder, remote: latestContents(ctx.remote()) });
    const prompts = await listPrompts(ctx.api(), config.folder);
    const byName = new Map(ws.files.map((f) => [f.name, f]));
    const unreadable = new Set(ws.problems.map((p) => path.resolve(io.cwd, p.file)));
    for (const p of ws.problems) out.warn(p);
    const collisions = caseCollisions(prompts.map((p) => p.name));
    const results = await pool(prompts, 4, (p) => {
      const local = byName.get(p.name);
      const file = pathOfName(config.dir, p.name, local?.kind ?? kind);
      const other = collisions.get(p.name);
      if (other !== undefined)
        return Promise.resolve<PullResult>({
          name: p.name,
          file: path.relative(io.cwd, file) || file,
          outcome: "failed",
          message: caseCollisionMessage(p.name, other),
        });
      const bad = !local && (unreadable.has(file) || unreadable.has(file.replace(/\.yaml$/, ".yml")));
      // One prompt that cannot be written (say, config nested too deep for YAML, or a construct the
      // chosen format cannot carry) must not stop the others.
      return pullOne(ctx, p.name, local, bad, local?.kind ?? kind).catch((e: unknown): PullResult => {
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
