import { describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditLog, deployments } from "../../db/schema";
import { code, count, failure, recordingSink, refusal, seedProject } from "../../test/domain-fixtures";
import { f, live, promptWith, statusOf, t, withReleaseDatabase } from "../../test/release-fixture";
import { getPrompt } from "../registry/prompts";
import { liveVersions } from "./deployments";
import { promoteVersion } from "./promote";
import { rollbackPrompt } from "./rollback";
import { createEnvironment, getEnvironmentRow, updateEnvironment } from "./environments";
import { decideReview, requestReview } from "./reviews/reviews";
import { placementOf, versionStatuses } from "./status";

withReleaseDatabase("release");

describe("version status", () => {
  it("is draft, testing, production or archived, derived from the deployment log", async () => {
    await promptWith("status", 4);
    const approver = f.ctx(f.approver);
    expect(await statusOf("status")).toEqual(["draft", "draft", "draft", "draft"]);
    await promoteVersion(approver, "status", { environment: "staging", version: 1 });
    expect(await statusOf("status")).toEqual(["testing", "draft", "draft", "draft"]);
    await promoteVersion(approver, "status", { environment: "production", version: 1 });
    expect(await statusOf("status")).toEqual(["production", "draft", "draft", "draft"]);
    await promoteVersion(approver, "status", { environment: "staging", version: 2 });
    expect(await statusOf("status")).toEqual(["production", "testing", "draft", "draft"]);
    await promoteVersion(approver, "status", { environment: "production", version: 2 });
    expect(await statusOf("status")).toEqual(["archived", "production", "draft", "draft"]);
    await promoteVersion(approver, "status", { environment: "production", version: 3 });
    // v2 left production but is still what staging serves.
    expect(await statusOf("status")).toEqual(["archived", "testing", "production", "draft"]);
    await rollbackPrompt(approver, "status", { environment: "production" });
    expect(await live("status", "production")).toBe(2);
    // The version rolled back from is archived.
    expect(await statusOf("status")).toEqual(["archived", "production", "archived", "draft"]);
    const prompt = await getPrompt(t.db, f.projectId, "status");
    const placement = placementOf(await versionStatuses(t.db, prompt.id), 2);
    expect(placement.liveIn.sort()).toEqual(["production", "staging"]);
    expect(
      (await liveVersions(t.db, f.projectId, prompt.id)).map((e) => [e.environment, e.live?.version ?? null]),
    ).toEqual([
      ["development", null],
      ["staging", 2],
      ["production", 2],
    ]);
  });
});

