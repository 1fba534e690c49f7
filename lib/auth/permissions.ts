// The one permission table. The wrappers that serve an operation (REST routes, the UI's actions, MCP tools, the runtime
// server) ask `authorize(actor, permission)` from its declaration; domain functions do not ask again
// (test/authorize-in-wrappers.test.ts).
import { z } from "zod";
import { AppError } from "../errors";

export const roles = ["viewer", "editor", "approver", "admin"] as const;
export type Role = (typeof roles)[number];
export const roleInput = z.enum(roles, { error: `role must be one of ${roles.join(", ")}` });
/**
 * runtime: resolve, events, feedback; admin: everything; skills: nothing but its own skills URL (docs/skills.md),
 * whose token is the key itself, so it must open nothing else.
 */
export const apiKeyScopes = ["runtime", "admin", "skills"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Each permission and the least role that has it. Roles are ordered: a higher role may do all a lower one may. */
export const permissions = {
  "prompt.read": "viewer",
  "audit.read": "viewer",
  "experiment.read": "viewer",
  "evaluation.read": "viewer",
  "prompt.create": "editor",
  "prompt.update": "editor",
  "version.create": "editor",
  "draft.write": "editor",
  "review.request": "editor",
  "comment.write": "editor",
  "deploy.unprotected": "editor",
  "evaluation.run": "editor",
  "alert.acknowledge": "editor",
  "annotation.write": "editor",
  "deploy.protected": "approver",
  "release.rollback": "approver",
  "review.decide": "approver",
  "experiment.manage": "approver",
  "evaluation.manage": "approver",
  "member.manage": "admin",
  "apikey.manage": "admin",
  "settings.manage": "admin",
  "prompt.delete": "admin",
  "webhook.manage": "admin",
  "connection.manage": "admin",
} as const satisfies Record<string, Role>;

/** What a runtime-scoped API key may do. An admin-scoped key may do everything, as an admin. */
export const runtimePermissions = ["runtime.resolve", "runtime.events", "runtime.feedback"] as const;
export type RuntimePermission = (typeof runtimePermissions)[number];
export type Permission = keyof typeof permissions | RuntimePermission;

const describe: Record<Permission, string> = {
  "prompt.read": "read prompts",
  "audit.read": "read the audit log",
  "experiment.read": "read experiments",
  "evaluation.read": "read evaluations",
  "prompt.create": "create prompts",
  "prompt.update": "edit prompt details",
  "version.create": "create versions",
  "draft.write": "edit draft copies",
  "review.request": "request reviews",
  "comment.write": "comment on versions",
  "deploy.unprotected": "deploy to unprotected environments",
  "evaluation.run": "run evaluations",
  "alert.acknowledge": "acknowledge alerts",
  "annotation.write": "label outputs for judge agreement",
  "deploy.protected": "deploy to protected environments",
  "release.rollback": "roll back",
  "review.decide": "approve or reject reviews",
  "experiment.manage": "manage experiments",
  "evaluation.manage": "manage evaluation settings",
  "member.manage": "manage members",
  "apikey.manage": "manage API keys",
  "settings.manage": "change project settings",
  "prompt.delete": "delete prompts and versions",
  "webhook.manage": "manage webhooks",
  "connection.manage": "manage model connections",
  "runtime.resolve": "resolve prompts",
  "runtime.events": "stream prompt events",
  "runtime.feedback": "send feedback",
};

export type Actor =
  | { type: "user"; id: string; label: string; role: Role }
  | { type: "api_key"; id: string; label: string; scope: ApiKeyScope }
  | { type: "system"; label: string };

const rank = (r: Role) => roles.indexOf(r);

export function roleAllows(role: Role, permission: Permission): boolean {
  if ((runtimePermissions as readonly string[]).includes(permission)) return true; // any member may preview what the runtime serves
  return rank(role) >= rank(permissions[permission as keyof typeof permissions]);
}

export function can(actor: Actor, permission: Permission): boolean {
  switch (actor.type) {
    case "system":
      return true;
    case "user":
      return roleAllows(actor.role, permission);
    case "api_key":
      return (
        actor.scope === "admin" ||
        (actor.scope === "runtime" && (runtimePermissions as readonly string[]).includes(permission))
      );
  }
}

/** Throws `forbidden` naming the permission and what would allow it (the wrappers' one check). */
export function authorize(actor: Actor, permission: Permission): void {
  const refused = refusal(actor, permission);
  if (refused) throw refused;
}

/**
 * The `forbidden` error the actor would get for the permission, or null if they have it: what `authorize` throws,
 * and what a page shows beside a control the person may not use (components/blocked-reasons.ts), in the same words.
 */
export function refusal(actor: Actor, permission: Permission): AppError | null {
  if (can(actor, permission)) return null;
  if (actor.type === "api_key")
    return new AppError(
      "forbidden",
      `A ${actor.scope} API key cannot ${describe[permission]}; ${(runtimePermissions as readonly string[]).includes(permission) ? "a runtime or admin" : "an admin"} key is required.`,
      // `action` in the details: the name the error's contract has always used.
      { action: permission, scope: actor.scope },
    );
  const needed = (permissions as Record<string, Role>)[permission] ?? "admin";
  const role = actor.type === "user" ? actor.role : "none";
  return new AppError(
    "forbidden",
    `Your role (${role}) cannot ${describe[permission]}; ${needed} or higher is required.`,
    {
      action: permission,
      role,
      required: needed,
    },
  );
}

/** Deploying to a protected environment needs more than deploying elsewhere. */
export const deployPermission = (environment: { protected: boolean }): Permission =>
  environment.protected ? "deploy.protected" : "deploy.unprotected";
