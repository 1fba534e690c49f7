import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { findProjectBySlug, findRole } from "@/lib/auth/projects";
import { authorize, type Permission, type Actor, type Role } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { assertSafeValue } from "@/lib/input-safety";
import { sentence } from "@/lib/sentence";
import type { DomainContext } from "@/lib/context";
import { getDb } from "../wiring/db";
import { domainContext } from "../wiring/domain";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { checkResource, isOtherResponse, type Endpoint, type ResourceInput, type ResourceRule } from "../http/endpoint";
import { toAppError, zodToAppError } from "../http/http-errors";
import { currentUser, type SessionUser } from "../wiring/session";

// Every server action goes through this builder (CONTRIBUTING.md, "Routes and actions are thin"). Treat each action as
// a public POST: the session is re-checked, the role comes from the database, never from the input. Error messages go
// to people in the UI, so they come back as sentences (the REST API keeps its own); their details are REST's
// (a save's conflict carries both versions, for the editor to merge).

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; message: string; field?: string; details?: Record<string, unknown> };

function failed(e: unknown): ActionResult<never> {
  const err = toAppError(e, "server action");
  return {
    ok: false,
    code: err.code,
    message: sentence(err.message),
    field: typeof err.details?.field === "string" ? err.details.field : undefined,
    ...(err.details && { details: err.details }),
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
 * The permission a project's action needs, checked against the member's role before the input is read, as the
 * REST wrapper checks an endpoint's declared permission before the body: a viewer gets "forbidden" from both,
 * whatever the input. Required: an action any member may call says so with a read permission ("prompt.read").
 * Several are all checked. What the row acted on needs (a protected environment's rule) is the endpoint's
 * `resource` rule, which `actionFrom` checks; the operation checks nothing.
 */
export type ActionPermission = Permission | readonly [Permission, ...Permission[]];

/** What an action was declared with: its permissions and, when made from them (`actionFrom`), its endpoints. */
export type ActionDeclaration = {
  permissions: readonly Permission[];
  /** The endpoints' resource rule, checked on the parsed input before the operation runs (as `route` checks it). */
  resource?: ResourceRule;
  endpoints: readonly Endpoint[];
  schema: z.ZodType;
};

const declarations = new WeakMap<object, ActionDeclaration>();

/** The declaration an action was built from (for the tests that compare the UI with REST). */
export const declarationOf = (action: unknown): ActionDeclaration | undefined =>
  typeof action === "function" ? declarations.get(action) : undefined;

/**
 * A project's action that REST does not serve: the permission it needs (ActionPermission; with the resource rule
 * of the row it acts on, `{permission, resource}`, endpoint.ts), its input schema, the operation. Where an endpoint serves the same operation, use `actionFrom` and take the endpoint's.
 */
export function projectAction<S extends z.ZodType, O>(
  permission: ActionPermission | { permission: ActionPermission; resource: ResourceRule },
  schema: S,
  fn: (ctx: ActionContext, input: z.infer<S>) => Promise<O>,
) {
  const d =
    typeof permission === "object" && "resource" in permission ? permission : { permission, resource: undefined };
  return declared(schema, fn, { permissions: [d.permission].flat(), resource: d.resource, endpoints: [], schema });
}

/** What `actionFrom` reads of an endpoint's declaration (endpoint.ts). */
type Declaration = Pick<Endpoint, "method" | "path" | "permission" | "resource">;

/**
 * The UI's action for an operation REST also serves, made from the endpoint's declaration: the permission is
 * the endpoint's `permission` (checked once, before the input is read, as the route checks it), so the two cannot
 * differ; `schema` is the endpoint's input (its body or query schema from lib) plus what REST takes from the path.
 * An action for a move REST serves at several paths (pause, resume… a rollout) names them all; they must declare
 * one permission and one resource rule (endpoint.ts: what the row the input names needs, checked on the parsed
 * input before the operation runs). An endpoint that declares no permission cannot make an action (it throws as
 * the module loads).
 * action-permissions.int.test.ts calls every pair as a role below the permission and sees both refuse.
 */
export function actionFrom<S extends z.ZodType, O>(
  from: Declaration | readonly [Declaration, ...Declaration[]],
  schema: S,
  fn: (ctx: ActionContext, input: z.infer<S>) => Promise<O>,
) {
  const endpoints = [from].flat() as Endpoint[];
  const permissions = [...new Set(endpoints.map((e) => e.permission))];
  if (permissions.length !== 1 || !permissions[0])
    throw new Error(
      `An action is made from endpoints that declare one and the same permission, not: ${endpoints.map((e) => `${e.method} ${e.path} (${e.permission ?? "none"})`).join(", ")}.`,
    );
  const rules = [...new Set(endpoints.map((e) => e.resource))];
  if (rules.length !== 1)
    throw new Error(
      `An action is made from endpoints that declare one and the same resource rule, not: ${endpoints.map((e) => `${e.method} ${e.path} (${e.resource?.about ?? "none"})`).join(", ")}.`,
    );
  return declared(schema, fn, { permissions: [permissions[0]], resource: rules[0], endpoints, schema });
}

function declared<S extends z.ZodType, O>(
  schema: S,
  fn: (ctx: ActionContext, input: z.infer<S>) => Promise<O>,
  declaration: ActionDeclaration,
) {
  const run = async (projectSlug: string, input: z.input<S>): Promise<ActionResult<O>> => {
    try {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized", "Your session has ended; sign in again.");
      const db = await getDb();
      const project = typeof projectSlug === "string" ? await findProjectBySlug(db, projectSlug) : undefined;
      const role = project ? await findRole(db, project.id, user.id) : undefined;
      if (!project || !role) throw new AppError("not_found", "No such project, or you are not a member of it.");
      const actor: Actor = { type: "user", id: user.id, label: user.email, role };
      for (const a of declaration.permissions) authorize(actor, a);
      assertSafeValue(input, "input");
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const domain = await domainContext(db, actor, project.id);
      await checkResource(declaration, domain, parsed.data as ResourceInput);
      const data = await fn(
        { db, user, role, project: { id: project.id, slug: project.slug }, actor, domain },
        parsed.data,
      );
      checkAnswer(declaration.endpoints, data);
      return { ok: true, data };
    } catch (e) {
      return failed(e);
    }
  };
  declarations.set(run, declaration);
  return run;
}

/**
 * In the test tiers (LECTERN_CHECK_RESPONSES), an action made from endpoints answers what REST answers: the
 * endpoint's response schema must accept the answer as REST would send it (JSON), and an endpoint answering
 * no content (204) means the action answers nothing. A drift is an internal error, as a REST answer's is (api.ts).
 */
function checkAnswer(endpoints: readonly Endpoint[], data: unknown) {
  if (!endpoints.length || !env().LECTERN_CHECK_RESPONSES) return;
  const responses = endpoints.map((e) => e.response);
  const problems = responses.flatMap((r) => {
    if (isOtherResponse(r)) return r.contentType === "" && data === undefined ? [] : [[`(root): not ${r.description}`]];
    const result = r.safeParse(data === undefined ? undefined : JSON.parse(JSON.stringify(data)));
    return result.success ? [] : [result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)];
  });
  // An action serving several endpoints (a rollout's moves) answers what one of them answers.
  if (problems.length < responses.length) return;
  const ref = Math.random().toString(36).slice(2, 10);
  const operation = endpoints.map((e) => `${e.method} ${e.path}`).join(", ");
  log.error(`The action for ${operation} answered what the endpoint's response schema refuses (ref ${ref})`, {
    issues: problems.flat(),
  });
  throw new AppError("internal", `Internal error (ref ${ref}): the answer broke its response schema.`, { ref });
}
