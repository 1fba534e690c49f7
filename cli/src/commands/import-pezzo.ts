// lectern import pezzo --database-url postgres://… [--pezzo-project id|slug] [--folder F] [--dry-run]: reads a
// self-hosted Pezzo's prompts from its PostgreSQL on this machine (read-only: ../pezzo-source.ts) and sends
// them, a page of prompts at a time, to POST /api/v1/import/pezzo, which maps and imports them through the
// same operations as every other write. Prints the server's report; a second run imports nothing new.
import { bool, str, type CommandResult, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { Api } from "../http";
import { describeSource, PezzoSource, type PezzoProjectRow, type PezzoRows } from "../pezzo-source";
import { printForeignReport, type ForeignReport } from "./foreign-report";

/** Prompts per request, and the most one request carries (the server takes 8 MiB). */
const pageSize = 25;
const maxRequestBytes = 7 * 2 ** 20;

function chooseProject(projects: PezzoProjectRow[], asked: string | undefined): PezzoProjectRow {
  const list = projects.map((p) => `${p.slug} (${p.name}, id ${p.id})`).join(", ") || "none";
  if (asked !== undefined) {
    const found = projects.find((p) => p.id === asked || p.slug === asked);
    if (!found) throw usageError(`Pezzo has no project ${asked}; its projects: ${list}`);
    return found;
  }
  if (projects.length !== 1)
    throw usageError(
      `Pezzo has ${projects.length} projects: choose one with --pezzo-project (its slug or id): ${list}`,
    );
  return projects[0]!;
}

type Sent = { reports: ForeignReport[]; tooLarge: { name: string; bytes: number }[] };

/** Posts a page, halving it while its body is larger than a request takes. */
async function send(api: Api, body: Record<string, unknown>, rows: PezzoRows, into: Sent): Promise<void> {
  const size = Buffer.byteLength(JSON.stringify({ ...body, ...rows }));
  if (size <= maxRequestBytes) {
    into.reports.push(await api.post<ForeignReport>("/api/v1/import/pezzo", { ...body, ...rows }));
    return;
  }
  if (rows.prompts.length === 1) {
    into.tooLarge.push({ name: rows.prompts[0]!.name, bytes: size });
    return;
  }
  const half = Math.ceil(rows.prompts.length / 2);
  for (const prompts of [rows.prompts.slice(0, half), rows.prompts.slice(half)]) {
    const ids = new Set(prompts.map((p) => p.id));
    await send(
      api,
      body,
      {
        ...rows,
        prompts,
        versions: rows.versions.filter((v) => ids.has(String(v.promptId))),
        promptEnvironments: rows.promptEnvironments.filter((r) => ids.has(r.promptId)),
      },
      into,
    );
  }
}

export async function importPezzo(ctx: Context): Promise<CommandResult> {
  const { out, flags, io, config } = ctx;
  const url = str(flags, "database-url") ?? io.env.PEZZO_DATABASE_URL;
  if (!url)
    throw usageError(
      "lectern import pezzo needs --database-url postgres://user:password@host:5432/pezzo (or PEZZO_DATABASE_URL): Pezzo's own PostgreSQL, which is only read",
    );
  const dryRun = bool(flags, "dry-run");
  const folder = str(flags, "folder");
  ctx.api(); // checks the base URL and key before Pezzo's database is opened
  const api = new Api({
    baseUrl: config.baseUrl!,
    apiKey: config.apiKey!,
    timeoutMs: Math.max(config.timeoutMs, 10 * 60_000),
    fetch: io.fetch,
  });
  const db = await PezzoSource.open(url);
  const sent: Sent = { reports: [], tooLarge: [] };
  try {
    const project = chooseProject(await db.projects(), str(flags, "pezzo-project"));
    // What a second run is recognized by: Pezzo's project id, whichever host name or tunnel reaches the database.
    const source = `pezzo:project/${project.id}`;
    const from = `Pezzo project ${project.slug} at ${describeSource(url)}`;
    out.note(`${dryRun ? "Planning" : "Importing"} the prompts of ${from}${folder ? ` (folder ${folder})` : ""}…`);
    const environments = await db.environments(project.id);
    const prompts = await db.prompts(project.id);
    for (let i = 0; i < prompts.length; i += pageSize) {
      const rows = await db.page(prompts.slice(i, i + pageSize), environments);
      await send(api, { source, dryRun, ...(folder && { folder }) }, rows, sent);
    }
  } finally {
    await db.close();
  }
  for (const t of sent.tooLarge)
    out.problem({
      file: t.name,
      message: `not imported: its versions are ${(t.bytes / 2 ** 20).toFixed(1)} MiB, more than one import request takes (${maxRequestBytes / 2 ** 20} MiB)`,
    });
  const report = printForeignReport(out, sent.reports, dryRun);
  const failed = sent.tooLarge.length > 0 || report.failed;
  return { exitCode: failed ? exitCodes.failed : exitCodes.ok, result: { ...report.merged } };
}
