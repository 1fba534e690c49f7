// The two operations on prompt files: a version written as a Dotprompt or .prompt.yml file, and a file
// read into the project through the registry's own createPrompt / createVersion (so every rule of a save
// holds — validation, partials, the base-version conflict — with its audit row and its event).
import { z } from "zod";
import type { Db } from "../../../db/client";
import { AppError } from "../../errors";
import { deepEqual } from "../json";
import { parseInput } from "../../validation";
import { parseContent, type Content } from "../content";
import { promptDto, promptSchema, versionDto, versionSchema } from "../dto";
import type { DomainContext } from "../context";
import { promptNameSchema } from "../names";
import { versionNumber, versionParam } from "../numbers";
import { createPrompt, findPrompt, getPrompt, updatePromptDetails, type PromptRow } from "../prompts";
import { partialText } from "../partials";
import { createVersion, getVersion, loadPartialContents, type VersionRow } from "../versions";
import { collectPartials } from "../template";
import { toDotprompt } from "./dotprompt-export";
import { fromDotprompt, type ImportedFile } from "./dotprompt-import";
import { FormatRefusal, refusalError } from "./ir";
import type { PartialLookup } from "./mustache-ir";
import { fromPromptYml, toPromptYml } from "./prompt-yml";

export const fileFormats = ["dotprompt", "prompt.yml"] as const;
export type FileFormat = (typeof fileFormats)[number];
const formatError = { error: 'format must be "dotprompt" or "prompt.yml"' };

/** A file as large as a version may be (200k characters a template, up to 100 messages), with room for YAML. */
export const maxFileChars = 1_000_000;
/** The import's body: the file as JSON text (escapes and multi-byte characters make it larger). */
export const importFileBodyLimit = 4 * 1024 * 1024;

export const exportFileQuery = z.object({ format: z.enum(fileFormats, formatError) });

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

export const extensions: Record<FileFormat, string> = { dotprompt: ".prompt", "prompt.yml": ".prompt.yml" };
const contentTypes: Record<FileFormat, string> = {
  dotprompt: "text/plain; charset=utf-8",
  "prompt.yml": "application/yaml; charset=utf-8",
};
const formatNames: Record<FileFormat, string> = { dotprompt: "Dotprompt", "prompt.yml": ".prompt.yml" };

/** What each partial contributes, from contents already loaded (a chat prompt cannot be a file's partial). */
export const partialLookup =
  (contents: Map<string, Content>): PartialLookup =>
  (ref) => {
    const c = contents.get(ref);
    if (!c) return undefined;
    return c.type === "chat"
      ? { problem: `${ref} is a chat prompt; a file's partial is text` }
      : { text: partialText(c) };
  };

/** Writes content as a file; a construct the format cannot carry is a 422 naming it. */
export function writeFile(
  format: FileFormat,
  src: { name: string; description: string; content: Content; version?: number; partials: PartialLookup },
): string {
  try {
    return format === "dotprompt" ? toDotprompt(src) : toPromptYml(src);
  } catch (e) {
    if (e instanceof FormatRefusal) throw refusalError(e, formatNames[format]);
    throw e;
  }
}

/** Reads a file; a construct Lectern cannot carry is a 422 naming it. */
export async function readFile(format: FileFormat, source: string, partials: PartialLookup): Promise<ImportedFile> {
  try {
    return format === "dotprompt" ? await fromDotprompt(source, partials) : fromPromptYml(source);
  } catch (e) {
    if (e instanceof FormatRefusal) throw refusalError(e, formatNames[format]);
    throw e;
  }
}

/** The file name a version downloads as: the prompt name's last segment, in plain characters. */
export function fileName(name: string, format: FileFormat): string {
  const base = (name.split("/").pop() ?? "prompt").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || "prompt";
  return base + extensions[format];
}

/** GET /api/v1/prompts/{name}/versions/{v}/export?format=: the version as a file. */
export async function exportVersionFile(
  db: Db,
  projectId: string,
  name: string,
  rawVersion: string | undefined,
  format: FileFormat,
): Promise<{ body: string; contentType: string; filename: string }> {
  const prompt = await getPrompt(db, projectId, name);
  const row = await getVersion(db, prompt, parseInput(versionParam("version"), rawVersion, "version"));
  const partials = await loadPartialContents(db, projectId, collectPartials(row.content));
  const body = writeFile(format, {
    name: prompt.name,
    description: prompt.description,
    content: row.content,
    version: row.version,
    partials: partialLookup(partials),
  });
  return { body, contentType: contentTypes[format], filename: fileName(prompt.name, format) };
}

// Partial names a file may include, to load before reading it (those not found are reported while reading).
const partialTag = /\{\{~?>\s*([^\s}~()]+)/g;

export interface ImportResult {
  prompt: PromptRow;
  version: VersionRow;
  created: boolean;
  /** The file holds what the latest version holds: nothing was written. */
  unchanged: boolean;
  warnings: string[];
}

/**
 * POST /api/v1/prompts/import: a new prompt (version 1) when none has the name, else a new version of it —
 * based on `baseVersion`, or the version the file says it came from, so a file edited from an older
 * version is a conflict rather than an overwrite. A file that holds what the latest version holds writes
 * nothing (unchanged).
 */
export async function importPromptFile(ctx: DomainContext, input: unknown): Promise<ImportResult> {
  const data = parseInput(importFileInput, input);
  const refs = [...new Set([...data.source.matchAll(partialTag)].map((m) => m[1]!))];
  const partials = await loadPartialContents(ctx.db, ctx.projectId, refs);
  const file = await readFile(data.format, data.source, partialLookup(partials));
  const name = data.name ?? file.name;
  if (name === undefined)
    throw new AppError("invalid_input", "name is required: the file does not name its prompt", { field: "name" });
  const parsedName = parseInput(promptNameSchema, name, "name");
  const commitMessage = data.commitMessage ?? `Imported from a ${formatNames[data.format]} file`;
  const existing = await findPrompt(ctx.db, ctx.projectId, parsedName);
  if (!existing) {
    const r = await createPrompt(ctx, {
      name: parsedName,
      description: file.description ?? "",
      ...file.content,
      commitMessage,
    });
    return { ...r, created: true, unchanged: false, warnings: [...file.warnings, ...r.warnings] };
  }
  const latest = await getVersion(ctx.db, existing, existing.latestVersion);
  const content = parseContent(file.content);
  const baseVersion = data.baseVersion ?? file.version;
  if (deepEqual(content, latest.content))
    return { prompt: existing, version: latest, created: false, unchanged: true, warnings: file.warnings };
  const r = await createVersion(ctx, parsedName, {
    ...content,
    commitMessage,
    ...(baseVersion !== undefined && { baseVersion }),
  });
  let prompt = existing;
  if (file.description !== undefined && file.description !== existing.description)
    prompt = await updatePromptDetails(ctx, parsedName, { description: file.description });
  return { prompt, version: r.version, created: false, unchanged: false, warnings: [...file.warnings, ...r.warnings] };
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
