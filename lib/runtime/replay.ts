// Changes since an SSE event id, read back from the audit log (whose ids the live events reuse), so a
// client that reconnects to any instance with Last-Event-ID misses nothing.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { PromptChanged } from "../release/events";

const actions = [
  "prompt.create",
  "version.create",
  "draft.merge",
  "deployment.promote",
  "deployment.rollback",
  "deployment.auto_rollback",
  "deployment.auto_promote",
];
// Experiment changes switch what subjects get; their audit entries name the prompt and environment.
const experimentActions = ["experiment.start", "experiment.reweight", "experiment.stop"];

type Row = {
  id: string | number;
  action: string;
  name: string;
  after: { environment?: string; version?: number; prompt?: string } | null;
};

/** The newest audit-log id of a project (0 when empty): where a resuming client can be caught up to. */
export async function newestSeq(db: Db, projectId: string): Promise<number> {
  const [row] = await queryRows<{ id: string | number | null }>(
    db,
    sql`select max(id) as id from audit_log where project_id = ${projectId}`,
  );
  return Number(row?.id ?? 0);
}

export async function changesSince(db: Db, projectId: string, afterSeq: number, limit = 500): Promise<PromptChanged[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select a.id, a.action, coalesce(p.name, a.after->>'prompt') as name, a.after from audit_log a
        left join prompts p on a.object_type = 'prompt' and p.id::text = a.object_id
        where a.project_id = ${projectId} and a.id > ${afterSeq}
          and ((a.object_type = 'prompt' and a.action in ${actions}) or (a.object_type = 'experiment' and a.action in ${experimentActions}))
        order by a.id limit ${limit}`,
  );
  return rows.map((r) => {
    if (r.action.startsWith("experiment."))
      return {
        projectId,
        prompt: r.name,
        environment: r.after?.environment ?? null,
        version: 0,
        action: "experiment" as const,
        seq: Number(r.id),
      };
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
