// Projects, members and roles, and project slugs, against a real database.
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { memberships } from "../../db/schema";
import { addMember } from "./invitations";
import { createProject, findRole, listMembers, removeMember, setMemberRole } from "./projects";
import { createUser } from "./users";
import type { Actor } from "./permissions";
import { code, system, t, withAuthDatabase } from "../../test/auth-fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withAuthDatabase();

describe("projects, members and roles", () => {
  it("a new project has the default environments and its creator as admin", async () => {
    const owner = await createUser(t.db, { email: "owner@example.com", name: "Owner", password: "owner-pass" });
    const ownerActor: Actor = { type: "user", id: owner.id, label: owner.email, role: "admin" };
    const p = await createProject(t.db, { slug: "acme", name: "Acme" }, ownerActor);
    expect(await findRole(t.db, p.id, owner.id)).toBe("admin");
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

  // Only admins manage members: the wrapper's (own-action-permissions.int.test.ts: addMemberAction…).
  it("a refused change changes nothing", async () => {
    const p = await createProject(t.db, { slug: "members", name: "Members" }, system);
    const ed = await createUser(t.db, { email: "ed@example.com", name: "Ed" });
    const added = await addMember(projectContext(t.db, system, p.id, noEvents), {
      email: "ed@example.com",
      role: "editor",
    });
    expect(added).toMatchObject({ kind: "added", userId: ed.id });
    expect(
      await code(addMember(projectContext(t.db, system, p.id, noEvents), { email: "ed@example.com", role: "viewer" })),
    ).toBe("conflict");
    expect(
      await code(
        addMember(projectContext(t.db, system, p.id, noEvents), { email: "x@example.com", role: "owner" as never }),
      ),
    ).toBe("invalid_input");
    expect((await listMembers(t.db, p.id)).map((m) => m.email)).toEqual(["ed@example.com"]);
  });

  it("keeps at least one admin", async () => {
    const p = await createProject(t.db, { slug: "admins", name: "Admins" }, system);
    const a = await createUser(t.db, { email: "solo@example.com", name: "Solo" });
    await addMember(projectContext(t.db, system, p.id, noEvents), { email: a.email, role: "admin" });
    expect(await code(setMemberRole(projectContext(t.db, system, p.id, noEvents), a.id, "viewer"))).toBe("conflict");
    expect(await code(removeMember(projectContext(t.db, system, p.id, noEvents), a.id))).toBe("conflict");
    const b = await createUser(t.db, { email: "second@example.com", name: "Second" });
    await addMember(projectContext(t.db, system, p.id, noEvents), { email: b.email, role: "editor" });
    await setMemberRole(projectContext(t.db, system, p.id, noEvents), b.id, "admin");
    await setMemberRole(projectContext(t.db, system, p.id, noEvents), a.id, "viewer");
    expect(await findRole(t.db, p.id, a.id)).toBe("viewer");
    const rows = await t.db.select().from(memberships).where(eq(memberships.projectId, p.id));
    expect(rows).toHaveLength(2);
  });

  it("two admins demoting each other at the same time leave one admin", async () => {
    for (let round = 0; round < 5; round++) {
      const p = await createProject(t.db, { slug: `duel-${round}`, name: "Duel" }, system);
      const ids: string[] = [];
      for (const who of ["a", "b"]) {
        const u = await createUser(t.db, { email: `${who}${round}@duel.test`, name: who });
        await addMember(projectContext(t.db, system, p.id, noEvents), { email: u.email, role: "admin" });
        ids.push(u.id);
      }
      const [x, y] = ids as [string, string];
      const results = await Promise.all([
        code(
          setMemberRole(
            projectContext(t.db, { type: "user", id: x, label: "a", role: "admin" }, p.id, noEvents),
            y,
            "viewer",
          ),
        ),
        code(removeMember(projectContext(t.db, { type: "user", id: y, label: "b", role: "admin" }, p.id, noEvents), x)),
      ]);
      expect(results.sort()).toEqual(["conflict", "ok"]);
      const admins = (await listMembers(t.db, p.id)).filter((m) => m.role === "admin");
      expect(admins).toHaveLength(1);
    }
  });
});

describe("project slugs", () => {
  it.each(["login", "api", "projects"])("refuses the reserved slug %s", async (slug) => {
    await expect(createProject(t.db, { slug, name: "x" }, system)).rejects.toThrow(
      `slug ${slug} is reserved; choose another`,
    );
  });
});
