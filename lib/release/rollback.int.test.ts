import { describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditLog, deployments } from "../../db/schema";
import { queryRows } from "../../db/client";
import { code, count, failure, sleep } from "../../test/domain-fixtures";
import { f, live, promptWith, statusOf, t, withReleaseDatabase } from "../../test/release-fixture";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { loadResolved } from "../runtime/load";
import { deploymentHistory, liveAt, liveDeployment, liveVersions } from "./deployments";
import { promoteVersion } from "./promote";
import { rollbackPrompt } from "./rollback";
import { getEnvironmentRow } from "./environments";

withReleaseDatabase("rollback");

describe("rollback", () => {
  it("defaults to the previously live version, takes an explicit one, and archives the replaced version", async () => {
    await promptWith("roll", 3);
    for (const version of [1, 2, 3])
      await promoteVersion(f.ctx(f.approver), "roll", { environment: "production", version });
    const row = await rollbackPrompt(f.ctx(f.approver), "roll", { environment: "production" });
    expect(row.status).toBe("deployed");
    expect(row.deployment).toMatchObject({
      version: 2,
      action: "rollback",
      actorId: f.approver.id,
      reason: "Roll back from version 3",
    });
    expect(await live("roll", "production")).toBe(2);
    expect(await statusOf("roll")).toEqual(["archived", "production", "archived"]);
    const explicit = await rollbackPrompt(f.ctx(f.admin), "roll", {
      environment: "production",
      version: 1,
      reason: "v2 is bad too",
    });
    expect(explicit.deployment).toMatchObject({ version: 1, action: "rollback", reason: "v2 is bad too" });
    expect(await live("roll", "production")).toBe(1);
    expect(await statusOf("roll")).toEqual(["production", "archived", "archived"]);
    const prompt = await getPrompt(t.db, f.projectId, "roll");
    const history = await deploymentHistory(t.db, f.projectId, prompt, { environment: "production" });
    expect(history.map((h) => [h.deployment.action, h.deployment.version])).toEqual([
      ["rollback", 1],
      ["rollback", 2],
      ["promote", 3],
      ["promote", 2],
      ["promote", 1],
    ]);
  });

  it("is a conflict when nothing or only one version was ever live; the live version is already live", async () => {
    await promptWith("roll-once", 2);
    expect(await code(rollbackPrompt(f.ctx(f.approver), "roll-once", { environment: "production" }))).toBe("conflict");
    await promoteVersion(f.ctx(f.approver), "roll-once", { environment: "production", version: 1 });
    const before = await count(t.db, "deployments");
    // Promoting it again writes nothing.
    const again = await promoteVersion(f.ctx(f.approver), "roll-once", { environment: "production", version: 1 });
    expect(again.status).toBe("already_live");
    expect(await count(t.db, "deployments")).toBe(before);
    const err = await failure(rollbackPrompt(f.ctx(f.approver), "roll-once", { environment: "production" }));
    expect(err.code).toBe("conflict");
    expect(err.message).toMatch(/only version 1/);
    // Rolling back to the live version changes nothing, and says so (no longer a 409).
    const same = await rollbackPrompt(f.ctx(f.approver), "roll-once", { environment: "production", version: 1 });
    expect(same).toMatchObject({ status: "already_live", deployment: { version: 1, action: "promote" } });
    expect(await code(rollbackPrompt(f.ctx(f.approver), "roll-once", { environment: "production", version: 7 }))).toBe(
      "not_found",
    );
    expect(await count(t.db, "deployments")).toBe(before);
  });

  // An editor cannot roll back: the wrapper refuses it (lib/server/actions/resource-rules.int.test.ts).
});

