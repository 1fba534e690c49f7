import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { auditLog, users } from "../../db/schema";
import type { Actor } from "./permissions";
import { createProject, findRole, listMembers, removeMember, setMemberRole } from "./projects";
import { admitExternalSignIn, refusalMessages, type SsoPolicy } from "./sso";
import { createUser, findUserByEmail } from "./users";

let t: TestDatabase;
let projectId: string;
const system: Actor = { type: "system", label: "test" };
const open: SsoPolicy = { allowedDomains: [] };
const joining: SsoPolicy = { allowedDomains: ["acme.example"], join: { projectSlug: "sso-team", role: "editor" } };

const joins = async (userId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "member.join"), eq(auditLog.objectId, userId)));

beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await createProject(t.db, { slug: "sso-team", name: "SSO team" }, system)).id;
});
afterAll(async () => t.drop());

describe("admitExternalSignIn", () => {
  it("admits any domain with no allow-list, creating the account once", async () => {
    const first = await admitExternalSignIn(t.db, { provider: "oidc", email: "Free@Anywhere.example" }, open);
    expect(first).toMatchObject({ admitted: true, created: true });
    const row = await findUserByEmail(t.db, "free@anywhere.example");
    expect(row).toMatchObject({ name: "free@anywhere.example", passwordHash: null });
    const again = await admitExternalSignIn(t.db, { provider: "oidc", email: "free@anywhere.example" }, open);
    expect(again).toEqual({ admitted: true, userId: row!.id, created: false });
  });

  it("admits an allowed domain (case-insensitive) and refuses others, without creating an account", async () => {
    const policy: SsoPolicy = { allowedDomains: ["acme.example", "acme.test"] };
    expect(
      await admitExternalSignIn(t.db, { provider: "oidc", email: "ann@ACME.test", name: "Ann" }, policy),
    ).toMatchObject({ admitted: true, created: true });
    for (const email of ["eve@evil.example", "eve@sub.acme.example", "eve@acme.example.evil.example"]) {
      const d = await admitExternalSignIn(t.db, { provider: "oidc", email }, policy);
      expect(d).toEqual({ admitted: false, reason: "domain", message: refusalMessages.domain });
      expect(await findUserByEmail(t.db, email)).toBeUndefined();
    }
  });

  it("refuses an existing account's email outside the allowed domains", async () => {
    await createUser(t.db, { email: "old@elsewhere.example", name: "Old", password: "old-password" });
    const d = await admitExternalSignIn(t.db, { provider: "oidc", email: "old@elsewhere.example" }, joining);
    expect(d).toMatchObject({ admitted: false, reason: "domain" });
  });

  it("refuses an email the provider says is unverified, even an existing admin's", async () => {
    await createUser(t.db, { email: "boss@acme.example", name: "Boss", password: "boss-password" });
    for (const emailVerified of [false, "false", "FALSE", 0, "no", "", "yes", {}]) {
      const d = await admitExternalSignIn(t.db, { provider: "oidc", email: "boss@acme.example", emailVerified }, open);
      expect(d).toMatchObject({ admitted: false, reason: "unverified_email" });
    }
    // No claim (GitHub, some providers) or a true one is admitted.
    for (const emailVerified of [true, "true", undefined])
      expect(
        await admitExternalSignIn(t.db, { provider: "oidc", email: "boss@acme.example", emailVerified }, open),
      ).toMatchObject({ admitted: true, created: false });
    // Unverified never creates an account either.
    const d = await admitExternalSignIn(
      t.db,
      { provider: "oidc", email: "new@acme.example", emailVerified: false },
      joining,
    );
    expect(d).toMatchObject({ admitted: false, reason: "unverified_email" });
    expect(await findUserByEmail(t.db, "new@acme.example")).toBeUndefined();
  });

  it("refuses an address with a character Lectern would read as another: the Kelvin sign is not K", async () => {
    await createUser(t.db, { email: "kim@acme.example", name: "Kim", password: "kim-password" });
    for (const email of ["\u212Aim@acme.example", "\uFF4Bim@acme.example", "k\u0130m@acme.example"])
      expect(await admitExternalSignIn(t.db, { provider: "oidc", email, emailVerified: true }, open)).toMatchObject({
        admitted: false,
        reason: "ambiguous_email",
      });
    // The real Kim still signs in, in any case.
    expect(
      await admitExternalSignIn(t.db, { provider: "oidc", email: "Kim@acme.example", emailVerified: true }, open),
    ).toMatchObject({ admitted: true, created: false });
  });

  it("refuses a profile without an email", async () => {
    for (const email of [undefined, null, "", "not-an-email"])
      expect(await admitExternalSignIn(t.db, { provider: "github", email }, open)).toMatchObject({
        admitted: false,
        reason: "no_email",
      });
  });

  it("refuses a disabled user", async () => {
    const u = await createUser(t.db, { email: "gone@acme.example", name: "Gone" });
    expect(await admitExternalSignIn(t.db, { provider: "oidc", email: "gone@acme.example" }, joining)).toMatchObject({
      admitted: true,
    });
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await admitExternalSignIn(t.db, { provider: "oidc", email: "GONE@acme.example" }, joining)).toEqual({
      admitted: false,
      reason: "disabled",
      message: refusalMessages.disabled,
    });
  });

  it("a first sign-in joins the configured project with the configured role, audited", async () => {
    const d = await admitExternalSignIn(
      t.db,
      { provider: "oidc", email: "dev@acme.example", name: "Dev", emailVerified: true },
      joining,
    );
    expect(d).toMatchObject({ admitted: true, created: true, joined: { projectId, role: "editor" } });
    if (!d.admitted) throw new Error("refused");
    expect(await findRole(t.db, projectId, d.userId)).toBe("editor");
    const audit = await joins(d.userId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      projectId,
      actorType: "user",
      actorId: d.userId,
      objectType: "user",
      after: { email: "dev@acme.example", role: "editor", via: "sso", provider: "oidc" },
    });
  });

  it("a second sign-in neither re-joins nor changes a role an admin changed", async () => {
    const d = await admitExternalSignIn(t.db, { provider: "oidc", email: "pat@acme.example" }, joining);
    if (!d.admitted) throw new Error("refused");
    await setMemberRole(t.db, system, projectId, d.userId, "viewer");
    const again = await admitExternalSignIn(t.db, { provider: "oidc", email: "pat@acme.example" }, joining);
    expect(again).toEqual({ admitted: true, userId: d.userId, created: false });
    expect(await findRole(t.db, projectId, d.userId)).toBe("viewer");

    await removeMember(t.db, system, projectId, d.userId);
    await admitExternalSignIn(t.db, { provider: "oidc", email: "pat@acme.example" }, joining);
    expect(await findRole(t.db, projectId, d.userId)).toBeUndefined();
    expect(await joins(d.userId)).toHaveLength(1);
  });

  it("an existing account (made by an invitation or a password) does not join on its first SSO sign-in", async () => {
    const u = await createUser(t.db, { email: "inv@acme.example", name: "Inv", password: "inv-password" });
    const d = await admitExternalSignIn(t.db, { provider: "oidc", email: "inv@acme.example" }, joining);
    expect(d).toEqual({ admitted: true, userId: u.id, created: false });
    expect(await findRole(t.db, projectId, u.id)).toBeUndefined();
  });

  it("a join project that does not exist admits and creates the account with a warning", async () => {
    const policy: SsoPolicy = { allowedDomains: [], join: { projectSlug: "no-such-project", role: "viewer" } };
    const d = await admitExternalSignIn(t.db, { provider: "github", email: "lost@acme.example" }, policy);
    expect(d).toMatchObject({ admitted: true, created: true });
    if (!d.admitted) throw new Error("refused");
    expect(d.joined).toBeUndefined();
    expect(d.warning).toMatch(/no-such-project/);
  });

  it("concurrent first sign-ins create one account and one membership", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        admitExternalSignIn(t.db, { provider: "oidc", email: "race@acme.example" }, joining),
      ),
    );
    expect(results.every((r) => r.admitted)).toBe(true);
    expect(results.filter((r) => r.admitted && r.created)).toHaveLength(1);
    const members = (await listMembers(t.db, projectId)).filter((m) => m.email === "race@acme.example");
    expect(members).toEqual([expect.objectContaining({ role: "editor" })]);
  });
});
