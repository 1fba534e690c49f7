// lectern export / lectern import: a whole project (environments, every version, the deployment log)
// as one JSON file, moved between Lectern instances. Import fast-forwards and is idempotent; diverged
// history is refused with the list of conflicts and nothing is written.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { bool, str, type Command } from "../context";
import { exitCodes, usageError } from "../errors";
import { ApiError } from "../http";
import { writeFile } from "../sync";

interface Snapshot {
  format: string;
  environments: unknown[];
  prompts: { versions: unknown[]; deployments: unknown[] }[];
}

interface ImportSummary {
  dryRun: boolean;
  changed: boolean;
  environments: { created: string[]; updated: { name: string; fields: string[] }[] };
  prompts: {
    created: string[];
    updated: { name: string; versions: number[]; deployments: Record<string, number>; details: string[] }[];
    unchanged: number;
    ahead: { name: string; latestVersion: number | null; environments: string[] }[];
  };
  totals: { versions: number; deployments: number };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const exportCommand: Command = {
  name: "export",
  summary: "Write the whole project (admin key) as a snapshot file",
  usage: "lectern export [--out project.json]",
  details: "Without --out the snapshot is written to standard output: lectern export > project.json",
  options: { out: { type: "string", value: "file", description: "write here instead of standard output" } },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const snapshot = await ctx.api().get<Snapshot>("/api/v1/snapshot");
    const text = `${JSON.stringify(snapshot, null, 2)}\n`;
    const file = str(ctx.flags, "out");
    const counts = {
      environments: snapshot.environments.length,
      prompts: snapshot.prompts.length,
      versions: snapshot.prompts.reduce((n, p) => n + p.versions.length, 0),
      deployments: snapshot.prompts.reduce((n, p) => n + p.deployments.length, 0),
    };
    if (!file) {
      // The snapshot itself is the output (it is JSON already, --json or not).
      ctx.io.stdout.write(text);
      ctx.out.note(
        `Exported ${plural(counts.prompts, "prompt")} (${plural(counts.versions, "version")}, ${plural(counts.deployments, "deployment")}) and ${plural(counts.environments, "environment")}`,
      );
      return { exitCode: exitCodes.ok, result: { silent: true } };
    }
    const target = path.resolve(ctx.io.cwd, file);
    writeFile(target, text);
    ctx.out.line(
      `Exported ${plural(counts.prompts, "prompt")} (${plural(counts.versions, "version")}, ${plural(counts.deployments, "deployment")}) and ${plural(counts.environments, "environment")} to ${file}`,
    );
    return { exitCode: exitCodes.ok, result: { file, format: snapshot.format, ...counts } };
  },
};

export const importCommand: Command = {
  name: "import",
  summary: "Import a snapshot file into the project (admin key); idempotent",
  usage: "lectern import <file | -> [--dry-run]",
  details:
    "Adds the versions and deployments the project lacks, keeping their numbers, authors and times; takes the snapshot's descriptions, tags and environment rules. Importing the same file again changes nothing. If the histories diverged (same version number, different content; forked deployment logs) nothing is written and the conflicts are listed (exit 1).",
  options: { "dry-run": { type: "boolean", description: "report what would change and write nothing" } },
  args: { min: 1, max: 1 },
  async run(ctx) {
    const source = ctx.args[0]!;
    let text: string;
    if (source === "-") text = await ctx.io.readStdin();
    else {
      const file = path.resolve(ctx.io.cwd, source);
      if (!existsSync(file)) throw usageError(`${source}: no such file`, { file: source });
      text = readFileSync(file, "utf8");
    }
    let snapshot: unknown;
    try {
      snapshot = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, {
        code: "invalid_input",
        message: `${source}: not valid JSON (${(e as Error).message})`,
      });
    }
    const dryRun = bool(ctx.flags, "dry-run");
    const { out } = ctx;
    try {
      const r = await ctx.api().post<ImportSummary>(`/api/v1/snapshot${dryRun ? "?dryRun=true" : ""}`, snapshot);
      const would = dryRun ? "would be " : "";
      if (!r.changed)
        out.line(
          `${out.green("✓")} Nothing to import: this project already has everything in ${source === "-" ? "the snapshot" : source}.`,
        );
      for (const e of r.environments.created) out.line(`${out.green("+")} environment ${e} ${would}created`);
      for (const e of r.environments.updated)
        out.line(`${out.green("~")} environment ${e.name}: ${e.fields.join(", ")} ${would}updated`);
      for (const p of r.prompts.created) out.line(`${out.green("+")} ${p} ${would}created`);
      for (const p of r.prompts.updated) {
        const parts = [
          p.versions.length ? `versions ${p.versions.join(", ")}` : "",
          ...Object.entries(p.deployments).map(([env, n]) => `${plural(n, "deployment")} in ${env}`),
          p.details.length ? p.details.join(", ") : "",
        ].filter(Boolean);
        out.line(`${out.green("↑")} ${p.name}: ${parts.join("; ")} ${would}added`);
      }
      for (const a of r.prompts.ahead)
        out.note(
          `· ${a.name}: this project has more than the snapshot (${[a.latestVersion ? `up to version ${a.latestVersion}` : "", a.environments.length ? `later deployments in ${a.environments.join(", ")}` : ""].filter(Boolean).join("; ")}); kept`,
        );
      if (r.changed)
        out.line(
          `${dryRun ? "Dry run: " : ""}${plural(r.totals.versions, "version")} and ${plural(r.totals.deployments, "deployment")} ${dryRun ? "would be imported; nothing was written" : "imported"}; ${r.prompts.unchanged} prompt${r.prompts.unchanged === 1 ? "" : "s"} unchanged`,
        );
      return { exitCode: exitCodes.ok, result: { ...r } };
    } catch (e) {
      if (e instanceof ApiError && e.body.code === "conflict" && Array.isArray(e.body.details?.conflicts)) {
        const conflicts = e.body.details.conflicts as { message: string; summary?: string[] }[];
        out.problem({ file: source, message: e.message });
        for (const c of conflicts) {
          out.line(`    ${c.message}`);
          for (const s of c.summary ?? []) out.line(`      ${s}`);
        }
        return { exitCode: exitCodes.failed, result: { conflicts } };
      }
      throw e;
    }
  },
};
