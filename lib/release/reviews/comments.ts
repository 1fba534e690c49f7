// Comments on a prompt version, or in a review's discussion, with @mentions of project members. A
// mention is `@` and a member's e-mail address, or the part before its `@` when only one member has it;
// a mention of someone who is not a member is refused (the comment names them), so a mention that was
// accepted always reaches a person. Audited as comment.create: webhooks send comment.created.
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { prompts, reviewRequests, users, versionComments } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { listMembers } from "../../auth/projects";
import { AppError } from "../../errors";
import { actorUserId, type DomainContext } from "../../context";
import { versionNumber } from "../../number-params";
import { getPrompt } from "../../registry/prompts";
import { parseInput } from "../../validation";
import { mentionHandles, resolveMentions, type Mention } from "./mentions";

export type { Mention } from "./mentions";

export const MAX_COMMENT_LENGTH = 4000;

export const addCommentInput = z
  .object({
    version: versionNumber(),
    reviewId: z.uuid({ error: "reviewId must be a review's id" }).optional(),
    body: z
      .string({ error: "body is required" })
      .trim()
      .min(1, { error: "body is required" })
      .max(MAX_COMMENT_LENGTH, { error: `body must be at most ${MAX_COMMENT_LENGTH} characters` }),
  })
  .strict();

export const listCommentsInput = z.object({
  version: versionNumber().optional().describe("Only the comments on this version (default: on every version)"),
});

export type CommentDto = {
  id: string;
  prompt: string;
  version: number;
  reviewId: string | null;
  author: string;
  body: string;
  mentions: Mention[];
  createdAt: string;
};

/** A comment as the API answers it (POST …/comments), with the members it mentions. */
export const commentSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  version: z.number().int().min(1),
  reviewId: z.string().nullable(),
  author: z.string(),
  body: z.string(),
  mentions: z.array(z.object({ id: z.string(), email: z.string(), name: z.string() })),
  createdAt: z.iso.datetime({ offset: true }),
});

/** GET /api/v1/prompts/{name}/comments: oldest first. */
export const commentListResponse = z.object({ data: z.array(commentSchema) });
const _comment: (c: CommentDto) => z.input<typeof commentSchema> = (c) => c;
void _comment;

export async function addPromptComment(ctx: DomainContext, promptName: string, input: unknown): Promise<CommentDto> {
  const data = parseInput(addCommentInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  if (data.version > prompt.latestVersion)
    throw new AppError("not_found", `${promptName} has no version ${data.version}.`, { field: "version" });
  if (data.reviewId) {
    const [review] = await ctx.db
      .select({ promptId: reviewRequests.promptId, version: reviewRequests.version })
      .from(reviewRequests)
      .where(eq(reviewRequests.id, data.reviewId));
    if (!review || review.promptId !== prompt.id || review.version !== data.version)
      throw new AppError("not_found", `No review ${data.reviewId} of ${promptName} v${data.version}.`, {
        field: "reviewId",
      });
  }
  const { mentions, unknown, ambiguous } = resolveMentions(
    mentionHandles(data.body),
    await listMembers(ctx.db, ctx.projectId),
  );
  if (unknown.length || ambiguous.length) {
    const parts = [
      ...unknown.map((h) => `@${h} is not a member of this project`),
      ...ambiguous.map((h) => `@${h} matches more than one member: write the whole e-mail address`),
    ];
    throw new AppError("invalid_input", `${parts.join("; ")}. Nothing was saved.`, {
      field: "body",
      unknown,
      ambiguous,
    });
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(versionComments)
      .values({
        projectId: ctx.projectId,
        promptId: prompt.id,
        version: data.version,
        reviewId: data.reviewId ?? null,
        authorId: actorUserId(ctx),
        authorLabel: ctx.actor.label,
        body: data.body,
        mentions: mentions.map((m) => m.id),
      })
      .returning();
    const dto: CommentDto = {
      id: row!.id,
      prompt: prompt.name,
      version: row!.version,
      reviewId: row!.reviewId,
      author: ctx.actor.label,
      body: row!.body,
      mentions,
      createdAt: row!.createdAt.toISOString(),
    };
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "comment.create",
      objectType: "comment",
      objectId: row!.id,
      after: {
        prompt: dto.prompt,
        version: dto.version,
        reviewId: dto.reviewId,
        body: dto.body,
        mentions: dto.mentions,
      },
    });
    return dto;
  });
}

/** A prompt's comments (of one version, or of all), oldest first, with the members they mention. */
export async function listPromptComments(
  db: Db,
  projectId: string,
  promptName: string,
  input: z.input<typeof listCommentsInput> = {},
): Promise<CommentDto[]> {
  const q = parseInput(listCommentsInput, input);
  const prompt = await getPrompt(db, projectId, promptName);
  return commentsWhere(
    db,
    and(
      eq(versionComments.promptId, prompt.id),
      q.version === undefined ? undefined : eq(versionComments.version, q.version),
    )!,
  );
}

/** The discussions of reviews (the reviews page), by review id, oldest first. */
export async function reviewDiscussions(
  db: Db,
  projectId: string,
  reviewIds: string[],
): Promise<Map<string, CommentDto[]>> {
  const out = new Map<string, CommentDto[]>(reviewIds.map((id) => [id, []]));
  if (!reviewIds.length) return out;
  const rows = await commentsWhere(
    db,
    and(eq(versionComments.projectId, projectId), inArray(versionComments.reviewId, reviewIds))!,
  );
  for (const c of rows) out.get(c.reviewId!)?.push(c);
  return out;
}

async function commentsWhere(db: Db, where: SQL): Promise<CommentDto[]> {
  const rows = await db
    .select({ c: versionComments, prompt: prompts.name, authorName: users.name })
    .from(versionComments)
    .innerJoin(prompts, eq(prompts.id, versionComments.promptId))
    .leftJoin(users, eq(users.id, versionComments.authorId))
    .where(where)
    .orderBy(asc(versionComments.createdAt))
    .limit(1000);
  const ids = [...new Set(rows.flatMap((r) => r.c.mentions))];
  const people = ids.length
    ? await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids))
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map(({ c, prompt, authorName }) => ({
    id: c.id,
    prompt,
    version: c.version,
    reviewId: c.reviewId,
    author: authorName || c.authorLabel,
    body: c.body,
    mentions: c.mentions.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    createdAt: c.createdAt.toISOString(),
  }));
}
