// What every domain operation receives: the database, who is acting, in which project, where to announce
// changes (./announcements.ts), and the clock (so tests control time). Requests get theirs built once, in
// lib/server/wiring/domain.ts; jobs, which act as the system, build theirs with `projectContext`. An operation that
// calls others inside its own transaction passes them `withTx(ctx, tx, buffer)` (a `BufferedEvents`), so what they
// announce waits for its commit, when it flushes the buffer to `ctx.events`. Operations take the context, never its
// parts, and `events` has no default: a caller cannot forget where changes are announced (test/one-context.test.ts).
import type { Db } from "../db/client";
import type { EventSink } from "./announcements";
import type { Actor } from "./auth/permissions";

/** Who acts (a member, an API key, the system); defined with the permission table, named here with the context. */
export type { Actor };

export interface DomainContext {
  db: Db;
  actor: Actor;
  projectId: string;
  /** Where changes are announced; a `BufferedEvents` where the caller must hold them until a commit. */
  events: EventSink;
  now?: () => Date;
}

/**
 * What an operation on a person's account needs (a password reset): it happens outside any project, so it has no
 * project and nothing of a project's to announce. Any `DomainContext` is one.
 */
export type AccountContext = Pick<DomainContext, "db" | "actor">;

/** The one way to make a context from its parts. */
export function projectContext(
  db: Db,
  actor: Actor,
  projectId: string,
  events: EventSink,
  now?: () => Date,
): DomainContext {
  return now ? { db, actor, projectId, events, now } : { db, actor, projectId, events };
}

/** The same context inside a transaction: its handle, and (usually a buffer) where announcements wait. */
export function withTx(ctx: DomainContext, tx: Db, events: EventSink = ctx.events): DomainContext {
  return { ...ctx, db: tx, events };
}

export const actorUserId = (ctx: { actor: Actor }) => (ctx.actor.type === "user" ? ctx.actor.id : null);