describe("promote", () => {
  it("an unknown environment is not_found naming the known ones; a malformed one is invalid_input", async () => {
    await promptWith("promo", 2);
    const before = await count(t.db, "deployments");
    const err = await failure(promoteVersion(f.ctx(f.approver), "promo", { environment: "qa", version: 1 }));
    expect(err.code).toBe("not_found");
    expect(err.details).toMatchObject({ field: "environment", known: ["development", "staging", "production"] });
    expect(err.message).toContain("development, staging, production");
    const bad = await failure(promoteVersion(f.ctx(f.approver), "promo", { environment: "Prod!", version: 1 }));
    expect([bad.code, bad.details?.field]).toEqual(["invalid_input", "environment"]);
    expect(await count(t.db, "deployments")).toBe(before);
  });

  it("an unknown version, or a version of another prompt, is not_found and writes nothing", async () => {
    const other = await promptWith("promo-other", 5);
    const promo = await getPrompt(t.db, f.projectId, "promo");
    const before = await count(t.db, "deployments");
    const err = await failure(promoteVersion(f.ctx(f.approver), "promo", { environment: "staging", version: 5 }));
    expect(err.code).toBe("not_found");
    expect(err.details).toMatchObject({ prompt: "promo", version: 5 });
    expect(await code(promoteVersion(f.ctx(f.approver), "promo", { environment: "staging", version: 0 }))).toBe(
      "invalid_input",
    );
    expect(await code(promoteVersion(f.ctx(f.approver), "no-such", { environment: "staging", version: 1 }))).toBe(
      "not_found",
    );
    // The database itself refuses a deployment pointing at another prompt's version.
    const staging = await getEnvironmentRow(t.db, f.projectId, "staging");
    expect(other.latestVersion).toBe(5);
    const refused = await refusal(
      t.db.insert(deployments).values({ promptId: promo.id, environmentId: staging.id, version: 5, action: "promote" }),
    );
    expect(refused.sqlstate).toBe("23503");
    expect(await count(t.db, "deployments")).toBe(before);
  });

  // Who may deploy where (a viewer nowhere, an editor not to protected production) is the wrapper's check, from the
  // endpoint's permission and deployTarget rule: lib/server/actions/resource-rules.int.test.ts and action-permissions.
  it("an editor deploys to development and staging; an approver to production", async () => {
    expect(await code(promoteVersion(f.ctx(f.editor), "promo", { environment: "development", version: 1 }))).toBe("ok");
    expect(await code(promoteVersion(f.ctx(f.editor), "promo", { environment: "staging", version: 1 }))).toBe("ok");
    expect(await live("promo", "production")).toBeUndefined();
    const row = await promoteVersion(f.ctx(f.approver), "promo", {
      environment: "production",
      version: 1,
      reason: "ship it",
    });
    expect(row).toMatchObject({
      status: "deployed",
      deployment: { version: 1, action: "promote", actorId: f.approver.id, reason: "ship it" },
    });
    expect(await live("promo", "production")).toBe(1);
    expect(await code(promoteVersion(f.ctx(f.admin), "promo", { environment: "production", version: 2 }))).toBe("ok");
  });

  it("requiresReview blocks promotion until an approved review exists", async () => {
    const fx = await seedProject(t.db, "rule-review");
    await promptWith("reviewed", 2, fx);
    await updateEnvironment(fx.ctx(fx.admin), "staging", { requiresReview: true });
    const err = await failure(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "staging", version: 2 }));
    expect(err.code).toBe("conflict");
    expect(err.details).toMatchObject({ rule: "requiresReview", environment: "staging", version: 2 });
    // A pending, a rejected, or another version's approval is not enough.
    const pending = await requestReview(fx.ctx(fx.editor), "reviewed", {
      version: 2,
      environment: "staging",
      deployOnApprove: false,
    });
    expect(await code(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "staging", version: 2 }))).toBe(
      "conflict",
    );
    await decideReview(fx.ctx(fx.approver), pending.id, { decision: "reject", comment: "not yet" });
    expect(await code(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "staging", version: 2 }))).toBe(
      "conflict",
    );
    const other = await requestReview(fx.ctx(fx.editor), "reviewed", {
      version: 1,
      environment: "staging",
      deployOnApprove: false,
    });
    await decideReview(fx.ctx(fx.approver), other.id, { decision: "approve" });
    expect(await code(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "staging", version: 2 }))).toBe(
      "conflict",
    );
    expect(await live("reviewed", "staging", fx)).toBeUndefined();
    const again = await requestReview(fx.ctx(fx.editor), "reviewed", {
      version: 2,
      environment: "staging",
      deployOnApprove: false,
    });
    await decideReview(fx.ctx(fx.approver), again.id, { decision: "approve" });
    expect(await live("reviewed", "staging", fx)).toBeUndefined();
    expect(await code(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "staging", version: 2 }))).toBe(
      "ok",
    );
    expect(await live("reviewed", "staging", fx)).toBe(2);
    // Other environments are unaffected by the rule.
    expect(await code(promoteVersion(fx.ctx(fx.editor), "reviewed", { environment: "development", version: 1 }))).toBe(
      "ok",
    );
  });

  it("requiresLiveIn blocks a version that was never live in the named environment", async () => {
    const fx = await seedProject(t.db, "rule-live-in");
    await promptWith("staged", 2, fx);
    expect(await code(updateEnvironment(fx.ctx(fx.admin), "production", { requiresLiveIn: "production" }))).toBe(
      "invalid_input",
    );
    expect(await code(updateEnvironment(fx.ctx(fx.admin), "production", { requiresLiveIn: "qa" }))).toBe("not_found");
    await updateEnvironment(fx.ctx(fx.admin), "production", { requiresLiveIn: "staging" });
    await promoteVersion(fx.ctx(fx.editor), "staged", { environment: "development", version: 2 });
    const err = await failure(promoteVersion(fx.ctx(fx.approver), "staged", { environment: "production", version: 2 }));
    expect(err.code).toBe("conflict");
    expect(err.details).toMatchObject({ rule: "requiresLiveIn", requiredEnvironment: "staging", version: 2 });
    await promoteVersion(fx.ctx(fx.editor), "staged", { environment: "staging", version: 1 });
    expect(await code(promoteVersion(fx.ctx(fx.approver), "staged", { environment: "production", version: 2 }))).toBe(
      "conflict",
    );
    await promoteVersion(fx.ctx(fx.editor), "staged", { environment: "staging", version: 2 });
    await promoteVersion(fx.ctx(fx.approver), "staged", { environment: "production", version: 2 });
    expect(await live("staged", "production", fx)).toBe(2);
    // Having been live there once is enough, even after staging moved on.
    expect(await code(promoteVersion(fx.ctx(fx.approver), "staged", { environment: "production", version: 1 }))).toBe(
      "ok",
    );
  });

  it("requiresLiveIn rules may not form a loop (nothing could ever be promoted)", async () => {
    const fx = await seedProject(t.db, "rule-loop");
    await updateEnvironment(fx.ctx(fx.admin), "production", { requiresLiveIn: "staging" });
    await updateEnvironment(fx.ctx(fx.admin), "staging", { requiresLiveIn: "development" });
    const err = await failure(updateEnvironment(fx.ctx(fx.admin), "development", { requiresLiveIn: "production" }));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toBe(
      "requiresLiveIn would make a loop (development → production → staging → development): no version could ever be promoted into these environments.",
    );
    expect((await getEnvironmentRow(t.db, fx.projectId, "development")).requiresLiveIn).toBeNull();
    expect(await code(createEnvironment(fx.ctx(fx.admin), { name: "qa", requiresLiveIn: "qa" }))).toBe("invalid_input");
  });
});

