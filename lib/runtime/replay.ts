// Changes since an SSE event id, read back from the audit log (whose ids the live events reuse), so a
// client that reconnects to any instance with Last-Event-ID misses nothing.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { PromptChanged } from "../release/events";

const actions = ["prompt.create", "version.create", "draft.merge", "deployment.promote", "deployment.rollback", "deployment.auto_rollback", "deployment.auto_promote"];

type Row = { id: string | number; action: string; name: string; after: { environment?: string; version?: number } | null };

export async function changesSince(db: Db, projectId: string, afterSeq: number, limit = 500): Promise<PromptChanged[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select a.id, a.action, p.name, a.after from audit_log a
        join prompts p on p.id::text = a.object_id
        where a.project_id = ${projectId} and a.id > ${afterSeq} and a.object_type = 'prompt' and a.action in ${actions}
        order by a.id limit ${limit}`,
  );
  return rows.map((r) => {
    const deployment = r.action.startsWith("deployment.");
    return {
      projectId,
      prompt: r.name,
      environment: deployment ? (r.after?.environment ?? null) : null,
      version: r.after?.version ?? 1,
      action: deployment ? (r.action.slice("deployment.".length) as PromptChanged["action"]) : "version",
      seq: Number(r.id),
    };
  });
}
