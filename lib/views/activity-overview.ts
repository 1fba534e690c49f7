// The activity page (read model): one page of the audit log, filtered by prompt, member and action as the URL
// asks (an unknown value is ignored), each row with the prompt it is about, and the choices of the filters.
import type { Db } from "../../db/client";
import { isAuditAction } from "../audit/actions";
import { listAudit } from "../audit/record";
import { auditPromptNames } from "../audit/subjects";
import { listMembers } from "../auth/projects";
import { listPromptRows } from "../registry/prompts";

export const activityPageSize = 50;

export async function activityOverview(
  db: Db,
  projectId: string,
  query: { prompt?: string; user?: string; action?: string; before?: string },
) {
  const [prompts, members] = await Promise.all([
    listPromptRows(db, projectId, { limit: 200 }),
    listMembers(db, projectId),
  ]);
  const promptById = new Map(prompts.items.map((p) => [p.id, p.name]));
  const promptId = prompts.items.find((p) => p.name === query.prompt)?.id;
  const action = isAuditAction(query.action) ? query.action : undefined;
  const userId = members.find((m) => m.userId === query.user)?.userId;
  const before = Number(query.before) > 0 ? Number(query.before) : undefined;
  const rows = await listAudit(db, projectId, {
    ...(promptId ? { objectType: "prompt", objectId: promptId } : {}),
    action,
    actorId: userId,
    before,
    limit: activityPageSize,
  });
  const viaOthers = await auditPromptNames(db, projectId, rows);
  // Every row about a prompt names it: entries on a prompt directly, reviews and drafts through their own rows.
  const nameOf = (type: string, id: string | null) =>
    !id ? undefined : type === "prompt" ? promptById.get(id) : viaOthers.get(`${type}:${id}`);
  return {
    prompts: prompts.items.map((p) => ({ id: p.id, name: p.name })),
    members,
    action,
    userId,
    before,
    filters: {
      ...(query.prompt ? { prompt: query.prompt } : {}),
      ...(userId ? { user: userId } : {}),
      ...(action ? { action } : {}),
    },
    rows: rows.map((r) => ({ ...r, promptName: nameOf(r.objectType, r.objectId) })),
  };
}
