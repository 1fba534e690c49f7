import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import {
  authorize,
  can,
  deployPermission,
  permissions,
  roles,
  runtimePermissions,
  type Permission,
  type Actor,
  type Role,
} from "./permissions";

// The expected matrix, written out by hand from the product rules (not derived from the table under test):
// each role may do what the one below it may, and more.
const viewer: Permission[] = ["prompt.read", "audit.read", "experiment.read", "evaluation.read"];
const editor: Permission[] = [
  ...viewer,
  "prompt.create",
  "prompt.update",
  "version.create",
  "draft.write",
  "review.request",
  "comment.write",
  "deploy.unprotected",
  "evaluation.run",
  "alert.acknowledge",
  "annotation.write",
];
const approver: Permission[] = [
  ...editor,
  "deploy.protected",
  "release.rollback",
  "review.decide",
  "experiment.manage",
  "evaluation.manage",
];
const expected: Record<Role, Permission[]> = {
  viewer,
  editor,
  approver,
  admin: Object.keys(permissions) as Permission[],
};

const allActions = Object.keys(permissions) as (keyof typeof permissions)[];
const cases = roles.flatMap((role) =>
  allActions.map((action) => [role, action, expected[role].includes(action)] as const),
);

describe("role × action", () => {
  it.each(cases)("%s may %s: %s", (role, action, allowed) => {
    const actor: Actor = { type: "user", id: "u", label: "u@x", role };
    expect(can(actor, action)).toBe(allowed);
    if (allowed) expect(() => authorize(actor, action)).not.toThrow();
    else expect(() => authorize(actor, action)).toThrow(AppError);
  });

  it("a forbidden error names the role and the role required", () => {
    const actor: Actor = { type: "user", id: "u", label: "u@x", role: "viewer" };
    try {
      authorize(actor, "version.create");
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe("forbidden");
      expect((e as AppError).message).toBe("Your role (viewer) cannot create versions; editor or higher is required.");
    }
  });
});

describe("webhooks", () => {
  it.each(roles)("%s may manage webhooks only if admin", (role) => {
    expect(can({ type: "user", id: "u", label: "u@x", role }, "webhook.manage")).toBe(role === "admin");
  });

  it("an approver is told why not", () => {
    expect(() => authorize({ type: "user", id: "u", label: "u@x", role: "approver" }, "webhook.manage")).toThrow(
      "Your role (approver) cannot manage webhooks; admin or higher is required.",
    );
  });
});

describe("API key scopes", () => {
  const runtime: Actor = { type: "api_key", id: "k", label: "k", scope: "runtime" };
  const admin: Actor = { type: "api_key", id: "k", label: "k", scope: "admin" };

  it.each(runtimePermissions)("a runtime key may %s", (a) => expect(can(runtime, a)).toBe(true));
  it.each(allActions)("a runtime key may not %s", (a) => expect(can(runtime, a)).toBe(false));
  it.each([...allActions, ...runtimePermissions])("an admin key may %s", (a) => expect(can(admin, a)).toBe(true));
});

describe("deployPermission", () => {
  it("protected environments need deploy.protected", () => {
    expect(deployPermission({ protected: true })).toBe("deploy.protected");
    expect(deployPermission({ protected: false })).toBe("deploy.unprotected");
  });
});
