import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { apiKeys, auditLog, memberships } from "../../db/schema";
import { AppError } from "../errors";
import { createApiKey, findKey, listApiKeys, revokeApiKey } from "./api-keys";
import { acceptInvitation, addMember, describeInvitation, listInvitations, revokeInvitation } from "./invitations";
import { changePassword, createPasswordReset, mayRevealResetLink, resetPassword } from "./passwords";
import { createProject, getRole, listMembers, removeMember, setMemberRole } from "./projects";
import { createSession, revokeSession, validateSession } from "./sessions";
import type { SigninLimits } from "./signin-limits";
import { createUser, verifyCredentials } from "./users";
import type { Actor } from "./permissions";

let t: TestDatabase;
const system: Actor = { type: "system", label: "test" };
const limits: SigninLimits = { ipFailures: 3, accountFreeFailures: 5, windowSeconds: 60, maxBackoffSeconds: 900 };

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

describe("users and sign-in", () => {
  it("concurrent sign-ups with one email: exactly one wins, the others get conflict", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        code(createUser(t.db, { email: "Race@Example.com", name: "R", password: "password1" })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "conflict")).toHaveLength(7);
  });

  it("verifies credentials case-insensitively and rejects a wrong password", async () => {
    await createUser(t.db, { email: "ann@example.com", name: "Ann", password: "s3cret-pass" });
    const u = await verifyCredentials(t.db, { email: "ANN@example.com", password: "s3cret-pass" }, limits);
    expect(u.email).toBe("ann@example.com");
    expect(await code(verifyCredentials(t.db, { email: "ann@example.com", password: "wrong-pass" }, limits))).toBe(
      "unauthorized",
    );
    expect(await code(verifyCredentials(t.db, { email: "nobody@example.com", password: "wrong-pass" }, limits))).toBe(
      "unauthorized",
    );
  });

  it("limits failed sign-ins per IP across accounts; a success elsewhere does not clear it", async () => {
    for (let i = 0; i < 2; i++)
      await code(
        verifyCredentials(t.db, { email: `x${i}@example.com`, password: "nope-nope", ip: "10.9.9.9" }, limits),
      );
    await createUser(t.db, { email: "cat@example.com", name: "Cat", password: "cat-password" });
    // A success from the same address gives back only its own attempt: the failures stay counted.
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits),
      ),
    ).toBe("ok");
    await code(verifyCredentials(t.db, { email: "x9@example.com", password: "nope-nope", ip: "10.9.9.9" }, limits));
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits),
      ),
    ).toBe("rate_limited");
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.1.1.1" }, limits),
      ),
    ).toBe("ok");
    // The window passing lifts the limit.
    const later = new Date(Date.now() + 61_000);
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits, later),
      ),
    ).toBe("ok");
  });

  it("40 parallel guesses from one address: only the limit's worth reach the password check", async () => {
    await createUser(t.db, { email: "dan@example.com", name: "Dan", password: "dan-password" });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      code(
        verifyCredentials(
          t.db,
          { email: "dan@example.com", password: i === 39 ? "dan-password" : `guess-${i}`, ip: "10.7.7.7" },
          limits,
        ),
      ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r !== "rate_limited")).toHaveLength(limits.ipFailures);
  });

  it("per account: free failures, then an exponential back-off instead of a hard lock", async () => {
    await createUser(t.db, { email: "eve@example.com", name: "Eve", password: "eve-password" });
    const t0 = new Date("2030-01-01T00:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const ip = (i: number) => `10.50.0.${i}`; // many addresses: the per-IP limit is not what stops this
    for (let i = 0; i < limits.accountFreeFailures; i++)
      expect(
        await code(
          verifyCredentials(t.db, { email: "eve@example.com", password: "bad-bad-bad", ip: ip(i) }, limits, at(0)),
        ),
      ).toBe("unauthorized");
    // The next failure starts a 2 s back-off; within it even the right password is refused.
    expect(
      await code(
        verifyCredentials(t.db, { email: "eve@example.com", password: "bad-bad-bad", ip: ip(20) }, limits, at(0)),
      ),
    ).toBe("unauthorized");
    const refused = await failure(
      verifyCredentials(t.db, { email: "eve@example.com", password: "eve-password", ip: ip(21) }, limits, at(1)),
    );
    expect(refused.code).toBe("rate_limited");
    expect(refused.details?.retryAfterSeconds).toBe(1);
    // After it, one more failure doubles it (4 s); after that, the right password works and resets the account.
    expect(
      await code(
        verifyCredentials(t.db, { email: "eve@example.com", password: "bad-bad-bad", ip: ip(22) }, limits, at(3)),
      ),
    ).toBe("unauthorized");
    expect(
      await code(
        verifyCredentials(t.db, { email: "eve@example.com", password: "eve-password", ip: ip(23) }, limits, at(5)),
      ),
    ).toBe("rate_limited");
    expect(
      await code(
        verifyCredentials(t.db, { email: "eve@example.com", password: "eve-password", ip: ip(24) }, limits, at(8)),
      ),
    ).toBe("ok");
    expect(
      await code(
        verifyCredentials(t.db, { email: "eve@example.com", password: "bad-bad-bad", ip: ip(25) }, limits, at(9)),
      ),
    ).toBe("unauthorized");
  });

  it("parallel guesses at one account without an address stop at the back-off", async () => {
    await createUser(t.db, { email: "fay@example.com", name: "Fay", password: "fay-password" });
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        code(verifyCredentials(t.db, { email: "fay@example.com", password: "wrong-wrong" }, limits)),
      ),
    );
    expect(results.filter((r) => r !== "rate_limited")).toHaveLength(limits.accountFreeFailures + 1);
  });
});

