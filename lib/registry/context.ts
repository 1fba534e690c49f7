// What every registry and release function receives: the database, who is acting, in which project,
// where to announce changes, and the clock (so tests control time).
import type { Db } from "../../db/client";
import type { Actor } from "../auth/permissions";
import type { EventSink } from "../release/events";

export interface DomainContext {
  db: Db;
  actor: Actor;
  projectId: string;
  events?: EventSink;
  now?: () => Date;
}

export const actorUserId = (ctx: { actor: Actor }) => (ctx.actor.type === "user" ? ctx.actor.id : null);
