// lectern export / lectern import: a whole project (environments, every version, the deployment log)
// as one JSON file, moved between Lectern instances. Import fast-forwards and is idempotent; diverged
// history is refused with the list of conflicts and nothing is written.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { bool, str, type Command, type CommandResult, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { ApiError } from "../http";
import { writeFile } from "../sync";
import { importPezzo } from "./import-pezzo";
import { importApi, importLangSmith, importPromptLayer } from "./import-foreign";
import { importPromptFileCommand, isPromptFile } from "./import-file";

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
    updated: {
      name: string;
      versions: number[];
      deployments: Record<string, number>;
      details: string[];
      archived?: number[];
    }[];
    unchanged: number;
    ahead: { name: string; latestVersion: number | null; environments: string[] }[];
  };
  totals: { versions: number; deployments: number };
  /** Absent from servers older than bundles in snapshots. */
  bundles?: { created: string[]; updated: { name: string; fields: string[] }[] };
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
    writeFile(path.dirname(target), target, text);
    ctx.out.line(
      `Exported ${plural(counts.prompts, "prompt")} (${plural(counts.versions, "version")}, ${plural(counts.deployments, "deployment")}) and ${plural(counts.environments, "environment")} to ${file}`,
    );
    return { exitCode: exitCodes.ok, result: { file, format: snapshot.format, ...counts } };
  },
};