describe("point in time", () => {
  it("liveAt answers what an environment served at any past instant", async () => {
    const prompt = await promptWith("history", 3);
    const env = await getEnvironmentRow(t.db, f.projectId, "production");
    const at = async () => {
      await sleep(20);
      const now = new Date();
      await sleep(20);
      return now;
    };
    const t0 = await at();
    const { deployment: d1 } = await promoteVersion(f.ctx(f.approver), "history", {
      environment: "production",
      version: 1,
    });
    const t1 = await at();
    const { deployment: d2 } = await promoteVersion(f.ctx(f.approver), "history", {
      environment: "production",
      version: 3,
    });
    const t2 = await at();
    const { deployment: d3 } = await rollbackPrompt(f.ctx(f.approver), "history", { environment: "production" });
    const t3 = await at();
    const versionAt = async (instant: Date) => (await liveAt(t.db, prompt.id, env.id, instant))?.version;
    expect(await versionAt(t0)).toBeUndefined();
    expect(await versionAt(t1)).toBe(1);
    expect(await versionAt(t2)).toBe(3);
    expect(await versionAt(t3)).toBe(1);
    // The instant a deployment reports as its own time shows that deployment.
    for (const d of [d1, d2, d3]) expect((await liveAt(t.db, prompt.id, env.id, d.createdAt))?.id).toBe(d.id);
    expect((await liveAt(t.db, prompt.id, env.id, new Date(d2.createdAt.getTime() - 1)))?.id).toBe(d1.id);
    // Other environments have their own timeline.
    const staging = await getEnvironmentRow(t.db, f.projectId, "staging");
    expect(await liveAt(t.db, prompt.id, staging.id, t3)).toBeUndefined();
  });
});

describe("concurrent promote and rollback on one environment", () => {
  it("records every move in order, and what is served is the newest row", async () => {
    const prompt = await promptWith("race/release", 10);
    const env = await getEnvironmentRow(t.db, f.projectId, "staging");
    // 8, 9 and 10 have been live before, so rolling back to them is an ordinary rollback.
    for (const version of [8, 9, 10, 1])
      await promoteVersion(f.ctx(f.editor), "race/release", { environment: "staging", version });
    const outcomes = await Promise.all([
      ...[2, 3, 4, 5, 6, 7].map((version) =>
        promoteVersion(f.ctx(f.editor), "race/release", { environment: "staging", version }),
      ),
      ...[8, 9, 10].map((version) =>
        rollbackPrompt(f.ctx(f.approver), "race/release", { environment: "staging", version }),
      ),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(9).fill("deployed"));
    const moves = outcomes.map((o) => o.deployment);
    expect(moves.map((m) => m.action)).toEqual([...Array(6).fill("promote"), ...Array(3).fill("rollback")]);
    const rows = await t.db
      .select()
      .from(deployments)
      .where(and(eq(deployments.promptId, prompt.id), eq(deployments.environmentId, env.id)))
      .orderBy(asc(deployments.id));
    expect(rows).toHaveLength(13);
    expect(
      rows
        .slice(4)
        .map((r) => r.version)
        .sort((a, b) => a - b),
    ).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      rows
        .slice(4)
        .map((r) => r.id)
        .sort((a, b) => a - b),
    ).toEqual(moves.map((m) => m.id).sort((a, b) => a - b));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.id).toBeGreaterThan(rows[i - 1]!.id);
      expect(rows[i]!.createdAt.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.createdAt.getTime());
    }
    const newest = rows.at(-1)!;
    expect(await liveDeployment(t.db, prompt.id, env.id)).toEqual(newest);
    expect(
      (await liveVersions(t.db, f.projectId, prompt.id)).find((e) => e.environment === "staging")?.live?.version,
    ).toBe(newest.version);
    const statuses = await statusOf("race/release");
    expect(statuses.filter((s) => s === "testing")).toHaveLength(1);
    expect(statuses[newest.version - 1]).toBe("testing");
    // Each move's audit entry saw the move before it as "before".
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, prompt.id), sql`${auditLog.action} like 'deployment.%'`))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => (a.after as { version: number }).version)).toEqual(rows.map((r) => r.version));
    expect(audit.slice(1).map((a) => (a.before as { version: number }).version)).toEqual(
      rows.slice(0, -1).map((r) => r.version),
    );
  });
});

describe("rollback targets", () => {
  it("refuses a version the environment never served (that would skip promotion rules)", async () => {
    await promptWith("roll-unserved", 3);
    await promoteVersion(f.ctx(f.approver), "roll-unserved", { environment: "production", version: 1 });
    await promoteVersion(f.ctx(f.approver), "roll-unserved", { environment: "production", version: 3 });
    expect(
      await code(rollbackPrompt(f.ctx(f.approver), "roll-unserved", { environment: "production", version: 2 })),
    ).toBe("conflict");
    expect(await live("roll-unserved", "production")).toBe(3);
    expect(
      await code(rollbackPrompt(f.ctx(f.approver), "roll-unserved", { environment: "production", version: 1 })),
    ).toBe("ok");
  });
});

