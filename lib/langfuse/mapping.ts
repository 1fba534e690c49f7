// The Langfuse-compatible prompt surface (its public prompts.yml and prompt-version.yml shapes), so a
// Langfuse SDK switches to Lectern by changing its base URL. Labels map to environments, `latest` to
// the newest version; Langfuse composition tags are Lectern's pinned partials in another syntax
// (lib/registry/templates/partial-refs.ts); chat placeholders are stored as they are. Pure mapping and input
// schemas here; reads in reads.ts and list.ts, writes in writes.ts.
import { z } from "zod";
import type { Content, TemplateContent } from "../registry/content";
import { promptNameSchema, reservedPromptNames } from "../registry/names";
import { countParam, versionParam } from "../number-params";
import {
  fromLangfuseTags,
  inlinePartials,
  latestLabel,
  pinLabelPattern,
  toLangfuseTags,
} from "../registry/templates/partial-refs";
import { inferVariables } from "../registry/templates/variables";
import { skillEntryFile } from "../registry/skills/skill-files";

export { latestLabel };

/** Langfuse's label rule (its PromptLabelSchema): lowercase letters, digits, '_', '-', '.'; 1–36 characters. */
export const langfuseLabel = z.string({ error: "labels must be strings" }).regex(pinLabelPattern, {
  error: "a label must be 1–36 lowercase letters, digits, '_', '-' or '.'",
});

export const langfuseGetQuery = z.object({
  label: z
    .string()
    .min(1)
    .max(36)
    .optional()
    .describe("What the environment of this name serves (default: production; latest: the newest version)"),
  version: versionParam().optional().describe("This version instead of a label"),
  resolve: z
    .enum(["true", "false"], { error: 'resolve must be "true" or "false"' })
    .optional()
    .describe("false: the prompt as written, its references to other prompts not expanded"),
});

