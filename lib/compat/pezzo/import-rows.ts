// Pezzo's rows as the importer core's ForeignPrompts (lib/compat/import). `lectern import pezzo` reads them
// from a self-hosted Pezzo's PostgreSQL — the tables of Pezzo's Prisma schema, under their own column names —
// and sends them here; everything they say is checked as any request body is: bounded, typed, and mapped
// without trusting that Pezzo wrote them. Pure.
import { z } from "zod";
import type { ForeignPrompt, ForeignVersion } from "../import";
import { pezzoTextAsFString } from "./syntax";

const id = z.string().min(1).max(100);
const at = z.string().max(40);

/** A PromptVersion row (Pezzo's Prisma schema): the sha is its id, content and settings are JSON. */
const versionRow = z.object({
  sha: z.string().min(1).max(200),
  promptId: id,
  type: z.enum(["Prompt", "Chat"]),
  service: z.string().max(100),
  settings: z.unknown(),
  content: z.unknown(),
  message: z.string().max(10_000).nullish(),
  createdById: z.string().max(100).nullish(),
  createdAt: at,
});
export type PezzoVersionRow = z.infer<typeof versionRow>;

/** Some prompts with every version and current deployment of theirs, and the environments and authors they name. */
export const pezzoRows = z.object({
  environments: z.array(z.object({ id, name: z.string().max(255) })).max(1_000),
  users: z.array(z.object({ id, email: z.string().max(320) })).max(10_000),
  prompts: z.array(z.object({ id, name: z.string().max(1_000) })).max(100),
  versions: z.array(versionRow).max(20_000),
  /** PromptEnvironment rows: the newest per prompt and environment is what Pezzo serves there. */
  promptEnvironments: z
    .array(z.object({ promptId: id, environmentId: id, promptVersionSha: z.string().max(200), createdAt: at }))
    .max(100_000),
});
export type PezzoRows = z.infer<typeof pezzoRows>;

const message = z.object({ role: z.string().min(1).max(40), content: z.string() });
const promptContent = z.object({ prompt: z.string() });
const chatContent = z.object({ messages: z.array(message).min(1).max(100) });

// Pezzo's services (PromptService) by the provider a Lectern connection is chosen for.
const providers: Record<string, string> = {
  OpenAIChatCompletion: "openai",
  AzureOpenAIChatCompletion: "openai",
  AnthropicCompletion: "anthropic",
};

/** A version's content in f-string syntax (Pezzo's `{name}`, exactly: syntax.ts), or why it is not Pezzo's shape. */
function contentOf(v: PezzoVersionRow): ForeignVersion["content"] | string {
  if (v.type === "Prompt") {
    const parsed = promptContent.safeParse(v.content);
    if (parsed.success) return { type: "text", template: pezzoTextAsFString(parsed.data.prompt) };
  } else {
    const parsed = chatContent.safeParse(v.content);
    if (parsed.success)
      return {
        type: "chat",
        messages: parsed.data.messages.map((m) => ({ role: m.role, content: pezzoTextAsFString(m.content) })),
      };
  }
  return `its content is not a Pezzo ${v.type} prompt's (${v.type === "Prompt" ? "{prompt}" : "{messages: [{role, content}]}"})`;
}

function modelOf(v: PezzoVersionRow): ForeignVersion["model"] {
  const settings = v.settings !== null && typeof v.settings === "object" ? { ...(v.settings as object) } : {};
  const { model, ...parameters } = settings as Record<string, unknown>;
  return {
    provider: providers[v.service] ?? v.service,
    ...(typeof model === "string" && { name: model }),
    parameters,
  };
}

const groupBy = <T>(items: T[], key: (t: T) => string) => {
  const out = new Map<string, T[]>();
  for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
};

/**
 * Which environments serve which version of a prompt: the newest PromptEnvironment row of each environment, in
 * the order of Pezzo's environments (as the rows list them), so that one source always reads the same.
 */
function liveIn(deployments: PezzoRows["promptEnvironments"], environments: PezzoRows["environments"]) {
  const newest = new Map<string, PezzoRows["promptEnvironments"][number]>();
  for (const r of deployments)
    if (r.createdAt >= (newest.get(r.environmentId)?.createdAt ?? "")) newest.set(r.environmentId, r);
  const bySha = new Map<string, string[]>();
  for (const e of environments) {
    const r = newest.get(e.id);
    // Lectern names environments in lowercase: Pezzo's "Production" is production.
    if (r) bySha.set(r.promptVersionSha, [...(bySha.get(r.promptVersionSha) ?? []), e.name.toLowerCase()]);
  }
  return bySha;
}

/** A version the rows hold that cannot be handed over, and why (the report says so beside the core's). */
export type PezzoRefusal = { prompt: string; sourceId: string; reason: string };

const bySourceOrder = (a: PezzoVersionRow, b: PezzoVersionRow) =>
  a.createdAt === b.createdAt ? (a.sha < b.sha ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;

/** Each prompt with every version, oldest first (Pezzo's createdAt, then sha), as ForeignPrompts. */
export function pezzoForeignPrompts(rows: PezzoRows): { prompts: ForeignPrompt[]; refused: PezzoRefusal[] } {
  const authors = new Map(rows.users.map((u) => [u.id, u.email]));
  const versionsOf = groupBy(rows.versions, (v) => v.promptId);
  const deploymentsOf = groupBy(rows.promptEnvironments, (r) => r.promptId);
  const refused: PezzoRefusal[] = [];
  const prompts = rows.prompts.map((p): ForeignPrompt => {
    const labels = liveIn(deploymentsOf.get(p.id) ?? [], rows.environments);
    const versions: ForeignVersion[] = [];
    for (const v of (versionsOf.get(p.id) ?? []).sort(bySourceOrder)) {
      const content = contentOf(v);
      if (typeof content === "string") {
        refused.push({ prompt: p.name, sourceId: v.sha, reason: content });
        continue;
      }
      const author = v.createdById ? authors.get(v.createdById) : undefined;
      versions.push({
        sourceId: v.sha,
        format: "f-string",
        content,
        model: modelOf(v),
        ...(v.message && { message: v.message }),
        ...(author && { author }),
        createdAt: v.createdAt,
        labels: labels.get(v.sha) ?? [],
      });
    }
    return { name: p.name, versions };
  });
  return { prompts, refused };
}
