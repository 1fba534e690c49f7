// Plain JSON shapes the API and the UI return for registry rows (no Date objects, no internal ids
// beyond what clients need), and their response schemas: the API wrapper checks answers against them
// when LECTERN_CHECK_RESPONSES is on (the api and e2e tiers), so a field renamed or dropped fails a test.
// Objects are not strict: an answer may carry more than its schema names.
import { z } from "zod";
import type { PromptRow } from "./prompts";
import type { VersionRow } from "./versions";
import type { VersionPlacement } from "../release/status";
import { contentTypes } from "./content";
import { orderedFiles } from "./skills/skill-files";

const instant = z.iso.datetime({ offset: true });

export const promptSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  tags: z.array(z.string()),
  targetModel: z.string().nullable(),
  latestVersion: z.number().int().min(0),
  createdAt: instant,
  updatedAt: instant,
});

export function promptDto(p: PromptRow) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    tags: p.tags,
    targetModel: p.targetModel,
    latestVersion: p.latestVersion,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** What a prompt's content says, as a version, a draft and resolve's answer all carry it. */
export const contentFields = {
  type: z.enum(contentTypes),
  /** A text or chat prompt's template (a skill has files instead). */
  template: z.union([z.string(), z.array(z.unknown())]).optional(),
  /** A skill's files by relative path (SKILL.md first). */
  files: z.record(z.string(), z.string()).optional(),
  /** A skill's executable files: path → "0755" (any other file is 0644); absent when it has none. */
  modes: z.record(z.string(), z.literal("0755")).optional(),
  variables: z.array(z.unknown()),
  config: z.record(z.string(), z.unknown()),
};

/** A version's content as stored (lib/registry/content.ts): what a version and a draft both carry. */
export const storedContentFields = { ...contentFields, examples: z.array(z.unknown()) };

/** A version; its placement (status, liveIn, wasLiveIn) and diff only where the answer carries them. */
export const versionSchema = z.object({
  version: z.number().int().min(1),
  ...storedContentFields,
  commitMessage: z.string(),
  author: z.string(),
  baseVersion: z.number().int().nullable(),
  createdAt: instant,
  status: z.enum(["draft", "testing", "production", "archived"]).optional(),
  liveIn: z.array(z.string()).optional(),
  wasLiveIn: z.array(z.string()).optional(),
  diff: z.unknown().optional(),
});

export function versionDto(
  v: VersionRow,
  opts: { placement?: VersionPlacement; author?: string | null; withDiff?: boolean } = {},
) {
  const content = v.content;
  return {
    version: v.version,
    type: content.type,
    ...(content.type === "skill"
      ? { files: orderedFiles(content.files), ...(content.modes ? { modes: content.modes } : {}) }
      : { template: content.template }),
    variables: content.variables,
    config: content.config,
    examples: content.examples,
    commitMessage: v.commitMessage,
    author: opts.author ?? v.authorLabel,
    baseVersion: v.baseVersion,
    createdAt: v.createdAt.toISOString(),
    ...(opts.placement
      ? { status: opts.placement.status, liveIn: opts.placement.liveIn, wasLiveIn: opts.placement.wasLiveIn }
      : {}),
    ...(opts.withDiff ? { diff: v.diff } : {}),
  };
}

/** A version with its placement, as the history and the prompt's detail list it. */
export const placedVersionSchema = versionSchema.required({ status: true, liveIn: true, wasLiveIn: true });

/** GET /api/v1/prompts */
export const promptListResponse = z.object({
  data: z.array(
    promptSchema.extend({
      owner: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
      lastEditedBy: z.string().nullable(),
      lastEditedAt: instant.nullable(),
    }),
  ),
  pagination: z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
});

/** GET /api/v1/prompts/{name}/versions */
export const versionListResponse = z.object({ data: z.array(placedVersionSchema) });

/** GET /api/v1/prompts/{name}/versions/{n}: with its placement and its diff from its baseVersion (the version before, unless it was edited from an older one). */
export const versionResponse = placedVersionSchema.required({ diff: true });

/** POST /api/v1/prompts: the new prompt, its version 1 (never deployed) and the content's warnings. */
export const createPromptResponse = z.object({
  prompt: promptSchema,
  version: placedVersionSchema,
  warnings: z.array(z.string()),
});

/** PATCH /api/v1/prompts/{name}: the prompt with its new description and tags. */
export const promptResponse = z.object({ prompt: promptSchema });

// The builders' types satisfy their schemas: a field renamed in one and not the other fails the typecheck.
const _prompt: (p: PromptRow) => z.input<typeof promptSchema> = promptDto;
const _version: (v: VersionRow) => z.input<typeof versionSchema> = versionDto;
void [_prompt, _version];

/** POST /api/v1/prompts/{name}/versions: the new version's number, the version and its warnings. */
export const createVersionResponse = z.object({
  version: z.number().int(),
  data: versionSchema,
  warnings: z.array(z.string()),
});

/** Where a version just saved stands: never deployed (status "draft"), live nowhere yet. */
const justSaved: VersionPlacement = { status: "draft", liveIn: [], wasLiveIn: [] };

/** A prompt created (createPrompt) as POST /api/v1/prompts answers it. */
export const createdPromptDto = (r: { prompt: PromptRow; version: VersionRow; warnings: string[] }) => ({
  prompt: promptDto(r.prompt),
  version: versionDto(r.version, { placement: justSaved }),
  warnings: r.warnings,
});

/** A version saved (createVersion) as POST /api/v1/prompts/{name}/versions answers it, with its diff. */
export const createdVersionDto = (r: { version: VersionRow; warnings: string[] }) => ({
  version: r.version.version,
  data: versionDto(r.version, { placement: justSaved, withDiff: true }),
  warnings: r.warnings,
});