describe("projects, members and roles", () => {
  it("a new project has the default environments and its creator as admin", async () => {
    const owner = await createUser(t.db, { email: "owner@example.com", name: "Owner", password: "owner-pass" });
    const ownerActor: Actor = { type: "user", id: owner.id, label: owner.email, role: "admin" };
    const p = await createProject(t.db, { slug: "acme", name: "Acme" }, ownerActor);
    expect(await getRole(t.db, p.id, owner.id)).toBe("admin");
    const envs = await queryRows(
      t.db,
      sql`select name, protected from environments where project_id = ${p.id} order by position`,
    );
    expect(envs).toEqual([
      { name: "development", protected: false },
      { name: "staging", protected: false },
      { name: "production", protected: true },
    ]);
    expect(await code(createProject(t.db, { slug: "acme", name: "Again" }, system))).toBe("conflict");
    expect(await code(createProject(t.db, { slug: "Bad Slug", name: "x" }, system))).toBe("invalid_input");
  });

  it("only admins manage members; a refused change changes nothing", async () => {
    const p = await createProject(t.db, { slug: "members", name: "Members" }, system);
    const ed = await createUser(t.db, { email: "ed@example.com", name: "Ed" });
    const added = await addMember(t.db, system, p.id, { email: "ed@example.com", role: "editor" });
    expect(added).toMatchObject({ kind: "added", userId: ed.id });
    const editor: Actor = { type: "user", id: ed.id, label: "ed@example.com", role: "editor" };
    expect(await code(addMember(t.db, editor, p.id, { email: "eve2@example.com", role: "admin" }))).toBe("forbidden");
    expect((await listMembers(t.db, p.id)).map((m) => m.email)).toEqual(["ed@example.com"]);
    expect(await code(addMember(t.db, system, p.id, { email: "ed@example.com", role: "viewer" }))).toBe("conflict");
    expect(await code(addMember(t.db, system, p.id, { email: "x@example.com", role: "owner" as never }))).toBe(
      "invalid_input",
    );
  });

  it("keeps at least one admin", async () => {
    const p = await createProject(t.db, { slug: "admins", name: "Admins" }, system);
    const a = await createUser(t.db, { email: "solo@example.com", name: "Solo" });
    await addMember(t.db, system, p.id, { email: a.email, role: "admin" });
    expect(await code(setMemberRole(t.db, system, p.id, a.id, "viewer"))).toBe("conflict");
    expect(await code(removeMember(t.db, system, p.id, a.id))).toBe("conflict");
    const b = await createUser(t.db, { email: "second@example.com", name: "Second" });
    await addMember(t.db, system, p.id, { email: b.email, role: "editor" });
    await setMemberRole(t.db, system, p.id, b.id, "admin");
    await setMemberRole(t.db, system, p.id, a.id, "viewer");
    expect(await getRole(t.db, p.id, a.id)).toBe("viewer");
    const rows = await t.db.select().from(memberships).where(eq(memberships.projectId, p.id));
    expect(rows).toHaveLength(2);
  });

  it("two admins demoting each other at the same time leave one admin", async () => {
    for (let round = 0; round < 5; round++) {
      const p = await createProject(t.db, { slug: `duel-${round}`, name: "Duel" }, system);
      const ids: string[] = [];
      for (const who of ["a", "b"]) {
        const u = await createUser(t.db, { email: `${who}${round}@duel.test`, name: who });
        await addMember(t.db, system, p.id, { email: u.email, role: "admin" });
        ids.push(u.id);
      }
      const [x, y] = ids as [string, string];
      const results = await Promise.all([
        code(setMemberRole(t.db, { type: "user", id: x, label: "a", role: "admin" }, p.id, y, "viewer")),
        code(removeMember(t.db, { type: "user", id: y, label: "b", role: "admin" }, p.id, x)),
      ]);
      expect(results.sort()).toEqual(["conflict", "ok"]);
      const admins = (await listMembers(t.db, p.id)).filter((m) => m.role === "admin");
      expect(admins).toHaveLength(1);
    }
  });
});

