// The importer core's interface (Interface B of the compatibility work): what a source reader hands over —
// prompts already mapped to Lectern names, each with its versions oldest first — and the report it answers.
import { z } from "zod";
import { foreignTemplateFormats, type ForeignTemplateFormat } from "../../registry/formats/foreign-templates";
import { importedPromptReport, importTotals } from "../../registry/imported";

export const foreignSystems = ["promptlayer", "langsmith", "pezzo"] as const;
export type ForeignSystem = (typeof foreignSystems)[number];

/** A chat message as the source has it: a role and a template, or a placeholder for messages given later. */
export type ForeignMessage = { role: string; content: string } | { role: "placeholder"; name: string };

export interface ForeignVersion {
  /** Stable id in the source (version number, commit hash, sha): the idempotency key. */
  sourceId: string;
  format: ForeignTemplateFormat;
  content: { type: "text"; template: string } | { type: "chat"; messages: ForeignMessage[] };
  model?: { provider?: string; name?: string; parameters?: Record<string, unknown> };
  /** Commit message. */
  message?: string;
  author?: string;
  /** ISO 8601. */
  createdAt?: string;
  /** Release labels / tags / environments where this version is live. */
  labels: string[];
}

export interface ForeignPrompt {
  /** Already mapped to a Lectern name (folders as `a/b`). */
  name: string;
  description?: string;
  tags?: string[];
  /** Oldest first. */
  versions: ForeignVersion[];
}

const text = (field: string, max: number) =>
  z.string({ error: `${field} must be a string` }).max(max, `${field} must be at most ${max} characters`);

/** A source prompt as it must arrive (what a reader hands over is checked, as a request body is). */
export const foreignPromptSchema = z.object({
  name: text("name", 255),
  description: text("description", 2000).optional(),
  tags: z.array(text("tag", 50)).max(20).optional(),
  versions: z.array(
    z.object({
      sourceId: text("sourceId", 200).min(1, "sourceId must not be empty"),
      format: z.enum(foreignTemplateFormats, { error: `format must be one of ${foreignTemplateFormats.join(", ")}` }),
      content: z.discriminatedUnion("type", [
        z.object({ type: z.literal("text"), template: z.string() }),
        z.object({
          type: z.literal("chat"),
          messages: z.array(
            z.union([
              z.object({ role: z.literal("placeholder"), name: z.string() }),
              z.object({ role: text("role", 50), content: z.string() }),
            ]),
          ),
        }),
      ]),
      model: z
        .object({
          provider: text("model.provider", 100).optional(),
          name: text("model.name", 200).optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        })
        .optional(),
      message: text("message", 10_000).optional(),
      author: text("author", 200).optional(),
      createdAt: z
        .string()
        .refine((s) => !Number.isNaN(Date.parse(s)), "createdAt must be a date-time")
        .optional(),
      labels: z.array(text("label", 100)).max(100),
    }),
  ),
});

export const importForeignInput = z.object({
  system: z.enum(foreignSystems, { error: `system must be one of ${foreignSystems.join(", ")}` }),
  /** Where the prompts come from (a base URL, a database host): recorded with each version. */
  source: z.string({ error: "source must be a string" }).trim().min(1, "source must not be empty").max(500),
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});
export type ImportForeignInput = z.input<typeof importForeignInput> & {
  /** The request that asked: its end stops the import (the import's own deadline applies as well). */
  signal?: AbortSignal;
};

/** What happened to one version of the source. */
export const sourceVersionReport = z.object({
  sourceId: z.string(),
  /** created: written (or, in a dry run, would be); unchanged: imported before; refused: not imported, why in reason. */
  outcome: z.enum(["created", "unchanged", "refused"]),
  /** Its number here. */
  version: z.number().int().optional(),
  /** The syntax its templates were converted from, when they were not Lectern's Mustache as written. */
  convertedFrom: z.string().optional(),
  reason: z.string().optional(),
  /** For a template that cannot be converted: the construct, and the field it sits in. */
  construct: z.string().optional(),
  field: z.string().optional(),
});

export const foreignPromptReport = importedPromptReport.extend({
  /** Version labels moved (labels that name no environment here): the version each names afterwards, and before. */
  versionLabels: z.array(z.object({ label: z.string(), version: z.number().int(), from: z.number().int().nullable() })),
  sources: z.array(sourceVersionReport),
  /** Labels a version held in the source that Lectern's release path did not move here, and why. */
  wasLiveIn: z.array(z.object({ label: z.string(), sourceId: z.string(), reason: z.string() })),
});
export type ForeignPromptReport = z.infer<typeof foreignPromptReport>;

/** POST /api/v1/import/<system>: what was (or, in a dry run, would be) imported, per prompt. */
export const foreignImportReportSchema = z.object({
  dryRun: z.boolean(),
  system: z.enum(foreignSystems),
  source: z.string(),
  prompts: z.array(foreignPromptReport),
  totals: importTotals.extend({
    /** Version labels moved in the prompts imported. */
    versionLabels: z.number().int(),
    /** Source versions refused, over every prompt. */
    refused: z.number().int(),
  }),
});
export type ForeignImportReport = z.infer<typeof foreignImportReportSchema>;
