// Agent bundles (docs/decisions/bundles.md): a set of prompts released as one — one plan (every member's), one
// transaction, one rollback — and resolved as one consistent state: a reader resolving the bundle while releases switch
// it back and forth never sees members from two releases.
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../../db/schema";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { failure, liveVersion, promptWith } from "../../../test/domain-fixtures";
import { resolveBundle } from "../../runtime/bundle-resolve";
import { updateBundle } from "./bundle-update";
import { createBundle, getBundleRow, releaseBundle } from "./bundles";
import { rollbackBundle } from "./bundle-rollback";
import { updateEnvironment } from "../environments";
import { promoteVersion } from "../promote";

withReleaseDatabase("bundles");
beforeAll(async () => {
  for (const name of ["agent/system", "agent/tools", "other"]) await promptWith(t.db, f, name, 2);
  await createBundle(f.ctx(f.editor), { name: "agent", prompts: ["agent/system", "agent/tools"] });
});

const versionsOf = async (environment: string) =>
  Object.fromEntries(
    Object.entries((await resolveBundle(t.db, f.projectId, "agent", environment)).prompts).map(([n, p]) => [
      n,
      p.version,
    ]),
  );

describe("a bundle", () => {
  it("is created from existing prompts, and refuses bad input naming it", async () => {
    const b = await getBundleRow(t.db, f.projectId, "agent");
    expect(b.members.map((m) => m.name)).toEqual(["agent/system", "agent/tools"]);
    expect((await failure(createBundle(f.ctx(f.editor), { name: "agent", prompts: ["other"] }))).code).toBe("conflict");
    expect((await failure(createBundle(f.ctx(f.editor), { name: "x", prompts: ["nope"] }))).code).toBe("not_found");
    const twice = await failure(createBundle(f.ctx(f.editor), { name: "x", prompts: ["other", "other"] }));
    expect([twice.code, twice.message]).toEqual(["invalid_input", "prompts must not name a prompt twice"]);
    // A viewer is refused by the wrapper (createBundle's declared prompt.create: action-permissions.int.test.ts).
  });

  it("is released as one, and resolved with the release", async () => {
    const first = await releaseBundle(f.ctx(f.editor), "agent", {
      environment: "staging",
      versions: { "agent/system": 1, "agent/tools": 1 },
    });
    expect(await versionsOf("staging")).toEqual({ "agent/system": 1, "agent/tools": 1 });
    const r = await resolveBundle(t.db, f.projectId, "agent", "staging");
    expect(r.release).toMatchObject({ id: first.id, action: "release", current: true });
    expect(r.prompts["agent/tools"]).toMatchObject({ template: "v1", pinned: false, environment: "staging" });

    const missing = await failure(
      releaseBundle(f.ctx(f.editor), "agent", { environment: "staging", versions: { "agent/system": 2, other: 2 } }),
    );
    expect([missing.code, missing.details]).toEqual([
      "invalid_input",
      { field: "versions", missing: ["agent/tools"], strangers: ["other"] },
    ]);
    // A member released on its own since: the answer is what is served, and says the release is not current.
    await promoteVersion(f.ctx(f.editor), "agent/tools", { environment: "staging", version: 2 });
    expect((await resolveBundle(t.db, f.projectId, "agent", "staging")).release?.current).toBe(false);
  });

  it("is refused with every member's plan when one is blocked, and writes nothing", async () => {
    await releaseBundle(f.ctx(f.approver), "agent", {
      environment: "production",
      versions: { "agent/system": 1, "agent/tools": 1 },
    });
    await updateEnvironment(f.ctx(f.admin), "production", { requiresLiveIn: "staging" });
    // agent/system v2 was never live in staging.
    const refused = await failure(
      releaseBundle(f.ctx(f.approver), "agent", {
        environment: "production",
        versions: { "agent/system": 2, "agent/tools": 2 },
      }),
    );
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(/^Bundle agent cannot go to production: agent\/system: production requires/);
    const plans = refused.details!.plans as { prompt: string; plan: { status: string } }[];
    expect(plans.map((p) => [p.prompt, p.plan.status])).toEqual([
      ["agent/system", "blocked"],
      ["agent/tools", "ready"],
    ]);
    expect(await liveVersion(t.db, f, "agent/tools", "production")).toBe(1);
    await updateEnvironment(f.ctx(f.admin), "production", { requiresLiveIn: null });
    // An editor is refused production by the wrapper's deployTarget rule (lib/server/actions/resource-rules.int.test.ts).
  });

  it("never resolves a mix while releases switch it, and rolls back as one", async () => {
    const a = { "agent/system": 1, "agent/tools": 1 };
    const b = { "agent/system": 2, "agent/tools": 2 };
    await releaseBundle(f.ctx(f.editor), "agent", { environment: "development", versions: b });
    let switching = true;
    const seen: Record<string, number>[] = [];
    const reader = (async () => {
      while (switching) seen.push(await versionsOf("development"));
    })();
    for (let i = 0; i < 12; i++)
      await releaseBundle(f.ctx(f.editor), "agent", { environment: "development", versions: i % 2 ? b : a });
    switching = false;
    await reader;
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s["agent/system"]).toBe(s["agent/tools"]);

    // The last release (i = 11) was b over a: undoing it returns both to a, as one release row.
    const back = await rollbackBundle(f.ctx(f.approver), "agent", {
      environment: "development",
      reason: "tools broke",
    });
    expect([back.action, back.versions, back.previous]).toEqual(["rollback", a, b]);
    expect(await versionsOf("development")).toEqual(a);
    // A bundle never released in an environment has nothing to undo there.
    await createBundle(f.ctx(f.editor), { name: "fresh", prompts: ["other"] });
    const never = await failure(rollbackBundle(f.ctx(f.approver), "fresh", { environment: "staging" }));
    expect([never.code, never.message]).toEqual([
      "conflict",
      "Bundle fresh was never released in staging: nothing to roll back.",
    ]);
    // A first release over a member that served nothing: undoing it keeps what it serves.
    await releaseBundle(f.ctx(f.editor), "fresh", { environment: "staging", versions: { other: 2 } });
    const kept = await rollbackBundle(f.ctx(f.approver), "fresh", { environment: "staging" });
    expect([kept.versions, await liveVersion(t.db, f, "other", "staging")]).toEqual([{ other: 2 }, 2]);
    const none = await failure(releaseBundle(f.ctx(f.editor), "agent", { environment: "nowhere", versions: a }));
    expect(none.code).toBe("not_found");
  });
});

