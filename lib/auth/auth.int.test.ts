import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { apiKeys, auditLog, memberships } from "../../db/schema";
import { AppError } from "../errors";
import { createApiKey, findKey, listApiKeys, revokeApiKey } from "./api-keys";
import { addMember, createProject, getRole, listMembers, removeMember, setMemberRole } from "./projects";
import { createUser, verifyCredentials } from "./users";
import type { Actor } from "./permissions";

let t: TestDatabase;
const system: Actor = { type: "system", label: "test" };
const limits = { limit: 3, seconds: 60 };

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
    const results = await Promise.all(Array.from({ length: 8 }, () => code(createUser(t.db, { email: "Race@Example.com", name: "R", password: "password1" }))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "conflict")).toHaveLength(7);
  });

  it("verifies credentials case-insensitively and rejects a wrong password", async () => {
    await createUser(t.db, { email: "ann@example.com", name: "Ann", password: "s3cret-pass" });
    const u = await verifyCredentials(t.db, { email: "ANN@example.com", password: "s3cret-pass" }, limits);
    expect(u.email).toBe("ann@example.com");
    expect(await code(verifyCredentials(t.db, { email: "ann@example.com", password: "wrong-pass" }, limits))).toBe("unauthorized");
    expect(await code(verifyCredentials(t.db, { email: "nobody@example.com", password: "wrong-pass" }, limits))).toBe("unauthorized");
  });

  it("limits failed sign-ins per account, even with the right password afterwards", async () => {
    await createUser(t.db, { email: "bob@example.com", name: "Bob", password: "bob-password" });
    for (let i = 0; i < 3; i++) expect(await code(verifyCredentials(t.db, { email: "bob@example.com", password: "nope-nope" }, limits))).toBe("unauthorized");
    expect(await code(verifyCredentials(t.db, { email: "bob@example.com", password: "bob-password" }, limits))).toBe("rate_limited");
    // the window passing lifts the limit
    const later = new Date(Date.now() + 61_000);
    expect(await code(verifyCredentials(t.db, { email: "bob@example.com", password: "bob-password" }, limits, later))).toBe("ok");
  });

  it("limits failed sign-ins per IP across accounts", async () => {
    for (let i = 0; i < 3; i++) await code(verifyCredentials(t.db, { email: `x${i}@example.com`, password: "nope-nope", ip: "10.9.9.9" }, limits));
    await createUser(t.db, { email: "cat@example.com", name: "Cat", password: "cat-password" });
    expect(await code(verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits))).toBe("rate_limited");
    expect(await code(verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.1.1.1" }, limits))).toBe("ok");
  });
});

describe("projects, members and roles", () => {
  it("a new project has the default environments and its creator as admin", async () => {
    const owner = await createUser(t.db, { email: "owner@example.com", name: "Owner", password: "owner-pass" });
    const ownerActor: Actor = { type: "user", id: owner.id, label: owner.email, role: "admin" };
    const p = await createProject(t.db, { slug: "acme", name: "Acme" }, ownerActor);
    expect(await getRole(t.db, p.id, owner.id)).toBe("admin");
    const envs = await queryRows(t.db, sql`select name, protected from environments where project_id = ${p.id} order by position`);
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
    const admin: Actor = { type: "system", label: "setup" };
    const added = await addMember(t.db, admin, p.id, { email: "ed@example.com", password: "ed-password", role: "editor" });
    const editor: Actor = { type: "user", id: added.userId, label: "ed@example.com", role: "editor" };
    expect(await code(addMember(t.db, editor, p.id, { email: "eve@example.com", role: "admin" }))).toBe("forbidden");
    expect((await listMembers(t.db, p.id)).map((m) => m.email)).toEqual(["ed@example.com"]);
    expect(await code(addMember(t.db, admin, p.id, { email: "ed@example.com", role: "viewer" }))).toBe("conflict");
    expect(await code(addMember(t.db, admin, p.id, { email: "x@example.com", role: "owner" as never }))).toBe("invalid_input");
  });

  it("keeps at least one admin", async () => {
    const p = await createProject(t.db, { slug: "admins", name: "Admins" }, system);
    const a = await addMember(t.db, system, p.id, { email: "solo@example.com", password: "solo-password", role: "admin" });
    expect(await code(setMemberRole(t.db, system, p.id, a.userId, "viewer"))).toBe("conflict");
    expect(await code(removeMember(t.db, system, p.id, a.userId))).toBe("conflict");
    const b = await addMember(t.db, system, p.id, { email: "second@example.com", password: "second-password", role: "editor" });
    await setMemberRole(t.db, system, p.id, b.userId, "admin");
    await setMemberRole(t.db, system, p.id, a.userId, "viewer");
    expect(await getRole(t.db, p.id, a.userId)).toBe("viewer");
    const rows = await t.db.select().from(memberships).where(eq(memberships.projectId, p.id));
    expect(rows).toHaveLength(2);
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
    await expect(createApiKey(t.db, system, p.id, { name: "x", scope: "root" as never })).rejects.toThrow(/scope must be one of runtime, admin/);
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
    expect((await t.db.select().from(auditLog).where(eq(auditLog.projectId, p.id)).orderBy(auditLog.id)).map((r) => r.action)).toEqual(["project.create", "apikey.create"]);
  });
});

describe("project slugs", () => {
  it.each(["login", "api", "projects"])("refuses the reserved slug %s", async (slug) => {
    await expect(createProject(t.db, { slug, name: "x" }, system)).rejects.toThrow(`slug ${slug} is reserved; choose another`);
  });
});
