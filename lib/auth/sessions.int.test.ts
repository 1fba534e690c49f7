// Sessions and passwords against a real database: revocation, changes and resets.
import { describe, expect, it } from "vitest";
import { addMember } from "./invitations";
import { changePassword, createPasswordReset, mayRevealResetLink, resetPassword } from "./passwords";
import { createProject } from "./projects";
import { createSession, pruneSessions, revokeSession, validateSession } from "./sessions";
import { createUser, verifyCredentials } from "./users";
import { code, limits, system, t, withAuthDatabase } from "../../test/auth-fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withAuthDatabase();

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
    const reset = await createPasswordReset({ db: t.db, actor: system }, u.id);
    await resetPassword(t.db, reset.token, "reset-password");
    expect(await validateSession(t.db, c.id)).toBeNull();
    expect(await code(resetPassword(t.db, reset.token, "again-password"))).toBe("not_found");
    expect((await verifyCredentials(t.db, { email: "sess@example.com", password: "reset-password" }, limits)).id).toBe(
      u.id,
    );
    expect(await validateSession(t.db, "unknown-session-id")).toBeNull();
    expect(await validateSession(t.db, c.id, new Date(Date.now() + 8 * 24 * 3600 * 1000))).toBeNull();
  });

  it("housekeeping prunes sessions revoked or expired over a day ago, and says how many", async () => {
    const u = await createUser(t.db, { email: "prune@example.com", name: "Prune" });
    const later = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    await pruneSessions(t.db, later); // what earlier tests left
    const live = await createSession(t.db, u.id);
    const revoked = await createSession(t.db, u.id);
    await revokeSession(t.db, revoked.id);
    expect(await pruneSessions(t.db, new Date())).toBe(0);
    expect(await pruneSessions(t.db, later)).toBe(1);
    expect(await pruneSessions(t.db, later)).toBe(0);
    expect((await validateSession(t.db, live.id))?.id).toBe(u.id);
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
    await addMember(projectContext(t.db, system, p1.id, noEvents), { email: target.email, role: "editor" });
    const as = (u: { id: string; email: string }) => ({
      db: t.db,
      actor: { type: "user" as const, id: u.id, label: u.email, role: "admin" as const },
    });
    expect(await mayRevealResetLink(as(admin), target.id)).toBe(true);
    await addMember(projectContext(t.db, system, p2.id, noEvents), { email: target.email, role: "viewer" });
    expect(await mayRevealResetLink(as(admin), target.id)).toBe(false);
    expect(await mayRevealResetLink(as(target), target.id)).toBe(true);
  });
});
