// POST /api/v1/import/pezzo: a self-hosted Pezzo's prompts, from the rows `lectern import pezzo` read from its
// PostgreSQL (import-rows.ts maps them), imported through the importer core (lib/compat/import): every version
// in order, idempotent by Pezzo's sha, environments moved through the release path. The server never connects
// to Pezzo's database: the CLI reads it, on the machine of whoever runs the import (docs/switching.md#pezzo).
import { z } from "zod";
import type { DomainContext } from "../../context";
import { foreignImportReportSchema, importForeign, type ForeignImportReport } from "../import";
import { pezzoForeignPrompts, pezzoRows, type PezzoRefusal } from "./import-rows";

export const pezzoImportInput = pezzoRows.extend({
  /** Where the rows came from: Pezzo's project (`pezzo:project/<id>`), which makes a second run recognize them. */
  source: z.string({ error: "source must be a string" }).trim().min(1).max(500),
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});
export const pezzoImportResponse = foreignImportReportSchema;

/** The versions the rows held that were not Pezzo's shape, in their prompts' reports as refused. */
function withRefused(report: ForeignImportReport, refused: PezzoRefusal[]): ForeignImportReport {
  let added = 0;
  for (const r of refused) {
    const prompt = report.prompts.find((p) => p.name === r.prompt);
    if (!prompt) continue; // outside the folder asked for
    prompt.sources.push({ sourceId: r.sourceId, outcome: "refused", reason: r.reason, field: "content" });
    added += 1;
  }
  return { ...report, totals: { ...report.totals, refused: report.totals.refused + added } };
}

export async function importFromPezzo(
  ctx: DomainContext,
  input: z.infer<typeof pezzoImportInput>,
  signal?: AbortSignal,
): Promise<ForeignImportReport> {
  const { prompts, refused } = pezzoForeignPrompts(input);
  const { source, dryRun, folder } = input;
  const report = await importForeign(ctx, { system: "pezzo", source, dryRun, folder, signal }, prompts);
  return withRefused(report, refused);
}