describe("invitations: adding someone never sets or shows a password", () => {
  it("an email without an account gets a one-time link; the invitee chooses the password", async () => {
    const p = await createProject(t.db, { slug: "inv-a", name: "Inv A" }, system);
    const r = await addMember(t.db, system, p.id, { email: "New@Example.com", role: "editor" });
    if (r.kind !== "invited") throw new Error("expected an invitation");
    expect(r.email).toBe("new@example.com");
    expect((await listInvitations(t.db, p.id)).map((i) => i.email)).toEqual(["new@example.com"]);
    expect(await describeInvitation(t.db, r.token)).toMatchObject({
      email: "new@example.com",
      role: "editor",
      hasAccount: false,
    });
    const joined = await acceptInvitation(t.db, r.token, { account: { name: "New", password: "their-own-pass" } });
    expect(await getRole(t.db, p.id, joined.userId)).toBe("editor");
    expect((await verifyCredentials(t.db, { email: "new@example.com", password: "their-own-pass" }, limits)).id).toBe(
      joined.userId,
    );
    // once only
    expect(await code(acceptInvitation(t.db, r.token, { account: { name: "Again", password: "another-pass" } }))).toBe(
      "not_found",
    );
    expect(await listInvitations(t.db, p.id)).toEqual([]);
  });

  it("cross-project takeover is impossible: a second admin inviting the same email gets no password of the account", async () => {
    const a = await createProject(t.db, { slug: "inv-b1", name: "B1" }, system);
    const b = await createProject(t.db, { slug: "inv-b2", name: "B2" }, system);
    const first = await addMember(t.db, system, a.id, { email: "shared@example.com", role: "admin" });
    const second = await addMember(t.db, system, b.id, { email: "shared@example.com", role: "viewer" });
    if (first.kind !== "invited" || second.kind !== "invited") throw new Error("expected invitations");
    // The invitee redeems project B's link and sets their own password.
    const joined = await acceptInvitation(t.db, second.token, {
      account: { name: "Shared", password: "owner-chosen" },
    });
    // Project A's admin still holds A's link, but it cannot create or take over the account now.
    const refused = await failure(
      acceptInvitation(t.db, first.token, { account: { name: "Attacker", password: "attacker-pass" } }),
    );
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toContain("sign in as shared@example.com");
    expect(
      await code(verifyCredentials(t.db, { email: "shared@example.com", password: "attacker-pass" }, limits)),
    ).toBe("unauthorized");
    expect(await getRole(t.db, a.id, joined.userId)).toBeUndefined();
    // Signed in as the account, its owner may accept A's invitation.
    await acceptInvitation(t.db, first.token, { signedInUserId: joined.userId });
    expect(await getRole(t.db, a.id, joined.userId)).toBe("admin");
  });

  it("concurrent redemptions of one link: exactly one succeeds", async () => {
    const p = await createProject(t.db, { slug: "inv-c", name: "C" }, system);
    const r = await addMember(t.db, system, p.id, { email: "race-inv@example.com", role: "viewer" });
    if (r.kind !== "invited") throw new Error("expected an invitation");
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        code(acceptInvitation(t.db, r.token, { account: { name: `R${i}`, password: `password-${i}` } })),
      ),
    );
    expect(results.filter((x) => x === "ok")).toHaveLength(1);
  });

  it("re-inviting replaces the open link; revoking and expiry end it", async () => {
    const p = await createProject(t.db, { slug: "inv-d", name: "D" }, system);
    const one = await addMember(t.db, system, p.id, { email: "again@example.com", role: "viewer" });
    const two = await addMember(t.db, system, p.id, { email: "again@example.com", role: "editor" });
    if (one.kind !== "invited" || two.kind !== "invited") throw new Error("expected invitations");
    expect(await code(describeInvitation(t.db, one.token))).toBe("not_found");
    expect(await code(describeInvitation(t.db, two.token, new Date(Date.now() + 8 * 24 * 3600 * 1000)))).toBe(
      "not_found",
    );
    await revokeInvitation(t.db, system, p.id, two.invitationId);
    expect(await code(describeInvitation(t.db, two.token))).toBe("not_found");
    expect(await code(describeInvitation(t.db, "not-a-token"))).toBe("not_found");
  });
});

