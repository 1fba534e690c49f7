// lectern import promptlayer | langsmith: Lectern's server reads the other system (POST /api/v1/import/<system>) and imports;
// this prints the importer core's report (ForeignImportReport, lib/compat/import), which every `lectern import
// <system>` of the compatibility work answers.
import { bool, str, type CommandResult, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { Api } from "../http";

interface ForeignReport {
  dryRun: boolean;
  system: string;
  source: string;
  prompts: {
    name: string;
    outcome: "created" | "updated" | "unchanged" | "skipped";
    versions: number[];
    labels: { label: string; version: number; from: number | null }[];
    versionLabels: { label: string; version: number; from: number | null }[];
    unmapped: string[];
    error?: string;
    sources: {
      sourceId: string;
      outcome: "created" | "unchanged" | "refused";
      convertedFrom?: string;
      reason?: string;
    }[];
    wasLiveIn: { label: string; sourceId: string; reason: string }[];
  }[];
  totals: {
    prompts: number;
    imported: number;
    skipped: number;
    versions: number;
    labels: number;
    versionLabels: number;
    refused: number;
  };
}

/** The API for an import: the server reads every version of every prompt before it answers, so it gets time. */
export function importApi(ctx: Context): Api {
  const { config, io } = ctx;
  ctx.api(); // checks the base URL and key first
  return new Api({
    baseUrl: config.baseUrl!,
    apiKey: config.apiKey!,
    timeoutMs: Math.max(config.timeoutMs, 30 * 60_000),
    fetch: io.fetch,
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The report, line by line: per prompt what was (or would be) written, refused, or left where it was live. */
function printReport(ctx: Context, r: ForeignReport): void {
  const { out } = ctx;
  const would = r.dryRun ? "would be " : "";
  for (const p of r.prompts) {
    const parts = [
      p.versions.length ? `version${p.versions.length > 1 ? "s" : ""} ${p.versions.join(", ")}` : "",
      ...p.labels.map((l) => `${l.label} → version ${l.version}${l.from !== null ? ` (was ${l.from})` : ""}`),
      ...p.versionLabels.map(
        (l) => `version label ${l.label} → version ${l.version}${l.from !== null ? ` (was ${l.from})` : ""}`,
      ),
    ].filter(Boolean);
    if (p.outcome === "created") out.line(`${out.green("+")} ${p.name} ${would}created: ${parts.join("; ")}`);
    else if (p.outcome === "updated") out.line(`${out.green("↑")} ${p.name}: ${parts.join("; ")} ${would}imported`);
    else if (p.outcome === "skipped") out.problem({ file: p.name, message: `not imported: ${p.error}` });
    for (const s of p.sources.filter((x) => x.outcome === "refused"))
      out.warn({ file: p.name, message: `version ${s.sourceId} not imported: ${s.reason}` });
    for (const l of p.wasLiveIn)
      out.warn({ file: p.name, message: `was live in ${l.label} (version ${l.sourceId} there): ${l.reason}` });
    for (const u of p.unmapped) out.warn({ file: p.name, message: `${u} was not mapped` });
  }
  const unchanged = r.prompts.filter((p) => p.outcome === "unchanged").length;
  out.line(
    `${r.dryRun ? "Dry run: " : ""}${plural(r.totals.imported, "prompt")} ${r.dryRun ? "would be imported" : "imported"} (${plural(r.totals.versions, "version")}, ${plural(r.totals.labels, "label move")}, ${plural(r.totals.versionLabels, "version label")}); ${unchanged} unchanged; ${r.totals.skipped} not imported; ${plural(r.totals.refused, "version")} refused${r.dryRun ? "; nothing was written" : ""}`,
  );
}

/** The imports that read a workspace with an API key: where the URL and key also come from, the default URL, the
 * usage error without a key, and what the source calls its prompts. */
const keyedSources = {
  promptlayer: {
    urlEnv: "PROMPTLAYER_BASE_URL",
    keyEnv: "PROMPTLAYER_API_KEY",
    defaultUrl: "https://api.promptlayer.com",
    missing: "lectern import promptlayer needs --key (or PROMPTLAYER_API_KEY): the workspace's API key",
    what: "templates",
  },
  langsmith: {
    urlEnv: "LANGSMITH_ENDPOINT",
    keyEnv: "LANGSMITH_API_KEY",
    defaultUrl: "https://api.smith.langchain.com",
    missing: "lectern import langsmith needs --key (or LANGSMITH_API_KEY): the workspace's API key",
    what: "prompts",
  },
} as const;

/** lectern import promptlayer --url U --key K [--folder F] [--dry-run]. */
export function importPromptLayer(ctx: Context): Promise<CommandResult> {
  return importWithKey(ctx, "promptlayer");
}

/** lectern import langsmith --url U --key K [--folder F] [--dry-run]. */
export function importLangSmith(ctx: Context): Promise<CommandResult> {
  return importWithKey(ctx, "langsmith");
}

/** A workspace Lectern's server reads with an API key (keyedSources): its report printed. */
async function importWithKey(ctx: Context, system: keyof typeof keyedSources): Promise<CommandResult> {
  const { out, flags, io } = ctx;
  const source = keyedSources[system];
  const url = str(flags, "url") ?? io.env[source.urlEnv] ?? source.defaultUrl;
  const apiKey = str(flags, "key") ?? io.env[source.keyEnv];
  if (!apiKey) throw usageError(source.missing);
  const dryRun = bool(flags, "dry-run");
  const folder = str(flags, "folder");
  const api = importApi(ctx);
  out.note(`${dryRun ? "Planning" : "Importing"} the ${source.what} of ${url}${folder ? ` (folder ${folder})` : ""}…`);
  const r = await api.post<ForeignReport>(`/api/v1/import/${system}`, { url, apiKey, dryRun, folder });
  printReport(ctx, r);
  const failed = r.totals.skipped > 0 || r.totals.refused > 0;
  return { exitCode: failed ? exitCodes.failed : exitCodes.ok, result: { ...r } };
}
