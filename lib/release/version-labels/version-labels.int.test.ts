import { describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditLog, versionLabels } from "../../../db/schema";
import { queryRows } from "../../../db/client";
import { code, count, failure, recordingSink, refusal } from "../../../test/domain-fixtures";
import { f, live, promptWith, t, withReleaseDatabase } from "../../../test/release-fixture";
import { deleteVersions } from "../../registry/deletions";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { loadResolved } from "../../runtime/load";
import { renderResolved } from "../../runtime/resolve";
import { createEnvironment } from "../environments";
import { promoteVersion } from "../promote";
import {
  findLabelTarget,
  listVersionLabelRows,
  removeVersionLabel,
  setVersionLabel,
  versionLabelHistory,
} from "./version-labels";

withReleaseDatabase("version-labels");

const target = async (name: string, label: string) =>
  findLabelTarget(t.db, f.projectId, (await getPrompt(t.db, f.projectId, name)).id, label);

const history = async (name: string) =>
  (await versionLabelHistory(t.db, (await getPrompt(t.db, f.projectId, name)).id)).map((m) => [
    m.label,
    m.version,
    m.previous,
  ]);

const moves = async (name: string) => {
  const prompt = await getPrompt(t.db, f.projectId, name);
  return (
    await t.db
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.objectId, prompt.id), sql`${auditLog.action} like 'version_label.%'`))
      .orderBy(asc(auditLog.id))
  ).map((r) => [r.action, r.before, r.after]);
};