describe("sessions and passwords", () => {
  it("a session ends on sign-out, on a password change (others only) and on a reset (all)", async () => {
    const u = await createUser(t.db, { email: "sess@example.com", name: "Sess", password: "first-password" });
    const a = await createSession(t.db, u.id);
    const b = await createSession(t.db, u.id);
    expect((await validateSession(t.db, a.id))?.id).toBe(u.id);
    await revokeSession(t.db, a.id);
    expect(await validateSession(t.db, a.id)).toBeNull();
    const c = await createSession(t.db, u.id);
    await changePassword(t.db, u.id, { current: "first-password", next: "second-password" }, c.id);
    expect(await validateSession(t.db, b.id)).toBeNull();
    expect((await validateSession(t.db, c.id))?.id).toBe(u.id);
    expect(await code(changePassword(t.db, u.id, { current: "wrong", next: "third-password" }))).toBe("forbidden");
    const reset = await createPasswordReset(t.db, system, u.id);
    await resetPassword(t.db, reset.token, "reset-password");
    expect(await validateSession(t.db, c.id)).toBeNull();
    expect(await code(resetPassword(t.db, reset.token, "again-password"))).toBe("not_found");
    expect((await verifyCredentials(t.db, { email: "sess@example.com", password: "reset-password" }, limits)).id).toBe(
      u.id,
    );
    expect(await validateSession(t.db, "unknown-session-id")).toBeNull();
    expect(await validateSession(t.db, c.id, new Date(Date.now() + 8 * 24 * 3600 * 1000))).toBeNull();
  });

  it("an admin may see a reset link only for someone whose every project they administer", async () => {
    const admin = await createUser(t.db, { email: "resetter@example.com", name: "R" });
    const p1 = await createProject(
      t.db,
      { slug: "reset-1", name: "R1" },
      { type: "user", id: admin.id, label: admin.email, role: "admin" },
    );
    const p2 = await createProject(t.db, { slug: "reset-2", name: "R2" }, system);
    const target = await createUser(t.db, { email: "target@example.com", name: "T" });
    await addMember(t.db, system, p1.id, { email: target.email, role: "editor" });
    expect(await mayRevealResetLink(t.db, admin.id, target.id)).toBe(true);
    await addMember(t.db, system, p2.id, { email: target.email, role: "viewer" });
    expect(await mayRevealResetLink(t.db, admin.id, target.id)).toBe(false);
    expect(await mayRevealResetLink(t.db, target.id, target.id)).toBe(true);
  });
});

