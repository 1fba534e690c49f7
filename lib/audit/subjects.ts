// The prompt an audit entry is about, for entries recorded against a review or a draft copy (entries
// about a prompt name it directly), so the activity log can link every row to its prompt.
import { and, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../db/client";
import { drafts, prompts, reviewRequests } from "../../db/schema";
import { isUuid } from "../validation";

export type AuditSubject = { objectType: string; objectId: string | null };

/** "review:<id>" / "draft:<id>" → prompt name, for the given entries of one project. */
export async function auditPromptNames(
  db: Db,
  projectId: string,
  entries: AuditSubject[],
): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(
      entries.filter((e) => e.objectType === type && e.objectId && isUuid(e.objectId)).map((e) => e.objectId!),
    ),
  ];
  const [reviewIds, draftIds] = [ids("review"), ids("draft")];
  const [reviewRows, draftRows] = await readTogether(db, [
    () =>
      reviewIds.length
        ? db
            .select({ id: reviewRequests.id, name: prompts.name })
            .from(reviewRequests)
            .innerJoin(prompts, eq(prompts.id, reviewRequests.promptId))
            .where(and(inArray(reviewRequests.id, reviewIds), eq(prompts.projectId, projectId)))
        : [],
    () =>
      draftIds.length
        ? db
            .select({ id: drafts.id, name: prompts.name })
            .from(drafts)
            .innerJoin(prompts, eq(prompts.id, drafts.promptId))
            .where(and(inArray(drafts.id, draftIds), eq(prompts.projectId, projectId)))
        : [],
  ]);
  return new Map([
    ...reviewRows.map((r) => [`review:${r.id}`, r.name] as const),
    ...draftRows.map((r) => [`draft:${r.id}`, r.name] as const),
  ]);
}
