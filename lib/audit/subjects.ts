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
  // The prompt names of the rows of `table` (reviews or drafts) with these ids, in this project.
  const namesOf = (table: typeof reviewRequests | typeof drafts, of: string[]) => () =>
    of.length
      ? db
          .select({ id: table.id, name: prompts.name })
          .from(table)
          .innerJoin(prompts, eq(prompts.id, table.promptId))
          .where(and(inArray(table.id, of), eq(prompts.projectId, projectId)))
      : [];
  const [reviewRows, draftRows] = await readTogether(db, [
    namesOf(reviewRequests, reviewIds),
    namesOf(drafts, draftIds),
  ]);
  return new Map([
    ...reviewRows.map((r) => [`review:${r.id}`, r.name] as const),
    ...draftRows.map((r) => [`draft:${r.id}`, r.name] as const),
  ]);
}
