// Prompts: create, find. Versions live in versions.ts; the library list and its facets in prompt-list.ts.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError, isUniqueViolation, pgConstraint } from "../errors";
import { skillFolderName, skillFrontmatter } from "./skills/skill-files";
import { parseInput } from "../validation";
import { contentSchema } from "./content";
import { withTx, actorUserId, type DomainContext } from "../context";
import { isPromptName, newPromptNameSchema, promptNameError } from "./names";
import { diffContent } from "./changes/diff";
import { checkContent, insertVersion, prepareContent, type VersionRow } from "./version-rows";

export type PromptRow = typeof prompts.$inferSelect;

const tagsInput = z
  .array(z.string().trim().min(1).max(50, { error: "each tag must be at most 50 characters" }))
  .max(20, { error: "tags must be at most 20" });

export const createPromptInput = z.looseObject({
  name: newPromptNameSchema,
  description: z.string().max(2000, { error: "description must be at most 2000 characters" }).default(""),
  tags: tagsInput.default([]),
  targetModel: z.string().max(100).optional(),
  commitMessage: z.string().max(1000, { error: "commitMessage must be at most 1000 characters" }).default(""),
});

export async function createPrompt(
  ctx: DomainContext,
  input: unknown,
  /** What version 1 says when no commit message is given (the Langfuse API keeps none: ""). */
  opts: {
    defaultCommitMessage?: string;
    /** More writes in the prompt's transaction (an import's display name, its tests dataset). */
    inTransaction?: (tx: Db, prompt: PromptRow, version: VersionRow) => Promise<void>;
  } = {},
): Promise<{ prompt: PromptRow; version: VersionRow; warnings: string[] }> {
  const meta = parseInput(createPromptInput, input);
  const { type, template, files, modes, variables, config, examples } = meta as Record<string, unknown>;
  const prepared = prepareContent(
    parseInput(contentSchema, { type, template, files, modes, variables, config, examples }),
  );
  const content = prepared.content;
  const warnings = [...prepared.warnings, ...(await checkContent(ctx.db, ctx.projectId, meta.name, content))];
  const diff = diffContent(null, content);
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const [prompt] = await tx
        .insert(prompts)
        .values({
          projectId: ctx.projectId,
          name: meta.name,
          // A skill's description is its frontmatter's: what agents and the discovery index read.
          description: content.type === "skill" ? skillFrontmatter(content.files).description : meta.description,
          tags: meta.tags,
          targetModel: meta.targetModel ?? (typeof content.config.model === "string" ? content.config.model : null),
          ownerId: actorUserId(ctx),
          latestVersion: 1,
        })
        .returning();
      const version = await insertVersion(withTx(ctx, tx), prompt!, 1, content, {
        commitMessage: meta.commitMessage || (opts.defaultCommitMessage ?? "Initial version"),
        baseVersion: null,
        diff,
      });
      const seq = await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "prompt.create",
        objectType: "prompt",
        objectId: prompt!.id,
        after: { name: meta.name, version: 1 },
      });
      await opts.inTransaction?.(tx, prompt!, version);
      return { prompt: prompt!, version, seq };
    });
    await ctx.events.publish({
      projectId: ctx.projectId,
      prompt: meta.name,
      environment: null,
      version: 1,
      action: "version",
      seq: result.seq,
    });
    return { prompt: result.prompt, version: result.version, warnings };
  } catch (e) {
    if (isUniqueViolation(e) && pgConstraint(e) === "prompts_project_skill_name")
      throw new AppError(
        "conflict",
        `A skill named ${skillFolderName(meta.name)} already exists in this project: agents install skills by the last segment of their name, so it must be unique.`,
        { field: "name", rule: "name.unique" },
      );
    if (isUniqueViolation(e))
      throw new AppError("conflict", `A prompt named ${meta.name} already exists in this project.`, { field: "name" });
    throw e;
  }
}

export const updatePromptDetailsInput = z.object({
  description: z.string().max(2000, { error: "description must be at most 2000 characters" }).optional(),
  tags: tagsInput.optional(),
});

/** Changes a prompt's description and tags: settings of the prompt, not of a version, so not versioned. */
export async function updatePromptDetails(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof updatePromptDetailsInput>,
): Promise<PromptRow> {
  const data = parseInput(updatePromptDetailsInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  return ctx.db.transaction((tx) => writePromptDetails(withTx(ctx, tx), prompt, data));
}

/**
 * Writes the details that differ from the prompt's, with their audit row, in the caller's transaction (`data`
 * already parsed with updatePromptDetailsInput and the actor authorized): the prompt as it is now.
 */
export async function writePromptDetails(
  ctx: DomainContext,
  prompt: PromptRow,
  data: z.output<typeof updatePromptDetailsInput>,
): Promise<PromptRow> {
  const tx = ctx.db;
  const fields = (["description", "tags"] as const).filter(
    (f) => data[f] !== undefined && JSON.stringify(data[f]) !== JSON.stringify(prompt[f]),
  );
  if (!fields.length) return prompt;
  const change = Object.fromEntries(fields.map((f) => [f, data[f]]));
  const [row] = await tx
    .update(prompts)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(prompts.id, prompt.id))
    .returning();
  await recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "prompt.update",
    objectType: "prompt",
    objectId: prompt.id,
    before: Object.fromEntries(fields.map((f) => [f, prompt[f]])),
    after: change,
  });
  return row!;
}

export async function findPrompt(db: Db, projectId: string, name: string): Promise<PromptRow | undefined> {
  if (!isPromptName(name)) return undefined;
  const [row] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.projectId, projectId), eq(prompts.name, name)));
  return row;
}

export async function getPrompt(db: Db, projectId: string, name: string): Promise<PromptRow> {
  if (!isPromptName(name)) throw new AppError("invalid_input", promptNameError(name), { field: "name" });
  const row = await findPrompt(db, projectId, name);
  if (!row) throw new AppError("not_found", `No prompt named ${name} in this project.`, { prompt: name });
  return row;
}

export {
  lastEdits,
  listPromptRows,
  listPromptsInput,
  promptFacets,
  listPrompts,
  type PromptListQuery,
} from "./prompt-list";
