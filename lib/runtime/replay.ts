// Changes since an SSE event id, read back from the audit log (whose ids the live events reuse), so a
// client that reconnects to any instance with Last-Event-ID misses nothing.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "../audit/actions";
import { unannouncedActions, type AnnouncedAction } from "../audit/unannounced";
import type { PromptChanged } from "../announcements";

type ReplayAction = Exclude<PromptChanged["action"], "reset"> | null;

/**
 * What a client catching up over SSE hears about each audit action: a version or deployment change of
 * a prompt (the entry is on the prompt), an experiment change (the entry is on the experiment and names
 * the prompt and environment: experiments switch what subjects get), or nothing. Exhaustive, so a new
 * action that changes what is served cannot be forgotten here (the actions nobody is told about are
 * shared with the webhooks: audit/unannounced.ts).
 */
const replayDecided: Record<AnnouncedAction, ReplayAction> = {
  "prompt.create": "version",
  "version.create": "version",
  "draft.merge": "version",
  // A version label moved: what a fetch by that label answers changed (no environment's).
  "version_label.set": "label",
  "version_label.remove": "label",
  "deployment.promote": "promote",
  "deployment.rollback": "rollback",
  "deployment.auto_promote": "auto_promote",
  "deployment.auto_rollback": "auto_rollback",
  // A bundle's members are deployed (and announced) one deployment each, in the bundle's transaction.
  "bundle.release": null,
  "bundle.rollback": null,
  "review.request": null,
  "review.approve": null,
  "review.reject": null,
  "comment.create": null,
  "experiment.start": "experiment",
  "experiment.reweight": "experiment",
  "experiment.phase": "experiment",
  "experiment.stop": "experiment",
  // A rollout's split is an experiment's: a step, a rollback or the end changes what subjects get.
  "rollout.start": "experiment",
  "rollout.advance": "experiment",
  "rollout.pause": null,
  "rollout.resume": null,
  "rollout.rollback": "experiment",
  "rollout.complete": "experiment",
  "evaluation.complete": null,
  "alert.create": null,
};
export const replayAs: Record<AuditAction, ReplayAction> = { ...unannouncedActions, ...replayDecided };
const promptActions = AUDIT_ACTIONS.filter((a) => replayAs[a] !== null && replayAs[a] !== "experiment");
const experimentActions = AUDIT_ACTIONS.filter((a) => replayAs[a] === "experiment");

type Row = {
  id: string | number;
  action: string;
  name: string;
  after: { environment?: string; version?: number | null; prompt?: string; label?: string } | null;
  before: { version?: number } | null;
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
    sql`select a.id, a.action, coalesce(p.name, a.after->>'prompt') as name, a.after, a.before from audit_log a
        left join prompts p on a.object_type = 'prompt' and p.id::text = a.object_id
        where a.project_id = ${projectId} and a.id > ${afterSeq}
          and ((a.object_type = 'prompt' and a.action in ${promptActions}) or (a.object_type = 'experiment' and a.action in ${experimentActions}))
        order by a.id limit ${limit}`,
  );
  return rows.flatMap((r): PromptChanged[] => {
    const action = isAuditAction(r.action) ? replayAs[r.action] : null;
    if (!action) return [];
    const seq = Number(r.id);
    if (action === "experiment")
      return [{ projectId, prompt: r.name, environment: r.after?.environment ?? null, version: 0, action, seq }];
    // A label's removal says where it pointed.
    if (action === "label")
      return [
        {
          projectId,
          prompt: r.name,
          environment: null,
          version: r.after?.version ?? r.before?.version ?? 0,
          action,
          label: r.after?.label,
          seq,
        },
      ];
    const deployment = action !== "version";
    return [
      {
        projectId,
        prompt: r.name,
        environment: deployment ? (r.after?.environment ?? null) : null,
        version: r.after?.version ?? 1,
        action,
        seq,
      },
    ];
  });
}
