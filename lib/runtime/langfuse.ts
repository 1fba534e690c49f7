// The Langfuse-compatible prompt surface (its public `prompts.yml` shapes), so a Langfuse SDK can
// switch to Lectern by changing its base URL: labels map to environments, "latest" to the newest
// version, and partials are inlined because Langfuse clients compile templates without them.
import { z } from "zod";
import type { Content } from "../registry/content";
import { promptNameSchema } from "../registry/names";
import { inlinePartials } from "../registry/partials";
import { countParam, versionParam } from "../registry/numbers";

export const langfuseGetQuery = z.object({
  label: z.string().min(1).max(36).optional(),
  version: versionParam().optional(),
  resolve: z.enum(["true", "false"]).optional(),
});

export const langfuseListQuery = z.object({
  name: z.string().optional(),
  label: z.string().optional(),
  tag: z.string().optional(),
  page: countParam("page", 1, 1_000_000).default(1),
  limit: countParam("limit", 1, 100).default(50),
});

const chatMessage = z.object({
  role: z.string().min(1),
  content: z.string(),
  type: z.literal("chatmessage").optional(),
});

export const langfuseCreateBody = z
  .object({
    name: promptNameSchema,
    type: z.enum(["text", "chat"], { error: 'type must be "text" or "chat"' }).default("text"),
    prompt: z.union([z.string(), z.array(chatMessage)], {
      error: "prompt must be a string (text) or a list of messages (chat)",
    }),
    config: z.record(z.string(), z.unknown(), { error: "config must be an object" }).default({}),
    labels: z.array(z.string().min(1).max(36), { error: "labels must be a list of strings" }).max(20).default([]),
    tags: z.array(z.string().min(1).max(50), { error: "tags must be a list of strings" }).max(20).default([]),
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

export function langfusePrompt(
  p: {
    name: string;
    version: number;
    content: Content;
    labels: string[];
    tags: string[];
    commitMessage?: string | null;
  },
  partials: Record<string, string> = {},
) {
  const base = {
    name: p.name,
    version: p.version,
    config: p.content.config,
    labels: p.labels,
    tags: p.tags,
    commitMessage: p.commitMessage ?? null,
  };
  const c = p.content;
  if (c.type === "text") return { ...base, type: "text" as const, prompt: inlinePartials(c.template, partials) };
  return {
    ...base,
    type: "chat" as const,
    prompt: c.template.map((m) => ({
      type: "chatmessage" as const,
      role: m.role,
      content: inlinePartials(m.content, partials),
    })),
  };
}

/** Variables a Langfuse-created template uses, declared as optional strings (Langfuse has no declarations). */
export function inferVariables(texts: string[]): { name: string; type: "string"; required: boolean }[] {
  const names = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) names.add(m[1]!);
  return [...names].map((name) => ({ name, type: "string" as const, required: false }));
}