describe("changing a bundle", () => {
  it("sets its members in order and its description, audited with both sides", async () => {
    await createBundle(f.ctx(f.editor), { name: "changing", prompts: ["other"], description: "first" });
    await updateBundle(f.ctx(f.editor), "changing", { prompts: ["agent/tools", "other"] });
    let b = await getBundleRow(t.db, f.projectId, "changing");
    expect([b.members.map((m) => m.name), b.description]).toEqual([["agent/tools", "other"], "first"]);
    await updateBundle(f.ctx(f.editor), "changing", { prompts: ["other"], description: "second" });
    b = await getBundleRow(t.db, f.projectId, "changing");
    expect([b.members.map((m) => m.name), b.description]).toEqual([["other"], "second"]);
    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "bundle.update"), eq(auditLog.objectId, b.id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect([row!.before, row!.after]).toEqual([
      { description: "first", prompts: ["agent/tools", "other"] },
      { description: "second", prompts: ["other"] },
    ]);
  });

  it("refuses an unknown prompt or bundle and a member named twice, changing nothing (a viewer: the wrapper's)", async () => {
    const unknown = await failure(updateBundle(f.ctx(f.editor), "changing", { prompts: ["other", "nope"] }));
    expect(unknown.code).toBe("not_found");
    expect((await failure(updateBundle(f.ctx(f.editor), "nobody", { prompts: ["other"] }))).code).toBe("not_found");
    const twice = await failure(updateBundle(f.ctx(f.editor), "changing", { prompts: ["other", "other"] }));
    expect([twice.code, twice.message]).toEqual(["invalid_input", "prompts must not name a prompt twice"]);
    expect((await getBundleRow(t.db, f.projectId, "changing")).members.map((m) => m.name)).toEqual(["other"]);
  });
});