describe("API keys", () => {
  it("stores only a hash, lists without secrets, and revocation takes effect", async () => {
    const p = await createProject(t.db, { slug: "keys", name: "Keys" }, system);
    const created = await createApiKey(t.db, system, p.id, { name: "ci", scope: "runtime" });
    expect(created.key).toMatch(/^lk_rt_/);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.keyHash).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key);
    const listed = await listApiKeys(t.db, system, p.id);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await findKey(t.db, created.key))?.revoked).toBe(false);
    await revokeApiKey(t.db, system, p.id, created.id);
    expect((await findKey(t.db, created.key))?.revoked).toBe(true);
    expect(await findKey(t.db, "lk_rt_unknown")).toBeUndefined();
  });

  it("a viewer or editor cannot manage keys", async () => {
    const p = await createProject(t.db, { slug: "keys2", name: "Keys2" }, system);
    for (const role of ["viewer", "editor", "approver"] as const) {
      const actor: Actor = { type: "user", id: "00000000-0000-0000-0000-000000000000", label: "x", role };
      expect(await code(createApiKey(t.db, actor, p.id, { name: "x", scope: "admin" }))).toBe("forbidden");
    }
    expect(await listApiKeys(t.db, system, p.id)).toHaveLength(0);
  });

  it("rejects a bad scope naming the field, and an unknown id on revoke", async () => {
    const p = await createProject(t.db, { slug: "keys3", name: "Keys3" }, system);
    await expect(createApiKey(t.db, system, p.id, { name: "x", scope: "root" as never })).rejects.toThrow(
      /scope must be one of runtime, admin/,
    );
    expect(await code(revokeApiKey(t.db, system, p.id, "00000000-0000-0000-0000-000000000000"))).toBe("not_found");
    expect(await code(revokeApiKey(t.db, system, p.id, "not-a-uuid"))).toBe("not_found");
  });
});

describe("audit log", () => {
  it("records mutations and refuses UPDATE and DELETE", async () => {
    const before = await t.db.select().from(auditLog);
    const p = await createProject(t.db, { slug: "audited", name: "Audited" }, system);
    await createApiKey(t.db, system, p.id, { name: "k", scope: "admin" });
    const after = await t.db.select().from(auditLog).where(eq(auditLog.projectId, p.id)).orderBy(auditLog.id);
    expect(after.map((r) => r.action)).toEqual(["project.create", "apikey.create"]);
    expect(before.length).toBeGreaterThan(0);
    await expect(t.db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    expect(
      (await t.db.select().from(auditLog).where(eq(auditLog.projectId, p.id)).orderBy(auditLog.id)).map(
        (r) => r.action,
      ),
    ).toEqual(["project.create", "apikey.create"]);
  });
});

describe("project slugs", () => {
  it.each(["login", "api", "projects"])("refuses the reserved slug %s", async (slug) => {
    await expect(createProject(t.db, { slug, name: "x" }, system)).rejects.toThrow(
      `slug ${slug} is reserved; choose another`,
    );
  });
});