describe("the deployment log", () => {
  it("is append-only in the database", async () => {
    const prompt = await getPrompt(t.db, f.projectId, "promo");
    const before = await t.db
      .select()
      .from(deployments)
      .where(eq(deployments.promptId, prompt.id))
      .orderBy(asc(deployments.id));
    expect(before.length).toBeGreaterThan(0);
    const refused = { sqlstate: "23001", message: expect.stringMatching(/deployments rows are immutable/) };
    expect(await refusal(t.db.execute(sql`update deployments set version = 2 where prompt_id = ${prompt.id}`))).toEqual(
      refused,
    );
    expect(await refusal(t.db.execute(sql`delete from deployments where prompt_id = ${prompt.id}`))).toEqual(refused);
    expect(
      await refusal(t.db.update(deployments).set({ reason: "rewritten" }).where(eq(deployments.id, before[0]!.id))),
    ).toEqual(refused);
    expect(
      await t.db.select().from(deployments).where(eq(deployments.promptId, prompt.id)).orderBy(asc(deployments.id)),
    ).toEqual(before);
  });

  it("promote records an audit entry with the versions before and after", async () => {
    await promptWith("audited", 2);
    const prompt = await getPrompt(t.db, f.projectId, "audited");
    await promoteVersion(f.ctx(f.approver), "audited", { environment: "production", version: 1 });
    await promoteVersion(f.ctx(f.approver), "audited", { environment: "production", version: 2, reason: "better" });
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, prompt.id), eq(auditLog.action, "deployment.promote")))
      .orderBy(asc(auditLog.id));
    expect(entries.map((e) => ({ actor: e.actorId, before: e.before, after: e.after }))).toEqual([
      { actor: f.approver.id, before: null, after: { environment: "production", version: 1, reason: "" } },
      {
        actor: f.approver.id,
        before: { environment: "production", version: 1 },
        after: { environment: "production", version: 2, reason: "better" },
      },
    ]);
  });
});

describe("events", () => {
  it("promote and rollback publish exactly one event each after commit; failures publish nothing", async () => {
    await promptWith("evented", 3);
    const sink = recordingSink(t.db);
    await promoteVersion(f.ctx(f.approver, sink), "evented", { environment: "production", version: 1 });
    await promoteVersion(f.ctx(f.approver, sink), "evented", { environment: "production", version: 2 });
    await rollbackPrompt(f.ctx(f.approver, sink), "evented", { environment: "production" });
    expect(
      await code(promoteVersion(f.ctx(f.approver, sink), "evented", { environment: "production", version: 0 })),
    ).toBe("invalid_input");
    expect(
      await code(promoteVersion(f.ctx(f.approver, sink), "evented", { environment: "production", version: 9 })),
    ).toBe("not_found");
    expect(await code(promoteVersion(f.ctx(f.approver, sink), "evented", { environment: "qa", version: 3 }))).toBe(
      "not_found",
    );
    expect(await code(rollbackPrompt(f.ctx(f.approver, sink), "evented", { environment: "staging" }))).toBe("conflict");
    const base = { projectId: f.projectId, prompt: "evented", environment: "production", committed: true };
    expect(sink.events).toEqual([
      { ...base, version: 1, action: "promote" },
      { ...base, version: 2, action: "promote" },
      { ...base, version: 1, action: "rollback" },
    ]);
  });
});
