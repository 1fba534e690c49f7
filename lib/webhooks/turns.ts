// Projects take turns at delivering. A delivery attempt can hold a worker for its whole timeout (10 s), so one
// project whose receivers are slow (or whose events come in floods) must not hold every worker: at most
// DELIVERIES_PER_PROJECT of a project's attempts are in flight at once, across instances (counted on the claimed
// rows, under a lock per project, so two workers cannot both take the last place). An attempt past that share is
// deferred — its job gives the worker back and comes again a few seconds later — and the sweep picks due
// deliveries project by project in turn (each project's oldest first), attempting one project's one after another.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { WebhookEvent } from "./events";

/** A project's delivery attempts in flight at once, on every instance together. */
export const DELIVERIES_PER_PROJECT = 2;
/** How long a deferred attempt waits before its job comes again. */
export const DEFER_SECONDS = 5;
const CLAIM_SECONDS = 60;

export type Claimed = {
  id: string;
  created_at: string | Date;
  attempts: number;
  payload: WebhookEvent;
  webhook_id: string;
  url: string;
  secret: string;
  format: "json" | "slack";
  disabled_at: string | Date | null;
  now: string | Date;
};

export type Claim = { kind: "claimed"; row: Claimed } | { kind: "skipped" } | { kind: "deferred" };

const due = sql`d.status in ('pending', 'retrying') and d.next_attempt_at <= now()
  and (d.claimed_until is null or d.claimed_until < now())`;

/** Claims one delivery if it is due, nobody else is attempting it and its project has a place free. */
export function claimDelivery(db: Db, deliveryId: string): Promise<Claim> {
  return db.transaction(async (tx) => {
    const [target] = await queryRows<{ project_id: string }>(
      tx,
      sql`select w.project_id from webhook_deliveries d join webhooks w on w.id = d.webhook_id where d.id = ${deliveryId}`,
    );
    if (!target) return { kind: "skipped" };
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`webhook-turns:${target.project_id}`}))`);
    const [busy] = await queryRows<{ n: number; due: boolean }>(
      tx,
      sql`select
            (select count(*)::int from webhook_deliveries d join webhooks w on w.id = d.webhook_id
              where w.project_id = ${target.project_id} and d.claimed_until > now()
                and d.status in ('pending', 'retrying')) as n,
            exists (select 1 from webhook_deliveries d where d.id = ${deliveryId} and ${due}) as due`,
    );
    if (!busy?.due) return { kind: "skipped" };
    if (busy.n >= DELIVERIES_PER_PROJECT) return { kind: "deferred" };
    const [row] = await queryRows<Claimed>(
      tx,
      sql`update webhook_deliveries d
          set claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS}), attempts = d.attempts + 1
          from webhooks w
          where d.id = ${deliveryId} and w.id = d.webhook_id and ${due}
          returning d.id, d.created_at, d.attempts, d.payload, w.id as webhook_id, w.url, w.secret, w.format, w.disabled_at, now() as now`,
    );
    return row ? { kind: "claimed", row } : { kind: "skipped" };
  });
}

/**
 * Up to `limit` due deliveries, taken project by project in turn (each project's oldest first), grouped by
 * project in that order: what the sweep attempts.
 */
export async function dueByTurns(db: Db, limit: number): Promise<string[][]> {
  const rows = await queryRows<{ id: string; project_id: string }>(
    db,
    sql`select id, project_id from (
          select d.id, w.project_id, d.next_attempt_at,
            row_number() over (partition by w.project_id order by d.next_attempt_at, d.id) as turn
          from webhook_deliveries d join webhooks w on w.id = d.webhook_id
          where ${due}
        ) x order by turn, next_attempt_at, id limit ${limit}`,
  );
  const byProject = new Map<string, string[]>();
  for (const r of rows) byProject.set(r.project_id, [...(byProject.get(r.project_id) ?? []), r.id]);
  return [...byProject.values()];
}
