import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { findProjectBySlug, findRole } from "@/lib/auth/projects";
import { authorize, type Action, type Actor, type Role } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { assertSafeValue } from "@/lib/input-safety";
import { sentence } from "@/lib/text";
import type { DomainContext } from "@/lib/context";
import { getDb } from "../wiring/db";
import { domainContext } from "../wiring/domain";
import { toAppError, zodToAppError } from "./errors";
import { currentUser, type SessionUser } from "../wiring/session";

// Every server action goes through this builder (CONTRIBUTING.md, "Routes and actions are thin"). Treat each action as
// a public POST: the session is re-checked, the role comes from the database, never from the input. Error messages go
// to people in the UI, so they come back as sentences (the REST API keeps its own).

export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string; field?: string };

function failed(e: unknown): ActionResult<never> {
  const err = toAppError(e, "server action");
  return {
    ok: false,
    code: err.code,
    message: sentence(err.message),
    field: typeof err.details?.field === "string" ? err.details.field : undefined,
  };
}

/** For actions anyone may call without signing in (redeeming an invitation or a reset link). */
export function publicAction<S extends z.ZodType, O>(
  schema: S,
  fn: (ctx: { db: Db; user: SessionUser | null }, input: z.infer<S>) => Promise<O>,
) {
  return async (input: z.input<S>): Promise<ActionResult<O>> => {
    try {
      assertSafeValue(input, "input");
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const data = await fn({ db: await getDb(), user: await currentUser() }, parsed.data);
      return { ok: true, data };
    } catch (e) {
      return failed(e);
    }
  };
}

/** For actions outside any project (creating one): the session is checked, nothing else. */
export function userAction<S extends z.ZodType, O>(
  schema: S,
  fn: (ctx: { db: Db; user: SessionUser; actor: Actor }, input: z.infer<S>) => Promise<O>,
) {
  return async (input: z.input<S>): Promise<ActionResult<O>> => {
    try {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again.");
      assertSafeValue(input, "input");
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw zodToAppError(parsed.error);
      // Outside a project a user has no role; "viewer" only labels the actor, permissions are checked by the lib function.
      const data = await fn(
        { db: await getDb(), user, actor: { type: "user", id: user.id, label: user.email, role: "viewer" } },
        parsed.data,
      );
      return { ok: true, data };
    } catch (e) {
      return failed(e);
    }
  };
}

export type ActionContext = {
  db: Db;
  user: SessionUser;
  actor: Actor;
  role: Role;
  project: { id: string; slug: string };
  /** What every domain operation takes, as the REST routes hand it (api.ts, RouteContext). */
  domain: DomainContext;
};

/**
 * A project's action. `opts.action` is checked against the member's role before the input is read, as the REST
 * wrapper checks an endpoint's declared action before the body: a viewer gets "forbidden" from both, whatever
 * the input.
 */
export function projectAction<S extends z.ZodType, O>(
  schema: S,
  fn: (ctx: ActionContext, input: z.infer<S>) => Promise<O>,
  opts: { action?: Action | readonly Action[] } = {},
) {
  return async (projectSlug: string, input: z.input<S>): Promise<ActionResult<O>> => {
    try {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again.");
      const db = await getDb();
      const project = typeof projectSlug === "string" ? await findProjectBySlug(db, projectSlug) : undefined;
      const role = project ? await findRole(db, project.id, user.id) : undefined;
      if (!project || !role) throw new AppError("not_found", "No such project, or you are not a member of it.");
      const actor: Actor = { type: "user", id: user.id, label: user.email, role };
      for (const a of [opts.action ?? []].flat()) authorize(actor, a);
      assertSafeValue(input, "input");
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const data = await fn(
        {
          db,
          user,
          role,
          project: { id: project.id, slug: project.slug },
          actor,
          domain: await domainContext(db, actor, project.id),
        },
        parsed.data,
      );
      return { ok: true, data };
    } catch (e) {
      return failed(e);
    }
  };
}