export const importCommand: Command = {
  name: "import",
  summary:
    "Import a snapshot file, a prompt file (.prompt.yml with its tests and evaluators, or Dotprompt), a Langfuse project (lectern import langfuse), a PromptLayer workspace (lectern import promptlayer), a LangSmith workspace (lectern import langsmith) or a self-hosted Pezzo (lectern import pezzo) into the project (admin key); idempotent",
  usage:
    "lectern import <file | -> [--dry-run]\n       lectern import <name>.prompt.yml | <name>.prompt [--name prompt-name]\n       lectern import langfuse --url https://cloud.langfuse.com --public-key pk-lf-… --secret-key sk-lf-… [--folder name] [--dry-run]\n       lectern import pezzo --database-url postgres://user:password@host:5432/pezzo [--pezzo-project slug] [--folder name] [--dry-run]\n       lectern import promptlayer [--url https://api.promptlayer.com] --key pl_… [--folder name] [--dry-run]\n       lectern import langsmith [--url https://api.smith.langchain.com] --key lsv2_… [--folder name] [--dry-run]",
  details:
    "A prompt file (<name>.prompt.yml, GitHub Models' format, or <name>.prompt, Dotprompt): a new prompt or its next version; a .prompt.yml's testData becomes the prompt's tests dataset and its evaluators that dataset's scorers, so an evaluation run on it needs no other step; its name: is kept as the display name. Importing the same file again changes nothing.\n\nA snapshot: adds the versions and deployments the project lacks, keeping their numbers, authors and times; takes the snapshot's descriptions, tags and environment rules; creates its bundles, or gives existing ones its members. Importing the same file again changes nothing. If the histories diverged (same version number, different content; forked deployment logs) nothing is written and the conflicts are listed (exit 1).\n\nlectern import langfuse: Lectern's server reads the Langfuse project (every version of every prompt) and copies it: version numbers, commit messages, configs, tags, authors and times; labels become environments, moved through the environments' rules. A second run imports only what is new. All or nothing per prompt; what cannot be mapped is reported. The keys also come from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, the URL from LANGFUSE_BASE_URL (or LANGFUSE_HOST).\n\nlectern import pezzo: reads a self-hosted Pezzo's prompts from its own PostgreSQL, on this machine and read-only (one READ ONLY transaction), and sends them to Lectern, which copies every version in order (message, author, settings); an environment's deployed version moves through Lectern's release path (Production is production), or the report says it was live there. A second run imports only what is new. --pezzo-project chooses among several Pezzo projects. The URL also comes from PEZZO_DATABASE_URL; its user and password never leave this machine.\n\nlectern import promptlayer: Lectern's server reads the PromptLayer workspace (every version of every template) and copies it: commit messages, times, model settings, tags; f-string and jinja2 converted to Lectern's templates, a construct that cannot be carried refused for that version, named; release labels moved through Lectern's release path (a refused move is reported as was live in). A second run imports only what is new. The key also comes from PROMPTLAYER_API_KEY, the URL from PROMPTLAYER_BASE_URL.\n\nlectern import langsmith: Lectern's server reads the LangSmith workspace's prompt hub (every commit of every prompt, oldest first) and copies it: commit descriptions, times, model settings, tags; f-string and mustache converted to Lectern's templates, a construct that cannot be carried (a StructuredPrompt, a format spec) refused for that commit, named; a repo's '--' read as a folder's '/'; tags moved through Lectern's release path (a refused move is reported as was live in), other tags kept as version labels. A second run imports only what is new. The key also comes from LANGSMITH_API_KEY, the URL from LANGSMITH_ENDPOINT.",
  options: {
    "dry-run": { type: "boolean", description: "report what would change and write nothing" },
    name: {
      type: "string",
      value: "name",
      description: "a prompt file: the prompt's name (default: the file's own name:)",
    },
    url: { type: "string", value: "url", description: "langfuse, promptlayer, langsmith: the source's base URL" },
    "public-key": { type: "string", value: "pk-lf-…", description: "langfuse: the project's public key" },
    "secret-key": { type: "string", value: "sk-lf-…", description: "langfuse: the project's secret key" },
    folder: {
      type: "string",
      value: "name",
      description: "langfuse, promptlayer, langsmith, pezzo: only prompts in this folder",
    },
    key: { type: "string", value: "pl_…", description: "promptlayer, langsmith: the workspace's API key" },
    "database-url": { type: "string", value: "url", description: "pezzo: Pezzo's PostgreSQL (read, never written)" },
    "pezzo-project": { type: "string", value: "slug", description: "pezzo: the Pezzo project (its slug or id)" },
  },
  args: { min: 1, max: 1 },
  async run(ctx) {
    const source = ctx.args[0]!;
    const env = ctx.io.env;
    if (source === "langfuse" && (str(ctx.flags, "url") ?? env.LANGFUSE_BASE_URL ?? env.LANGFUSE_HOST) !== undefined)
      return importLangfuse(ctx);
    // A file named pezzo is still a snapshot; otherwise the Pezzo import says what it needs.
    if (source === "pezzo" && !existsSync(path.resolve(ctx.io.cwd, source))) return importPezzo(ctx);
    if (source === "promptlayer" && !existsSync(path.resolve(ctx.io.cwd, source))) return importPromptLayer(ctx);
    if (source === "langsmith" && !existsSync(path.resolve(ctx.io.cwd, source))) return importLangSmith(ctx);
    let text: string;
    if (source === "-") text = await ctx.io.readStdin();
    else {
      const file = path.resolve(ctx.io.cwd, source);
      if (!existsSync(file)) throw usageError(`${source}: no such file`, { file: source });
      text = readFileSync(file, "utf8");
      if (isPromptFile(source)) return importPromptFileCommand(ctx, source, text);
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
          p.archived?.length ? `archived versions ${p.archived.join(", ")}` : "",
        ].filter(Boolean);
        out.line(`${out.green("↑")} ${p.name}: ${parts.join("; ")} ${would}added`);
      }
      for (const b of r.bundles?.created ?? []) out.line(`${out.green("+")} bundle ${b} ${would}created`);
      for (const b of r.bundles?.updated ?? [])
        out.line(`${out.green("~")} bundle ${b.name}: ${b.fields.join(", ")} ${would}updated`);
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

interface LangfuseReport {
  dryRun: boolean;
  source: string;
  environmentsCreated: string[];
  prompts: {
    name: string;
    outcome: "created" | "updated" | "unchanged" | "skipped";
    versions: number[];
    filled: number[];
    labels: { label: string; kind?: "environment" | "version"; version: number; from: number | null }[];
    unmapped: string[];
    error?: string;
  }[];
  totals: { prompts: number; imported: number; skipped: number; versions: number; labels: number };
}

/** lectern import langfuse: the server reads Langfuse and imports; this prints its report. */
async function importLangfuse(ctx: Context): Promise<CommandResult> {
  const { out, flags, io } = ctx;
  const url = str(flags, "url") ?? io.env.LANGFUSE_BASE_URL ?? io.env.LANGFUSE_HOST;
  const publicKey = str(flags, "public-key") ?? io.env.LANGFUSE_PUBLIC_KEY;
  const secretKey = str(flags, "secret-key") ?? io.env.LANGFUSE_SECRET_KEY;
  if (!publicKey || !secretKey)
    throw usageError(
      "lectern import langfuse needs --public-key and --secret-key (or LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY)",
    );
  const dryRun = bool(flags, "dry-run");
  const folder = str(flags, "folder");
  const api = importApi(ctx);
  out.note(`${dryRun ? "Planning" : "Importing"} the prompts of ${url}${folder ? ` (folder ${folder})` : ""}…`);
  const r = await api.post<LangfuseReport>("/api/v1/import/langfuse", { url, publicKey, secretKey, dryRun, folder });
  const would = dryRun ? "would be " : "";
  for (const p of r.prompts) {
    const parts = [
      p.versions.length ? `version${p.versions.length > 1 ? "s" : ""} ${p.versions.join(", ")}` : "",
      p.filled.length ? `${p.filled.join(", ")} (deleted in Langfuse) kept as archived copies so numbers match` : "",
      ...p.labels.map(
        (l) =>
          `${l.kind === "version" ? "version label " : ""}${l.label} → version ${l.version}${l.from !== null ? ` (was ${l.from})` : ""}`,
      ),
    ].filter(Boolean);
    if (p.outcome === "created") out.line(`${out.green("+")} ${p.name} ${would}created: ${parts.join("; ")}`);
    else if (p.outcome === "updated") out.line(`${out.green("↑")} ${p.name}: ${parts.join("; ")} ${would}imported`);
    else if (p.outcome === "skipped") out.problem({ file: p.name, message: `not imported: ${p.error}` });
    for (const u of p.unmapped) out.warn({ file: p.name, message: `${u} was not mapped` });
  }
  for (const e of r.environmentsCreated)
    out.line(`${out.green("+")} environment ${e} ${would}created (for a Langfuse label; no rules)`);
  const unchanged = r.prompts.filter((p) => p.outcome === "unchanged").length;
  out.line(
    `${dryRun ? "Dry run: " : ""}${plural(r.totals.imported, "prompt")} ${dryRun ? "would be imported" : "imported"} (${plural(r.totals.versions, "version")}, ${plural(r.totals.labels, "label move")}); ${unchanged} unchanged; ${r.totals.skipped} not imported${dryRun ? "; nothing was written" : ""}`,
  );
  return { exitCode: r.totals.skipped ? exitCodes.failed : exitCodes.ok, result: { ...r } };
}
