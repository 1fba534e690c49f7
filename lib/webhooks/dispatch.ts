// The dispatcher: committed audit entries → delivery rows, each entry exactly once.
//
// Why not "id > last id seen": audit ids are taken when a row is inserted but become visible when
// its transaction commits, so id 11 can be visible while id 10 is still uncommitted; a cursor at 11
// would skip 10 forever. Each audit row records its transaction id (audit_log.txid). Every
// transaction with an id below the current snapshot's xmin has finished, so the set of rows with
// txid < xmin can no longer grow. The dispatcher reads only those rows, in (txid, id) order, after
// a cursor (last_txid, last_audit_id) that it moves in the same transaction that inserts the
// deliveries. Entries of transactions still running wait for the next run. Transaction ids are
// cluster-wide: a long write transaction in any database of the cluster delays (never loses)
// entries committed after it started; the result says when entries are waiting. Two dispatchers
// serialise on the cursor row (FOR UPDATE), and the deliveries' unique (webhook, event) index makes
// a repeated entry a no-op anyway.
import { redactAudit } from "../audit/redact";
import { and, inArray, isNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { environments, projects, prompts, reviewRequests, webhookDeliveries, webhooks } from "../../db/schema";
import {
  eventForAudit,
  eventMappingOf,
  mappedActions,
  type AuditEntryView,
  type EventLookups,
  type WebhookEvent,
} from "./events";

type AuditRow = {
  horizon: string;
  waiting: boolean;
  id: string | null;
  txid: string | null;
  project_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  actor_type: string;
  actor_label: string;
  before: unknown;
  after: unknown;
  created_at: string | Date;
};

export type DispatchResult = {
  examined: number;
  deliveries: { id: string; webhookId: string; type: string }[];
  /** Entries exist that a transaction still running (anywhere in the cluster) keeps from being final: run again shortly. */
  waiting: boolean;
};

async function lookupsFor(db: Db, entries: AuditEntryView[]): Promise<Map<number, EventLookups>> {
  // Which names to look up follows from the event each entry becomes (see eventForAudit).
  const typeOf = (e: AuditEntryView) => eventMappingOf(e.action)?.type;
  const promptIds = entries
    .filter((e) => (typeOf(e) === "prompt.deployed" || typeOf(e) === "prompt.rolled_back") && e.objectId)
    .map((e) => e.objectId!);
  const reviewIds = entries
    .filter((e) => typeOf(e) === "review.decided")
    .map((e) => e.objectId!)
    .filter(Boolean);
  const names = new Map<string, string>();
  if (promptIds.length)
    for (const p of await db
      .select({ id: prompts.id, name: prompts.name })
      .from(prompts)
      .where(inArray(prompts.id, promptIds)))
      names.set(p.id, p.name);
  const reviews = new Map<string, EventLookups["review"]>();
  if (reviewIds.length)
    for (const r of await db
      .select({
        id: reviewRequests.id,
        prompt: prompts.name,
        version: reviewRequests.version,
        environment: environments.name,
      })
      .from(reviewRequests)
      .innerJoin(prompts, sql`${prompts.id} = ${reviewRequests.promptId}`)
      .innerJoin(environments, sql`${environments.id} = ${reviewRequests.environmentId}`)
      .where(inArray(reviewRequests.id, reviewIds)))
      reviews.set(r.id, { prompt: r.prompt, version: r.version, environment: r.environment });
  return new Map(
    entries.map((e) => [
      e.id,
      {
        promptName: e.objectId ? names.get(e.objectId) : undefined,
        review: e.objectId ? reviews.get(e.objectId) : undefined,
      },
    ]),
  );
}

/** One batch in one transaction; returns whether more entries may be waiting. */
async function dispatchBatch(db: Db, batchSize: number): Promise<DispatchResult & { more: boolean }> {
  return db.transaction(async (tx) => {
    const { rows, found, entries, more, next } = await readBatch(tx, batchSize);
    const created = await createDeliveries(tx, entries, found);
    await tx.execute(
      sql`update webhook_dispatch_state set last_txid = ${next.txid}::xid8, last_audit_id = ${next.id}::bigint, updated_at = now()
          where id = 1 and (last_txid, last_audit_id) < (${next.txid}::xid8, ${next.id}::bigint)`,
    );
    return { examined: entries.length, deliveries: created, more, waiting: rows[0]!.waiting };
  });
}

type BatchEntry = AuditEntryView & { projectId: string | null };

/** The next mapped entries below the horizon (the oldest running transaction), after the cursor, locked. */
async function readBatch(tx: Db, batchSize: number) {
  await tx.execute(
    sql`insert into webhook_dispatch_state (id, last_txid, last_audit_id) values (1, pg_snapshot_xmin(pg_current_snapshot()), 0) on conflict do nothing`,
  );
  // Ids stay text here: the cursor can hold values beyond 2^53 (the migration starts it at the maximum).
  const [cursor] = await queryRows<{ last_txid: string; last_audit_id: string }>(
    tx,
    sql`select last_txid::text, last_audit_id::text from webhook_dispatch_state where id = 1 for update`,
  );
  // The horizon and the rows come from one statement, hence one snapshot.
  const rows = await queryRows<AuditRow>(
    tx,
    sql`with s as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
        select s.xmin::text as horizon,
          exists (select 1 from audit_log w where w.txid >= s.xmin and (w.txid, w.id) > (${cursor!.last_txid}::xid8, ${cursor!.last_audit_id}::bigint)
            and w.action in (${sql.join(
              mappedActions.map((a) => sql`${a}`),
              sql`, `,
            )})) as waiting,
          a.id::text as id, a.txid::text as txid, a.project_id, a.action, a.object_type, a.object_id, a.actor_type, a.actor_label, a.before, a.after, a.created_at
        from s left join lateral (
          select * from audit_log
          where (txid, id) > (${cursor!.last_txid}::xid8, ${cursor!.last_audit_id}::bigint)
            and txid < s.xmin
            and action in (${sql.join(
              mappedActions.map((a) => sql`${a}`),
              sql`, `,
            )})
          order by txid, id
          limit ${batchSize}
        ) a on true`,
  );
  const found = rows.filter((r) => r.id !== null);
  const entries: BatchEntry[] = found.map((r) => ({
    id: Number(r.id),
    projectId: r.project_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    actorType: r.actor_type,
    actorLabel: r.actor_label,
    // Redacted again: rows written before redaction existed (lib/audit/redact.ts).
    before: redactAudit(r.before),
    after: redactAudit(r.after),
    createdAt: new Date(r.created_at),
  }));
  const more = found.length === batchSize;
  // A full batch: continue after its last row. Otherwise everything below the horizon is done.
  const next = more ? { txid: found.at(-1)!.txid!, id: found.at(-1)!.id! } : { txid: rows[0]!.horizon, id: "0" };
  return { rows, found, entries, more, next };
}

/** A delivery per entry and enabled webhook of its project subscribed to its event, created after the webhook. */
async function createDeliveries(tx: Db, entries: BatchEntry[], found: AuditRow[]) {
  const created: DispatchResult["deliveries"] = [];
  const projectIds = [...new Set(entries.map((e) => e.projectId).filter((p): p is string => p !== null))];
  const hooks = projectIds.length
    ? await tx
        .select()
        .from(webhooks)
        .where(and(inArray(webhooks.projectId, projectIds), isNull(webhooks.disabledAt)))
    : [];
  if (hooks.length) {
    const projectRows = await tx
      .select({ id: projects.id, slug: projects.slug, name: projects.name })
      .from(projects)
      .where(inArray(projects.id, projectIds));
    const projectById = new Map(projectRows.map((p) => [p.id, p]));
    const lookups = await lookupsFor(
      tx,
      entries.filter((e) => hooks.some((h) => h.projectId === e.projectId)),
    );
    // A webhook receives the entries that come after its own creation in the dispatcher's order
    // (txid, id). Timestamps cannot decide it: two transactions can share a millisecond (PGlite's
    // clock has no finer resolution), and an entry of that millisecond must go to one side only.
    const creations = await queryRows<{ object_id: string; txid: string; id: string }>(
      tx,
      sql`select object_id, txid::text, id::text from audit_log
          where project_id in ${projectIds} and object_type = 'webhook' and action = 'webhook.create'
            and object_id in ${hooks.map((h) => h.id)}`,
    );
    const createdAt = new Map(creations.map((c) => [c.object_id, [BigInt(c.txid), BigInt(c.id)] as const]));
    const position = new Map(found.map((r) => [Number(r.id), [BigInt(r.txid!), BigInt(r.id!)] as const]));
    const after = (h: (typeof hooks)[number], e: (typeof entries)[number]) => {
      const c = createdAt.get(h.id);
      const p = position.get(e.id)!;
      if (!c) return h.createdAt <= e.createdAt; // no creation entry (older data): the timestamps decide
      return p[0] > c[0] || (p[0] === c[0] && p[1] > c[1]);
    };
    const values: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const e of entries) {
      const project = e.projectId ? projectById.get(e.projectId) : undefined;
      if (!project) continue;
      const event: WebhookEvent | null = eventForAudit(e, project, lookups.get(e.id));
      if (!event) continue;
      for (const h of hooks)
        if (h.projectId === project.id && h.events.includes(event.type) && after(h, e))
          values.push({
            webhookId: h.id,
            eventId: event.id,
            auditId: e.id,
            type: event.type,
            payload: event,
            status: "pending",
            nextAttemptAt: sql`now()` as unknown as Date,
          });
    }
    if (values.length)
      created.push(
        ...(await tx.insert(webhookDeliveries).values(values).onConflictDoNothing().returning({
          id: webhookDeliveries.id,
          webhookId: webhookDeliveries.webhookId,
          type: webhookDeliveries.type,
        })),
      );
  }
  return created;
}