describe("version labels", () => {
  it("point at a version, move, stay put when set where they are, and say what a label names", async () => {
    await promptWith("lab", 3);
    const sink = recordingSink(t.db);
    const first = await setVersionLabel(f.ctx(f.editor, sink), "lab", "v1.2", 1);
    expect(first).toEqual({ status: "set", prompt: "lab", label: "v1.2", version: 1, previousVersion: null });
    const moved = await setVersionLabel(f.ctx(f.editor, sink), "lab", "v1.2", 3);
    expect(moved).toMatchObject({ status: "set", version: 3, previousVersion: 1 });
    const again = await setVersionLabel(f.ctx(f.editor, sink), "lab", "v1.2", 3);
    expect(again).toMatchObject({ status: "unchanged", version: 3, previousVersion: 3 });
    // One audit row per move, none for "unchanged"; each announced after its commit, naming the label.
    expect(await moves("lab")).toEqual([
      ["version_label.set", null, { label: "v1.2", version: 1 }],
      ["version_label.set", { label: "v1.2", version: 1 }, { label: "v1.2", version: 3 }],
    ]);
    expect(await history("lab")).toEqual([
      ["v1.2", 3, 1],
      ["v1.2", 1, null],
    ]);
    expect(sink.events).toEqual([
      { projectId: f.projectId, prompt: "lab", environment: null, version: 1, action: "label", committed: true },
      { projectId: f.projectId, prompt: "lab", environment: null, version: 3, action: "label", committed: true },
    ]);
    await promoteVersion(f.ctx(f.approver), "lab", { environment: "staging", version: 2 });
    expect(await target("lab", "v1.2")).toEqual({ kind: "version", version: 3 });
    expect(await target("lab", "staging")).toEqual({ kind: "environment", environment: "staging" });
    // An environment with nothing live of this prompt is still the environment.
    expect(await target("lab", "production")).toEqual({ kind: "environment", environment: "production" });
    expect(await target("lab", "latest")).toEqual({ kind: "version", version: 3 });
    expect(await target("lab", "nope")).toBeUndefined();
    // Labels change what no environment serves: no deployment was written for them.
    expect(await live("lab", "production")).toBeUndefined();
    expect(await live("lab", "staging")).toBe(2);
    expect(
      (await listVersionLabelRows(t.db, (await getPrompt(t.db, f.projectId, "lab")).id)).map((l) => l.label),
    ).toEqual(["v1.2"]);
  });

  it("refuses environments' names, bad names, unknown or deleted versions, and those who may not edit the prompt", async () => {
    await promptWith("lab-refuse", 2);
    const env = await failure(setVersionLabel(f.ctx(f.admin), "lab-refuse", "production", 1));
    expect(env.code).toBe("invalid_input");
    expect(env.message).toContain("is an environment of this project");
    for (const bad of ["latest", "..", ".", "V1", "a b", "x".repeat(37), ""])
      expect(await code(setVersionLabel(f.ctx(f.editor), "lab-refuse", bad, 1)), bad).toBe("invalid_input");
    expect(await code(setVersionLabel(f.ctx(f.editor), "lab-refuse", "v1", 9))).toBe("not_found");
    expect(await code(setVersionLabel(f.ctx(f.editor), "no-such", "v1", 1))).toBe("not_found");
    // Editors may (a label deploys nothing); allowed names include Langfuse's dots, '_' and '-' anywhere.
    for (const ok of ["v1.2", "_draft", "-x", "a.b_c-d", "1"])
      expect(await code(setVersionLabel(f.ctx(f.editor), "lab-refuse", ok, 1)), ok).toBe("ok");
    await deleteVersions(f.ctx(f.admin), await getPrompt(t.db, f.projectId, "lab-refuse"), [2], "test");
    const deleted = await failure(setVersionLabel(f.ctx(f.editor), "lab-refuse", "v1.2", 2));
    expect(deleted).toMatchObject({ code: "conflict", details: { archived: true } });
    expect(await target("lab-refuse", "v1.2")).toEqual({ kind: "version", version: 1 });
  });

  it("keeps the invariants in the database whoever writes the row", async () => {
    const prompt = await promptWith("lab-db", 2);
    const row = { promptId: prompt.id, projectId: f.projectId, version: 1 };
    expect(await refusal(t.db.insert(versionLabels).values({ ...row, label: "staging" }))).toMatchObject({
      sqlstate: "23514",
      message: expect.stringContaining("is the name of an environment"),
    });
    for (const label of ["latest", "..", "Upper"])
      expect((await refusal(t.db.insert(versionLabels).values({ ...row, label }))).sqlstate, label).toBe("23514");
    await t.db.insert(versionLabels).values({ ...row, label: "ok" });
    // Unique per prompt and label: a second row is refused, the move is an update.
    expect((await refusal(t.db.insert(versionLabels).values({ ...row, label: "ok" }))).sqlstate).toBe("23505");
    expect((await refusal(t.db.insert(versionLabels).values({ ...row, label: "v", version: 7 }))).sqlstate).toBe(
      "23503",
    );
    // The log of moves is append-only.
    await setVersionLabel(f.ctx(f.editor), "lab-db", "moved", 1);
    expect((await refusal(t.db.execute(sql`update version_label_moves set version = 2`))).sqlstate).toBe("23001");
    expect((await refusal(t.db.execute(sql`delete from version_label_moves`))).sqlstate).toBe("23001");
    await deleteVersions(f.ctx(f.admin), prompt, [2], "test");
    expect(
      await refusal(t.db.update(versionLabels).set({ version: 2 }).where(eq(versionLabels.promptId, prompt.id))),
    ).toMatchObject({ sqlstate: "23514", message: expect.stringContaining("was deleted") });
    const other = await queryRows<{ id: string }>(
      t.db,
      sql`insert into projects (slug, name, public_id) values ('other-labels', 'Other', 'pk-lt-otherlabels') returning id`,
    );
    expect(
      (await refusal(t.db.insert(versionLabels).values({ ...row, projectId: other[0]!.id, label: "x" }))).sqlstate,
    ).toBe("23514");
  });

  it("refuses an environment named like an existing version label, naming the prompts, until the labels go", async () => {
    await promptWith("lab-env-a", 1);
    await promptWith("lab-env-b", 1);
    await setVersionLabel(f.ctx(f.editor), "lab-env-a", "approved", 1);
    await setVersionLabel(f.ctx(f.editor), "lab-env-b", "approved", 1);
    const refused = await failure(createEnvironment(f.ctx(f.admin), { name: "approved" }));
    expect(refused).toMatchObject({
      code: "conflict",
      details: { field: "name", versionLabel: "approved", prompts: ["lab-env-a", "lab-env-b"] },
    });
    expect(refused.message).toContain('"approved" is a version label of lab-env-a, lab-env-b');
    // The database refuses it too (a second path that forgot the check).
    expect(
      (
        await refusal(
          t.db.execute(sql`insert into environments (project_id, name) values (${f.projectId}, 'approved')`),
        )
      ).sqlstate,
    ).toBe("23514");
    await removeVersionLabel(f.ctx(f.editor), "lab-env-a", "approved");
    await removeVersionLabel(f.ctx(f.editor), "lab-env-b", "approved");
    const env = await createEnvironment(f.ctx(f.admin), { name: "approved" });
    expect(env.name).toBe("approved");
    expect(await target("lab-env-a", "approved")).toEqual({ kind: "environment", environment: "approved" });
  });

  it("removes a label (404 when there is none), audited and announced", async () => {
    await promptWith("lab-rm", 2);
    await setVersionLabel(f.ctx(f.editor), "lab-rm", "beta", 2);
    const sink = recordingSink(t.db);
    expect(await removeVersionLabel(f.ctx(f.editor, sink), "lab-rm", "beta")).toEqual({
      prompt: "lab-rm",
      label: "beta",
      previousVersion: 2,
    });
    expect(sink.events).toMatchObject([{ prompt: "lab-rm", environment: null, version: 2, action: "label" }]);
    expect(await target("lab-rm", "beta")).toBeUndefined();
    expect(await code(removeVersionLabel(f.ctx(f.editor), "lab-rm", "beta"))).toBe("not_found");
    expect((await history("lab-rm"))[0]).toEqual(["beta", null, 2]);
    expect((await moves("lab-rm")).at(-1)).toEqual([
      "version_label.remove",
      { label: "beta", version: 2 },
      { label: "beta", version: null },
    ]);
  });

  it("points nowhere once its version is deleted, until it is moved", async () => {
    const prompt = await promptWith("lab-arch", 3);
    await setVersionLabel(f.ctx(f.editor), "lab-arch", "pinned", 2);
    await deleteVersions(f.ctx(f.admin), prompt, [2], "test");
    expect(await target("lab-arch", "pinned")).toBeUndefined();
    expect((await listVersionLabelRows(t.db, prompt.id)).map((l) => [l.label, l.version])).toEqual([["pinned", 2]]);
    await setVersionLabel(f.ctx(f.editor), "lab-arch", "pinned", 3);
    expect(await target("lab-arch", "pinned")).toEqual({ kind: "version", version: 3 });
  });

  it("concurrent moves of one label: the database decides, one row, one audit row per move that happened", async () => {
    await promptWith("lab-race", 4);
    const before = await count(t.db, "audit_log");
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 1, 2].map((v, i) => setVersionLabel(f.ctx(i % 2 ? f.editor : f.editor2), "lab-race", "race", v)),
    );
    const rows = await t.db.select().from(versionLabels).where(eq(versionLabels.label, "race"));
    expect(rows).toHaveLength(1);
    const set = outcomes.filter((o) => o.status === "set");
    expect((await count(t.db, "audit_log")) - before).toBe(set.length);
    // Each move saw the one before it: the chain of previous versions is unbroken, ending where the row is.
    const audit = await moves("lab-race");
    for (let i = 1; i < audit.length; i++)
      expect((audit[i]![1] as { version: number }).version).toBe((audit[i - 1]![2] as { version: number }).version);
    expect((audit.at(-1)![2] as { version: number }).version).toBe(rows[0]!.version);
    expect((await history("lab-race")).map(([, v, p]) => [v, p])).toEqual(
      audit
        .map(([, b, a]) => [(a as { version: number }).version, (b as { version: number } | null)?.version ?? null])
        .reverse(),
    );
  });

  it("pins: {{> name|label=x}} includes the version label x names, follows its moves, and a move closing a cycle is refused", async () => {
    const ed = f.ctx(f.editor);
    await createPrompt(ed, { name: "pin-a", type: "text", template: "A1" });
    await setVersionLabel(ed, "pin-a", "y", 1);
    await createPrompt(ed, { name: "pin-b", type: "text", template: "B1 {{> pin-a|label=y}}" });
    await createVersion(ed, "pin-b", { template: "B2" });
    await setVersionLabel(ed, "pin-b", "x.1", 2);
    await createVersion(ed, "pin-a", { template: "A2 {{> pin-b|label=x.1}}" });
    await setVersionLabel(ed, "pin-a", "y", 2);
    await promoteVersion(f.ctx(f.approver), "pin-a", { environment: "production", version: 2 });
    const served = async () =>
      renderResolved(await loadResolved(t.db, f.projectId, "pin-a", "production"), {}).rendered;
    expect(await served()).toBe("A2 B2");
    // b@1 includes a|label=y, which is a@2, which includes b|label=x.1: pointing x.1 at b@1 would close the loop.
    const cycle = await failure(setVersionLabel(ed, "pin-b", "x.1", 1));
    expect(cycle).toMatchObject({ code: "unprocessable", details: { label: "x.1", version: 1 } });
    expect(cycle.message).toContain("Partial cycle");
    expect(await target("pin-b", "x.1")).toEqual({ kind: "version", version: 2 });
    // Moving a to a version without the pin lets x.1 move, and what production composes follows the label.
    await setVersionLabel(ed, "pin-a", "y", 1);
    await createVersion(ed, "pin-b", { template: "B3" });
    await setVersionLabel(ed, "pin-b", "x.1", 3);
    expect(await served()).toBe("A2 B3");
  });
});
