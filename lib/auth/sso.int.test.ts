import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { auditLog, userIdentities, users } from "../../db/schema";
import type { Actor } from "./permissions";
import { createProject, findRole, listMembers, removeMember, setMemberRole } from "./projects";
import { admitExternalSignIn, findIdentityUser, refusalMessages, type ExternalProfile, type SsoPolicy } from "./sso";
import { createUser, findUserByEmail } from "./users";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

let t: TestDatabase;
let projectId: string;
const system: Actor = { type: "system", label: "test" };
const open: SsoPolicy = { allowedDomains: [] };
const joining: SsoPolicy = { allowedDomains: ["acme.example"], join: { projectSlug: "sso-team", role: "editor" } };

const issuer = "https://idp.acme.example";
/** A sign-in of `subject` at the test issuer, as next-auth's callback hands it over. */
const as = (subject: string, p: Partial<ExternalProfile> = {}): ExternalProfile => ({
  provider: "oidc",
  issuer,
  subject,
  ...p,
});
const admit = (subject: string, p: Partial<ExternalProfile>, policy: SsoPolicy = open) =>
  admitExternalSignIn(t.db, as(subject, p), policy);

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
  it("admits any domain with no allow-list, creating the account once and linking the identity to it", async () => {
    const first = await admit("free", { email: "Free@Anywhere.example" });
    expect(first).toMatchObject({ admitted: true, created: true, linked: true });
    const row = await findUserByEmail(t.db, "free@anywhere.example");
    expect(row).toMatchObject({ name: "free@anywhere.example", passwordHash: null });
    expect(await t.db.select().from(userIdentities).where(eq(userIdentities.userId, row!.id))).toEqual([
      expect.objectContaining({ issuer, subject: "free", provider: "oidc", email: "free@anywhere.example" }),
    ]);
    const again = await admit("free", { email: "free@anywhere.example" });
    expect(again).toEqual({ admitted: true, userId: row!.id, created: false });
  });

  it("admits an allowed domain (case-insensitive) and refuses others, without creating an account", async () => {
    const policy: SsoPolicy = { allowedDomains: ["acme.example", "acme.test"] };
    expect(await admit("ann", { email: "ann@ACME.test", name: "Ann" }, policy)).toMatchObject({
      admitted: true,
      created: true,
    });
    for (const email of [
      "eve@evil.example",
      "eve@sub.acme.example",
      "eve@acme.example.evil.example",
      "eve@ac\u212Ame.example",
    ]) {
      const d = await admit(`eve-${email}`, { email, emailVerified: true }, policy);
      expect(d).toEqual({ admitted: false, reason: "domain", message: refusalMessages.domain });
      expect(await findUserByEmail(t.db, email)).toBeUndefined();
    }
  });

  it("refuses an existing account's email outside the allowed domains", async () => {
    await createUser(t.db, { email: "old@elsewhere.example", name: "Old", password: "old-password" });
    const d = await admit("old", { email: "old@elsewhere.example", emailVerified: true }, joining);
    expect(d).toMatchObject({ admitted: false, reason: "domain" });
  });

  it("refuses an email the provider says is unverified, even an existing admin's; links it when it says verified", async () => {
    const boss = await createUser(t.db, { email: "boss@acme.example", name: "Boss", password: "boss-password" });
    for (const emailVerified of [false, "false", "FALSE", 0, "no", "", "yes", {}]) {
      const d = await admit("boss", { email: "boss@acme.example", emailVerified });
      expect(d).toMatchObject({ admitted: false, reason: "unverified_email" });
    }
    // No claim (GitHub without its address list, some Entra ID tenants): it cannot link to an existing account.
    expect(await admit("boss", { email: "boss@acme.example" })).toEqual({
      admitted: false,
      reason: "link_unverified",
      message: refusalMessages.link_unverified,
    });
    expect(await findIdentityUser(t.db, issuer, "boss")).toBeUndefined();
    // A true claim (the boolean, or the string some providers send) links it.
    expect(await admit("boss", { email: "boss@acme.example", emailVerified: "true" })).toEqual({
      admitted: true,
      userId: boss.id,
      created: false,
      linked: true,
    });
    // Unverified never creates an account either.
    const d = await admit("new", { email: "new@acme.example", emailVerified: false }, joining);
    expect(d).toMatchObject({ admitted: false, reason: "unverified_email" });
    expect(await findUserByEmail(t.db, "new@acme.example")).toBeUndefined();
  });

  it("an address without the claim makes a new account when none has it", async () => {
    const d = await admit("gh-1", { provider: "github", email: "noclaim@acme.example" });
    expect(d).toMatchObject({ admitted: true, created: true, linked: true });
  });

  it("links by an address only when it is byte for byte the account's after ASCII lower-casing: the Kelvin sign is not K", async () => {
    const kim = await createUser(t.db, { email: "kim@acme.example", name: "Kim", password: "kim-password" });
    for (const [i, email] of ["\u212Aim@acme.example", "\uFF4Bim@acme.example", "k\u0130m@acme.example"].entries())
      expect(await admit(`impostor-${i}`, { email, emailVerified: true })).toMatchObject({
        admitted: false,
        reason: "ambiguous_email",
      });
    expect(await findIdentityUser(t.db, issuer, "impostor-0")).toBeUndefined();
    // The real Kim, in any ASCII case, links.
    expect(await admit("kim", { email: "KIM@acme.example", emailVerified: true })).toMatchObject({
      admitted: true,
      userId: kim.id,
      linked: true,
    });
    // An address Lectern cannot store (beyond ASCII) is refused in words, never a failed sign-in.
    expect(await admit("jorg", { email: "J\u00d6RG@acme.example", emailVerified: true })).toEqual({
      admitted: false,
      reason: "invalid_email",
      message: refusalMessages.invalid_email,
    });
  });

  it("a linked identity is its account whatever address it has later; another identity with its address needs the claim", async () => {
    const d = await admit("lin", { email: "lin@acme.example", emailVerified: true });
    if (!d.admitted) throw new Error("refused");
    // The provider changes the address (even to one that folds into another account's): the subject decides.
    for (const email of ["lin.new@acme.example", "\u212Aim@acme.example"])
      expect(await admit("lin", { email })).toEqual({ admitted: true, userId: d.userId, created: false });
    expect(await admit("someone-else", { email: "lin@acme.example" })).toMatchObject({ reason: "link_unverified" });
    // The same subject at another issuer is another person.
    expect(
      await admitExternalSignIn(t.db, { ...as("lin"), issuer: "https://other.example", email: "x@acme.example" }, open),
    ).toMatchObject({ admitted: true, created: true });
  });

  it("refuses a profile without an email", async () => {
    for (const email of [undefined, null, "", "not-an-email"])
      expect(await admit("nomail", { provider: "github", email })).toMatchObject({
        admitted: false,
        reason: "no_email",
      });
  });

  it("refuses a disabled user", async () => {
    const u = await createUser(t.db, { email: "gone@acme.example", name: "Gone" });
    expect(await admit("gone", { email: "gone@acme.example", emailVerified: true }, joining)).toMatchObject({
      admitted: true,
    });
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.id));
    expect(await admit("gone", { email: "GONE@acme.example" }, joining)).toEqual({
      admitted: false,
      reason: "disabled",
      message: refusalMessages.disabled,
    });
    expect(await admit("gone-2", { email: "gone@acme.example", emailVerified: true }, joining)).toMatchObject({
      reason: "disabled",
    });
  });

  it("a first sign-in joins the configured project with the configured role, audited", async () => {
    const d = await admit("dev", { email: "dev@acme.example", name: "Dev", emailVerified: true }, joining);
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
    const d = await admit("pat", { email: "pat@acme.example" }, joining);
    if (!d.admitted) throw new Error("refused");
    await setMemberRole(projectContext(t.db, system, projectId, noEvents), d.userId, "viewer");
    const again = await admit("pat", { email: "pat@acme.example" }, joining);
    expect(again).toEqual({ admitted: true, userId: d.userId, created: false });
    expect(await findRole(t.db, projectId, d.userId)).toBe("viewer");

    await removeMember(projectContext(t.db, system, projectId, noEvents), d.userId);
    await admit("pat", { email: "pat@acme.example" }, joining);
    expect(await findRole(t.db, projectId, d.userId)).toBeUndefined();
    expect(await joins(d.userId)).toHaveLength(1);
  });

  it("an existing account (made by an invitation or a password) does not join on its first SSO sign-in", async () => {
    const u = await createUser(t.db, { email: "inv@acme.example", name: "Inv", password: "inv-password" });
    const d = await admit("inv", { email: "inv@acme.example", emailVerified: true }, joining);
    expect(d).toEqual({ admitted: true, userId: u.id, created: false, linked: true });
    expect(await findRole(t.db, projectId, u.id)).toBeUndefined();
  });

  it("a join project that does not exist admits and creates the account with a warning", async () => {
    const policy: SsoPolicy = { allowedDomains: [], join: { projectSlug: "no-such-project", role: "viewer" } };
    const d = await admit("lost", { provider: "github", email: "lost@acme.example" }, policy);
    expect(d).toMatchObject({ admitted: true, created: true });
    if (!d.admitted) throw new Error("refused");
    expect(d.joined).toBeUndefined();
    expect(d.warning).toMatch(/no-such-project/);
  });

  it("concurrent first sign-ins create one account, one link and one membership", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => admit("race", { email: "race@acme.example" }, joining)),
    );
    expect(results.every((r) => r.admitted)).toBe(true);
    expect(results.filter((r) => r.admitted && r.created)).toHaveLength(1);
    const members = (await listMembers(t.db, projectId)).filter((m) => m.email === "race@acme.example");
    expect(members).toEqual([expect.objectContaining({ role: "editor" })]);
    expect(await t.db.select().from(userIdentities).where(eq(userIdentities.subject, "race"))).toHaveLength(1);
  });
});