/** How many mapped entries are ready to dispatch, and whether others are held back by a running transaction. */
export async function auditBacklog(db: Db): Promise<{ ready: number; waiting: number }> {
  const [row] = await queryRows<{ ready: number; waiting: number }>(
    db,
    sql`with s as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
             c as (select last_txid, last_audit_id from webhook_dispatch_state where id = 1)
        select count(*) filter (where a.txid < s.xmin)::int as ready, count(*) filter (where a.txid >= s.xmin)::int as waiting
        from s, c, audit_log a
        where (a.txid, a.id) > (c.last_txid, c.last_audit_id) and a.action in (${sql.join(
          mappedActions.map((a) => sql`${a}`),
          sql`, `,
        )})`,
  );
  return row ?? { ready: 0, waiting: 0 };
}

/** Turns every committed, not yet dispatched audit entry into deliveries for the webhooks that want it. */
export async function dispatchAuditEvents(
  db: Db,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<DispatchResult> {
  const total: DispatchResult = { examined: 0, deliveries: [], waiting: false };
  for (let i = 0; i < (opts.maxBatches ?? 20); i++) {
    const r = await dispatchBatch(db, opts.batchSize ?? 500);
    total.examined += r.examined;
    total.deliveries.push(...r.deliveries);
    total.waiting = r.waiting;
    if (!r.more) break;
  }
  return total;
}