const instantParam = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time, e.g. 2026-11-17T15:00:00Z` });

export const langfuseListQuery = z.object({
  name: z.string().optional().describe("Only the prompt of this name"),
  label: z.string().optional().describe("Only prompts with a version carrying this label (an environment's name)"),
  tag: z.string().optional().describe("Only prompts with this tag"),
  version: versionParam().optional().describe("Only prompts that have this version"),
  page: countParam("page", 1, 1_000_000).default(1).describe("The page, from 1"),
  // Langfuse's own default (its GetPromptsMetaSchema); the spec names none.
  limit: countParam("limit", 1, 100).default(10).describe("Prompts per page (1–100)"),
  fromUpdatedAt: instantParam("fromUpdatedAt").optional().describe("Only prompts changed at or after this instant"),
  toUpdatedAt: instantParam("toUpdatedAt").optional().describe("Only prompts changed before this instant"),
});
export type LangfuseListQuery = z.infer<typeof langfuseListQuery>;

export const langfuseDeleteQuery = z.object({
  label: z.string().min(1).max(36).optional().describe("Only the versions carrying this label"),
  version: versionParam().optional().describe("Only this version (default, with no label either: every version)"),
});

export const langfusePatchBody = z.object({
  newLabels: z
    .array(langfuseLabel, { error: "newLabels must be a list of labels" })
    .max(50)
    .refine((labels) => !labels.includes(latestLabel), {
      error: "Label 'latest' is always on the newest version and cannot be set by hand",
    }),
});

const htmlTag = /<[^<>]*>/;

/**
 * Langfuse's PromptNameSchema (packages/shared: StringNoHTMLNonEmpty, the '|' rule, withFolderPathValidation,
 * the reserved page names), check for check and word for word, so its clients and tests read the messages
 * they expect; then trimmed, as Langfuse trims, and held to Lectern's own rule (control characters, '.'
 * segments, 255 characters), whose checks it repeats with its own words.
 */
export const langfusePromptName = z
  .string({ error: "name must be a string" })
  .min(1, "Text cannot be empty")
  .refine((v) => !htmlTag.test(v), { message: "Text cannot contain HTML tags" })
  .regex(/^[^|]*$/, "Prompt name cannot contain '|' character")
  .regex(/^[^/]/, "Name cannot start with a slash")
  .regex(/^(?!.*\/\/)/, "Name cannot contain consecutive slashes")
  .regex(/^.*[^/]$/, "Name cannot end with a slash")
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "Name cannot be empty")
  .refine((s) => !(reservedPromptNames as readonly string[]).includes(s), {
    error: (issue) => `Prompt name cannot be '${String(issue.input)}'`,
  })
  .pipe(promptNameSchema);

export const langfuseCreateBody = z
  .object({
    name: langfusePromptName,
    type: z.enum(["text", "chat"], { error: 'type must be "text" or "chat"' }).default("text"),
    prompt: z.union([z.string(), z.array(z.unknown())], {
      error: "prompt must be a string (text) or a list of messages (chat)",
    }),
    config: z
      .record(z.string(), z.unknown(), { error: "config must be an object" })
      .nullish()
      .transform((c) => c ?? {}),
    labels: z.array(langfuseLabel, { error: "labels must be a list of strings" }).max(50).default([]),
    // Absent: the prompt keeps its tags; a list (even empty) replaces them on every version.
    tags: z
      .array(z.string().min(1).max(50), { error: "tags must be a list of strings" })
      .max(20)
      .nullish()
      .transform((t) => t ?? undefined),
    commitMessage: z.string().max(1000).nullish(),
  })
  .superRefine((b, ctx) => {
    // Langfuse clients send the type and the prompt separately; they must agree.
    if (b.type === "chat" && typeof b.prompt === "string")
      ctx.addIssue({
        code: "custom",
        path: ["prompt"],
        message: 'prompt must be a list of messages when type is "chat"',
      });
    if (b.type === "text" && typeof b.prompt !== "string")
      ctx.addIssue({ code: "custom", path: ["prompt"], message: 'prompt must be a string when type is "text"' });
  });
export type LangfuseCreateBody = z.infer<typeof langfuseCreateBody>;

/** A Langfuse create body's prompt as Lectern content: composition tags become pinned partials. */
export function contentFromLangfuse(body: Pick<LangfuseCreateBody, "type" | "prompt" | "config">): unknown {
  const template =
    typeof body.prompt === "string"
      ? fromLangfuseTags(body.prompt)
      : body.prompt.map((m) =>
          typeof m === "object" && m !== null && typeof (m as { content?: unknown }).content === "string"
            ? { ...m, content: fromLangfuseTags((m as { content: string }).content) }
            : m,
        );
  const texts =
    typeof template === "string"
      ? [template]
      : template.flatMap((m) =>
          typeof m === "object" && m !== null && typeof (m as { content?: unknown }).content === "string"
            ? [(m as { content: string }).content]
            : [],
        );
  return { type: body.type, template, config: body.config, variables: inferVariables(texts) };
}

/** The resolution graph Langfuse returns: the root and, per including version's id, what it includes. */
export type ResolutionGraph = {
  root: { name: string; version: number; id: string };
  dependencies: Record<string, { name: string; version: number; id: string }[]>;
} | null;

export interface LangfuseRecordInput {
  id: string;
  projectId: string;
  name: string;
  version: number;
  content: Content;
  labels: string[];
  tags: string[];
  commitMessage: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** Partial reference → text, for a resolved answer; null for `resolve=false` (raw, tags intact). */
  partials: Record<string, string> | null;
  resolutionGraph: ResolutionGraph;
}

/** One prompt version as Langfuse's API returns it. */
export function langfuseRecord(p: LangfuseRecordInput) {
  const text = (t: string) => (p.partials ? inlinePartials(t, p.partials) : toLangfuseTags(t));
  // A skill reads as a text prompt holding its SKILL.md as written (Langfuse keeps skills as text prompts);
  // its other files are served by Lectern's own API, the skills index and MCP.
  const c: TemplateContent =
    p.content.type === "skill"
      ? {
          type: "text",
          template: p.content.files[skillEntryFile] ?? "",
          variables: [],
          config: p.content.config,
          examples: [],
        }
      : p.content;
  const prompt =
    c.type === "text"
      ? text(c.template)
      : c.template.map((m) =>
          "type" in m
            ? { type: "placeholder" as const, name: m.name }
            : {
                role: m.role,
                content:
                  typeof m.content === "string"
                    ? text(m.content)
                    : m.content.map((p) => (p.type === "text" ? { ...p, text: text(p.text) } : p)),
              },
        );
  return {
    id: p.id,
    projectId: p.projectId,
    name: p.name,
    version: p.version,
    type: c.type,
    prompt,
    config: c.config,
    labels: p.labels,
    tags: p.tags,
    commitMessage: p.commitMessage || null,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    isActive: p.labels.includes("production"),
    resolutionGraph: p.resolutionGraph,
  };
}
export type LangfuseRecord = ReturnType<typeof langfuseRecord>;

/** Who made a version, as Langfuse says it: "API" for an API key, else the person (or the imported author). */
export function createdByOf(authorLabel: string): string {
  return authorLabel.startsWith("api-key:") ? "API" : authorLabel;
}
