// Bundles in a snapshot (format 2): exported with their members in order, created or brought to the
// snapshot's members on import, refused when a member is neither in the snapshot nor in the project, and a
// snapshot of format 1 (no bundles) still imports.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, bundles } from "../../db/schema";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { createPrompt } from "../registry/prompts";
import { updateBundle } from "../release/bundles/bundle-update";
import { createBundle, getBundleRow, releaseBundle } from "../release/bundles/bundles";
import { resolveBundle } from "../runtime/bundle-resolve";
import { exportProjectSnapshot } from "./export";
import { importProjectSnapshot } from "./import";
import { counts, setUpSnapshots, src, t } from "./snapshots.fixture";

setUpSnapshots();

const membersOf = async (fx: Fixture, name: string) =>
  (await getBundleRow(t.db, fx.projectId, name)).members.map((m) => m.name);
const versionsOf = async (fx: Fixture, name: string, environment: string) =>
  Object.fromEntries(
    Object.entries((await resolveBundle(t.db, fx.projectId, name, environment)).prompts).map(([n, p]) => [
      n,
      p.version,
    ]),
  );

describe("bundles in a snapshot", () => {
  beforeAll(async () => {
    await createBundle(src.ctx(src.editor), {
      name: "agent",
      description: "Support agent",
      prompts: ["reply", "shared/tone"],
    });
    await releaseBundle(src.ctx(src.approver), "agent", {
      environment: "staging",
      versions: { reply: 2, "shared/tone": 1 },
    });
  });

  it("travel with their members in order, in format 2, and import idempotently", async () => {
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    expect(snapshot.format).toBe("lectern.project/2");
    expect(snapshot.bundles).toEqual([
      { name: "agent", description: "Support agent", prompts: ["reply", "shared/tone"] },
    ]);
    const dst = await seedProject(t.db, "bundle-target");
    const r = await importProjectSnapshot(dst.ctx(dst.admin), JSON.parse(JSON.stringify(snapshot)));
    expect(r.bundles).toEqual({ created: ["agent"], updated: [] });
    expect(await membersOf(dst, "agent")).toEqual(["reply", "shared/tone"]);
    expect((await exportProjectSnapshot(t.db, dst.projectId)).bundles).toEqual(snapshot.bundles);
    // The members' deployment logs came along, so the bundle resolves the same (its release log does not).
    expect(await versionsOf(dst, "agent", "staging")).toEqual(await versionsOf(src, "agent", "staging"));
    expect((await resolveBundle(t.db, dst.projectId, "agent", "staging")).release).toBeNull();

    const before = await counts();
    const again = await importProjectSnapshot(dst.ctx(dst.admin), JSON.parse(JSON.stringify(snapshot)));
    expect([again.changed, again.bundles]).toEqual([false, { created: [], updated: [] }]);
    expect(await counts()).toEqual(before);
  });

  it("bring an existing bundle to the snapshot's members and description; keep bundles only the target has", async () => {
    const dst = await seedProject(t.db, "bundle-update");
    await importProjectSnapshot(dst.ctx(dst.admin), await exportProjectSnapshot(t.db, src.projectId));
    await createBundle(dst.ctx(dst.editor), { name: "local", prompts: ["summary"] });
    await updateBundle(src.ctx(src.editor), "agent", {
      prompts: ["shared/tone", "summary", "reply"],
      description: "Support agent v2",
    });
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);

    const before = await counts();
    const dry = await importProjectSnapshot(dst.ctx(dst.admin), snapshot, { dryRun: true });
    expect([dry.changed, dry.bundles]).toEqual([
      true,
      { created: [], updated: [{ name: "agent", fields: ["description", "prompts"] }] },
    ]);
    expect([await counts(), await membersOf(dst, "agent")]).toEqual([before, ["reply", "shared/tone"]]);

    const r = await importProjectSnapshot(dst.ctx(dst.admin), snapshot);
    expect(r.bundles.updated).toEqual([{ name: "agent", fields: ["description", "prompts"] }]);
    const agent = await getBundleRow(t.db, dst.projectId, "agent");
    expect([agent.description, agent.members.map((m) => m.name)]).toEqual([
      "Support agent v2",
      ["shared/tone", "summary", "reply"],
    ]);
    expect(await membersOf(dst, "local")).toEqual(["summary"]);
    const audited = await t.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.projectId, dst.projectId), eq(auditLog.action, "bundle.update")));
    expect(audited).toEqual([
      { after: { description: "Support agent v2", prompts: ["shared/tone", "summary", "reply"] } },
    ]);
  });

  it("refuses a bundle whose member is neither in the snapshot nor in the project, naming both, and writes nothing", async () => {
    const dst = await seedProject(t.db, "bundle-refused");
    await createPrompt(dst.ctx(dst.editor), { name: "local-only", type: "text", template: "here" });
    const s = JSON.parse(JSON.stringify(await exportProjectSnapshot(t.db, src.projectId)));
    s.bundles.push({ name: "ghosts", prompts: ["reply", "ghost", "local-only", "phantom"] });
    const before = { ...(await counts()), bundles: (await t.db.select({ id: bundles.id }).from(bundles)).length };
    for (const dryRun of [true, false]) {
      const e = await failure(importProjectSnapshot(dst.ctx(dst.admin), s, { dryRun }));
      expect([e.code, e.message]).toEqual([
        "invalid_input",
        "bundles[1].prompts[1]: bundle ghosts names prompt ghost, which is neither in the snapshot nor in this project; nothing was imported.",
      ]);
      expect(e.details).toMatchObject({ field: "bundles[1].prompts[1]", bundle: "ghosts", prompt: "ghost" });
      expect((e.details!.missing as { prompt: string }[]).map((m) => m.prompt)).toEqual(["ghost", "phantom"]);
    }
    expect({ ...(await counts()), bundles: (await t.db.select({ id: bundles.id }).from(bundles)).length }).toEqual(
      before,
    );
    // A member the project has (and the snapshot not) is fine.
    s.bundles[1].prompts = ["reply", "local-only"];
    const r = await importProjectSnapshot(dst.ctx(dst.admin), s);
    expect(r.bundles.created).toEqual(["agent", "ghosts"]);
    expect(await membersOf(dst, "ghosts")).toEqual(["reply", "local-only"]);
  });

  it.each([
    ["a bundle named twice", (s: any) => s.bundles.push(s.bundles[0]), "bundles[1].name"],
    ["a member named twice", (s: any) => s.bundles[0].prompts.push("reply"), "bundles"],
    ["a bundle without members", (s: any) => (s.bundles[0].prompts = []), "bundles"],
  ])("refuses %s naming the field", async (_what, spoil, field) => {
    const dst = await seedProject(t.db, `bundle-bad-${Math.random().toString(36).slice(2, 8)}`);
    const s = JSON.parse(JSON.stringify(await exportProjectSnapshot(t.db, src.projectId)));
    spoil(s);
    const e = await failure(importProjectSnapshot(dst.ctx(dst.admin), s));
    expect(e.code).toBe("invalid_input");
    expect(String(e.details?.field)).toContain(field);
  });

  it("imports a format 1 snapshot, which has no bundles, keeping the project's bundles", async () => {
    const dst = await seedProject(t.db, "bundle-old");
    const s = JSON.parse(JSON.stringify(await exportProjectSnapshot(t.db, src.projectId)));
    await importProjectSnapshot(dst.ctx(dst.admin), s);
    s.format = "lectern.project/1";
    delete s.bundles;
    const r = await importProjectSnapshot(dst.ctx(dst.admin), s);
    expect([r.changed, r.bundles]).toEqual([false, { created: [], updated: [] }]);
    expect(await membersOf(dst, "agent")).toEqual(await membersOf(src, "agent"));
  });
});
