// Invitations against a real database: adding someone never sets or shows a password.
import { describe, expect, it } from "vitest";
import { acceptInvitation, addMember, describeInvitation, listInvitations, revokeInvitation } from "./invitations";
import { createProject, findRole } from "./projects";
import type { Role } from "./permissions";
import { verifyCredentials } from "./users";
import { code, failure, limits, system, t, withAuthDatabase } from "../../test/auth-fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withAuthDatabase();

/** The system invites `email` into project `projectId` as `role`: the invitation (an error if it added a member). */
async function invite(projectId: string, email: string, role: Role) {
  const r = await addMember(projectContext(t.db, system, projectId, noEvents), { email, role });
  if (r.kind !== "invited") throw new Error("expected an invitation");
  return r;
}

describe("invitations: adding someone never sets or shows a password", () => {
  it("an email without an account gets a one-time link; the invitee chooses the password", async () => {
    const p = await createProject(t.db, { slug: "inv-a", name: "Inv A" }, system);
    const r = await invite(p.id, "New@Example.com", "editor");
    expect(r.email).toBe("new@example.com");
    expect((await listInvitations(t.db, p.id)).map((i) => i.email)).toEqual(["new@example.com"]);
    expect(await describeInvitation(t.db, r.token)).toMatchObject({
      email: "new@example.com",
      role: "editor",
      hasAccount: false,
    });
    const joined = await acceptInvitation(t.db, r.token, { account: { name: "New", password: "their-own-pass" } });
    expect(await findRole(t.db, p.id, joined.userId)).toBe("editor");
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
    const first = await invite(a.id, "shared@example.com", "admin");
    const second = await invite(b.id, "shared@example.com", "viewer");
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
    expect(await findRole(t.db, a.id, joined.userId)).toBeUndefined();
    // Signed in as the account, its owner may accept A's invitation.
    await acceptInvitation(t.db, first.token, { signedInUserId: joined.userId });
    expect(await findRole(t.db, a.id, joined.userId)).toBe("admin");
  });

  it("concurrent redemptions of one link: exactly one succeeds", async () => {
    const p = await createProject(t.db, { slug: "inv-c", name: "C" }, system);
    const r = await invite(p.id, "race-inv@example.com", "viewer");
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        code(acceptInvitation(t.db, r.token, { account: { name: `R${i}`, password: `password-${i}` } })),
      ),
    );
    expect(results.filter((x) => x === "ok")).toHaveLength(1);
  });

  it("re-inviting replaces the open link; revoking and expiry end it", async () => {
    const p = await createProject(t.db, { slug: "inv-d", name: "D" }, system);
    const one = await invite(p.id, "again@example.com", "viewer");
    const two = await invite(p.id, "again@example.com", "editor");
    expect(await code(describeInvitation(t.db, one.token))).toBe("not_found");
    expect(await code(describeInvitation(t.db, two.token, new Date(Date.now() + 8 * 24 * 3600 * 1000)))).toBe(
      "not_found",
    );
    await revokeInvitation(projectContext(t.db, system, p.id, noEvents), two.invitationId);
    expect(await code(describeInvitation(t.db, two.token))).toBe("not_found");
    expect(await code(describeInvitation(t.db, "not-a-token"))).toBe("not_found");
  });
});