describe("concurrent default rollbacks", () => {
  it("choose their target under the lock: never 'v1 → v1', each sees the one before", async () => {
    await promptWith("roll-race", 3);
    for (const version of [1, 2, 3])
      await promoteVersion(f.ctx(f.approver), "roll-race", { environment: "production", version });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => rollbackPrompt(f.ctx(f.approver), "roll-race", { environment: "production" })),
    );
    const ok = results
      .filter((r) => r.status === "fulfilled")
      .map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof rollbackPrompt>>>).value.deployment);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const prompt = await getPrompt(t.db, f.projectId, "roll-race");
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, prompt.id), eq(auditLog.action, "deployment.rollback")))
      .orderBy(asc(auditLog.id));
    for (const a of rows)
      expect((a.before as { version: number }).version).not.toBe((a.after as { version: number }).version);
    for (const r of ok) expect(r.reason).not.toMatch(new RegExp(`from version ${r.version}$`));
  });
});

describe("partial cycles that exist in one environment only", () => {
  it("are refused when a deployment would close them, and never served", async () => {
    // Latest versions are acyclic: a@2 is plain, b@2 includes a. But a@1 includes b.
    await createPrompt(f.ctx(f.editor), { name: "cyc/b", type: "text", template: "b1" });
    await createPrompt(f.ctx(f.editor), { name: "cyc/a", type: "text", template: "a1 {{> cyc/b}}" });
    await createVersion(f.ctx(f.editor), "cyc/a", { template: "a2 plain" });
    await createVersion(f.ctx(f.editor), "cyc/b", { template: "b2 {{> cyc/a}}" });
    await promoteVersion(f.ctx(f.editor), "cyc/a", { environment: "development", version: 1 });
    const before = await count(t.db, "deployments");
    const err = await failure(promoteVersion(f.ctx(f.editor), "cyc/b", { environment: "development", version: 2 }));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe("Version 2 of cyc/b cannot go live in development: Partial cycle: cyc/b → cyc/a → cyc/b");
    expect(await count(t.db, "deployments")).toBe(before);
    // The other order is caught too.
    await promoteVersion(f.ctx(f.editor), "cyc/a", { environment: "staging", version: 2 });
    await promoteVersion(f.ctx(f.editor), "cyc/b", { environment: "staging", version: 2 });
    expect(
      (await failure(promoteVersion(f.ctx(f.editor), "cyc/a", { environment: "staging", version: 1 }))).message,
    ).toContain("Partial cycle: cyc/a → cyc/b → cyc/a");
  });
});

describe("the instant rule", () => {
  it("/deployments?at= and /resolve?at= agree at a deployment's own millisecond", async () => {
    const prompt = await promptWith("instant", 2);
    const env = await getEnvironmentRow(t.db, f.projectId, "staging");
    await promoteVersion(f.ctx(f.editor), "instant", { environment: "staging", version: 1 });
    const { deployment: d2 } = await promoteVersion(f.ctx(f.editor), "instant", { environment: "staging", version: 2 });
    for (const at of [d2.createdAt, new Date(d2.createdAt.getTime() - 1), new Date(d2.createdAt.getTime() + 1)]) {
      const fromLog = (await liveAt(t.db, prompt.id, env.id, at))?.version;
      const fromResolve = (await loadResolved(t.db, f.projectId, "instant", "staging", { at })).version;
      expect(fromResolve).toBe(fromLog);
    }
    expect((await loadResolved(t.db, f.projectId, "instant", "staging", { at: d2.createdAt })).version).toBe(2);
  });
});

describe("insert-only tables", () => {
  it.each(["prompt_versions", "deployments", "audit_log"])("refuse TRUNCATE of %s", async (table) => {
    const rows = () => queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
    const before = await rows();
    expect(before[0]!.n).toBeGreaterThan(0);
    await expect(t.db.execute(sql`truncate ${sql.identifier(table)} cascade`)).rejects.toThrow();
    expect(await rows()).toEqual(before);
  });
});
