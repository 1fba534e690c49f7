// API keys and the audit log against a real database.
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { apiKeys, auditLog } from "../../db/schema";
import { noEvents } from "../announcements";
import { projectContext } from "../context";
import { createApiKey, findKey, listApiKeys, revokeApiKey } from "./api-keys";
import { createProject } from "./projects";
import { code, system, t, withAuthDatabase } from "../../test/auth-fixture";

withAuthDatabase();

describe("API keys", () => {
  it("stores only a hash, lists without secrets, and revocation takes effect", async () => {
    const p = await createProject(t.db, { slug: "keys", name: "Keys" }, system);
    const created = await createApiKey(projectContext(t.db, system, p.id, noEvents), { name: "ci", scope: "runtime" });
    expect(created.key).toMatch(/^lk_rt_/);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.keyHash).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key);
    const listed = await listApiKeys(projectContext(t.db, system, p.id, noEvents));
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await findKey(t.db, created.key))?.revoked).toBe(false);
    await revokeApiKey(projectContext(t.db, system, p.id, noEvents), created.id);
    expect((await findKey(t.db, created.key))?.revoked).toBe(true);
    expect(await findKey(t.db, "lk_rt_unknown")).toBeUndefined();
  });

  // Who may manage keys is the wrapper's (action-permissions.int.test.ts: createApiKeyAction / POST /api/v1/api-keys).

  it("rejects a bad scope naming the field, and an unknown id on revoke", async () => {
    const p = await createProject(t.db, { slug: "keys3", name: "Keys3" }, system);
    await expect(
      createApiKey(projectContext(t.db, system, p.id, noEvents), { name: "x", scope: "root" as never }),
    ).rejects.toThrow(/scope must be one of runtime, admin/);
    expect(
      await code(revokeApiKey(projectContext(t.db, system, p.id, noEvents), "00000000-0000-0000-0000-000000000000")),
    ).toBe("not_found");
    expect(await code(revokeApiKey(projectContext(t.db, system, p.id, noEvents), "not-a-uuid"))).toBe("not_found");
  });
});

describe("audit log", () => {
  it("records mutations and refuses UPDATE and DELETE", async () => {
    const before = await t.db.select().from(auditLog);
    const p = await createProject(t.db, { slug: "audited", name: "Audited" }, system);
    await createApiKey(projectContext(t.db, system, p.id, noEvents), { name: "k", scope: "admin" });
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
