// The two operations on prompt files: a version written as a Dotprompt or .prompt.yml file, and a file
// read into the project through the registry's own createPrompt / createVersion (so every rule of a save
// holds — validation, partials, the base-version conflict — with its audit row and its event).
import { z } from "zod";
import type { Db } from "../../../db/client";
import { AppError, isAppError } from "../../errors";
import { parseInput } from "../../validation";
import { parseContent } from "../content";
import { withTx, type DomainContext } from "../../context";
import { promptDto, promptSchema, versionDto, versionSchema } from "../dto";
import { deepEqual } from "../json";
import { promptNameSchema } from "../names";
import { versionNumber, versionParam } from "../../number-params";
import {
  createPrompt,
  findPrompt,
  getPrompt,
  updatePromptDetailsInput,
  writePromptDetails,
  type PromptRow,
} from "../prompts";
import { collectPartials } from "../templates/template";
import { eq } from "drizzle-orm";
import { prompts } from "../../../db/schema";
import type { ImportedFile } from "./dotprompt-import";
import { unimportedEvaluators, type PromptYmlTests } from "./prompt-yml";
import { getVersion, loadPartialContents, saveVersion, type VersionRow } from "../versions";
import {
  checkFileBudget,
  contentTypes,
  fileFormats,
  fileName,
  formatNames,
  type FileFormat,
  maxFileChars,
  partialLookup,
  partialNamesIn,
  readFile,
  writeFile,
} from "./files";

const formatError = { error: 'format must be "dotprompt" or "prompt.yml"' };

/** The import's body: the file as JSON text (escapes and multi-byte characters make it larger). */
export const importFileBodyLimit = 2 * 1024 * 1024;

export const exportFileQuery = z.object({
  format: z.enum(fileFormats, formatError).describe("The file format: Dotprompt, or GitHub Models' .prompt.yml"),
});

export const importFileInput = z.object({
  format: z.enum(fileFormats, formatError),
  /** The prompt's name; when left out, the file's own `name:`. */
  name: promptNameSchema.optional(),
  source: z
    .string({ error: "source must be the file's text" })
    .min(1, "source is empty")
    .max(maxFileChars, `source must be at most ${maxFileChars.toLocaleString("en-US")} characters`),
  commitMessage: z.string().max(1000, { error: "commitMessage must be at most 1000 characters" }).optional(),
  /** Refuse (409) when the latest version is not this one; default: the version the file says it came from. */
  baseVersion: versionNumber("baseVersion").optional(),
});
export type ImportFileInput = z.input<typeof importFileInput>;

/** GET /api/v1/prompts/{name}/versions/{v}/export?format=: the version as a file. */
export async function exportVersionFile(
  db: Db,
  projectId: string,
  name: string,
  rawVersion: string | undefined,
  format: FileFormat,
  /** The prompt's tests and evaluators (lib/evaluation/prompt-files reads its tests dataset), for a .prompt.yml. */
  tests?: (prompt: PromptRow) => Promise<PromptYmlTests | undefined>,
): Promise<{ body: string; contentType: string; filename: string }> {
  const prompt = await getPrompt(db, projectId, name);
  const row = await getVersion(db, prompt, parseInput(versionParam("version"), rawVersion, "version"));
  const partials = await loadPartialContents(db, projectId, collectPartials(row.content));
  const body = writeFile(format, {
    name: prompt.name,
    displayName: prompt.displayName,
    ...(format === "prompt.yml" && tests ? { tests: await tests(prompt) } : {}),
    description: prompt.description,
    content: row.content,
    version: row.version,
    partials: partialLookup(partials),
  });
  return { body, contentType: contentTypes[format], filename: fileName(prompt.name, format) };
}

/**
 * The version as a file for someone who may read the prompt (the prompt page's downloads, through the session: the
 * download route checks prompt.read, as its wrapper).
 */
export async function downloadVersionFile(
  ctx: DomainContext,
  name: string,
  version: number,
  format: FileFormat,
  tests?: (prompt: PromptRow) => Promise<PromptYmlTests | undefined>,
): Promise<{ body: string; contentType: string; filename: string }> {
  return exportVersionFile(ctx.db, ctx.projectId, name, String(version), format, tests);
}

export type VersionFileChoice = { format: FileFormat; label: string } & (
  { filename: string; warnings: string[]; reason?: undefined } | { reason: string; filename?: undefined }
);

/**
 * What the prompt page offers to download for a version: each format's file name and what it could only
 * approximate (a .prompt.yml's `# warning:` lines), or why the format cannot carry the version.
 */
export async function versionFileChoices(
  ctx: DomainContext,
  name: string,
  version: number,
  tests?: (prompt: PromptRow) => Promise<PromptYmlTests | undefined>,
): Promise<VersionFileChoice[]> {
  const out: VersionFileChoice[] = [];
  for (const format of fileFormats) {
    const label = formatNames[format];
    try {
      const file = await downloadVersionFile(ctx, name, version, format, tests);
      const warnings = [...file.body.matchAll(/^# warning: (.*)$/gm)].map((m) => m[1]!);
      out.push({ format, label, filename: file.filename, warnings });
    } catch (e) {
      if (!isAppError(e) || e.code === "forbidden") throw e;
      out.push({ format, label, reason: e.message });
    }
  }
  return out;
}

export interface ImportResult {
  prompt: PromptRow;
  version: VersionRow;
  created: boolean;
  /** The file holds what the latest version holds: nothing was written. */
  unchanged: boolean;
  warnings: string[];
}

/**
 * What a higher domain writes with an import, in its transaction (lib/evaluation/prompt-files: a .prompt.yml's
 * testData and evaluators as the prompt's tests dataset); returns its warnings. Throwing rolls the import back.
 */
export type ImportExtras = (
  tx: Db,
  r: { prompt: PromptRow; file: ImportedFile; created: boolean },
) => Promise<string[]>;

/** The display name to keep: the file's `name:` when the prompt was imported under another name. */
async function keepDisplayName(tx: Db, prompt: PromptRow, file: ImportedFile): Promise<PromptRow> {
  const displayName = file.name !== undefined && file.name !== prompt.name ? file.name.slice(0, 500) : null;
  if (displayName === prompt.displayName) return prompt;
  const [row] = await tx.update(prompts).set({ displayName }).where(eq(prompts.id, prompt.id)).returning();
  return row!;
}

/**
 * POST /api/v1/prompts/import: a new prompt (version 1) when none has the name, else a new version of it —
 * based on `baseVersion`, or the version the file says it came from, so a file edited from an older
 * version is a conflict rather than an overwrite. A file that holds what the latest version holds writes
 * no version (unchanged), though a new description is still saved. Everything is checked — the name, the
 * description, the content and its partials — before anything is written, and what is written (the version,
 * the description, their audit rows) is one transaction: a refused import leaves the project as it was.
 */
export async function importVersionFile(
  ctx: DomainContext,
  input: unknown,
  extras?: ImportExtras,
): Promise<ImportResult> {
  const data = parseInput(importFileInput, input);
  checkFileBudget(data.format, data.source);
  const partials = await loadPartialContents(ctx.db, ctx.projectId, partialNamesIn(data.source));
  const file = await readFile(data.format, data.source, partialLookup(partials));
  const name = data.name ?? file.name;
  if (name === undefined)
    throw new AppError("invalid_input", "name is required: the file does not name its prompt", { field: "name" });
  const parsedName = parseInput(promptNameSchema, name, "name");
  const commitMessage = data.commitMessage ?? `Imported from a ${formatNames[data.format]} file`;
  const existing = await findPrompt(ctx.db, ctx.projectId, parsedName);
  const more: string[] = extras ? [] : unimportedEvaluators(file);
  const withFile = async (tx: Db, p: PromptRow, created: boolean) => {
    const kept = data.format === "prompt.yml" ? await keepDisplayName(tx, p, file) : p;
    if (extras) more.push(...(await extras(tx, { prompt: kept, file, created })));
    return kept;
  };
  if (!existing) {
    let prompt: PromptRow | undefined;
    const r = await createPrompt(
      ctx,
      { name: parsedName, description: file.description ?? "", ...file.content, commitMessage },
      { inTransaction: async (tx, p) => void (prompt = await withFile(tx, p, true)) },
    );
    return {
      ...r,
      prompt: prompt ?? r.prompt,
      created: true,
      unchanged: false,
      warnings: [...file.warnings, ...r.warnings, ...more],
    };
  }
  const details = parseInput(updatePromptDetailsInput, { description: file.description });
  const latest = await getVersion(ctx.db, existing, existing.latestVersion);
  const content = parseContent(file.content);
  const baseVersion = data.baseVersion ?? file.version;
  if (deepEqual(content, latest.content)) {
    const prompt = await ctx.db.transaction(async (tx) =>
      withFile(tx, await writePromptDetails(withTx(ctx, tx), existing, details), false),
    );
    return { prompt, version: latest, created: false, unchanged: true, warnings: [...file.warnings, ...more] };
  }
  let prompt = existing;
  const r = await saveVersion(ctx, existing, content, {
    commitMessage,
    baseVersion: baseVersion ?? null,
    inTransaction: async (tx) => {
      prompt = await withFile(tx, await writePromptDetails(withTx(ctx, tx), existing, details), false);
    },
  });
  return {
    prompt,
    version: r.version,
    created: false,
    unchanged: false,
    warnings: [...file.warnings, ...r.warnings, ...more],
  };
}

/** POST /api/v1/prompts/import: 201 with the new prompt or version, or 200 with unchanged: true. */
export const importFileResponse = z.object({
  created: z.boolean(),
  unchanged: z.boolean(),
  prompt: promptSchema,
  version: versionSchema,
  warnings: z.array(z.string()),
});

export const importResultDto = (r: ImportResult): z.input<typeof importFileResponse> => ({
  created: r.created,
  unchanged: r.unchanged,
  prompt: promptDto(r.prompt),
  version: versionDto(r.version),
  warnings: r.warnings,
});
