// Importing a snapshot into another project of one database, standing in for another Lectern instance:
// every resolve answer the same, idempotent, fast-forwards, refuses diverged history, dry runs, gates.
import { beforeAll, describe, expect, it } from "vitest";
import { failure, recordingSink, seedProject, type Fixture } from "../../test/domain-fixtures";
import { getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { getEnvironmentRow, updateEnvironment } from "../release/environments";
import { normalizeGateScorers } from "../scorers/gate";
import { addItems, createDataset } from "../evaluation/datasets";
import { versionStatuses } from "../release/status";
import { exportProjectSnapshot } from "./export";
import { importProjectSnapshot } from "./import";
import { counts, sameAnswers, setUpSnapshots, src, t } from "./snapshots.fixture";

setUpSnapshots();

describe("import", () => {
  let dst: Fixture;
  beforeAll(async () => {
    dst = await seedProject(t.db, "target");
  });

  it("rebuilds the project so that every resolve answer is the same, now and at past instants", async () => {
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    const sink = recordingSink(t.db);
    const r = await importProjectSnapshot(dst.ctx(dst.admin, sink), snapshot);
    expect(r).toMatchObject({
      changed: true,
      dryRun: false,
      environments: { created: ["qa"], updated: [{ name: "production", fields: ["requiresLiveIn"] }] },
    });
    expect(r.prompts.created.sort()).toEqual(["old", "reply", "shared/tone", "summary"]);
    expect(r.totals).toEqual({ versions: 6, deployments: 10 });
    await sameAnswers(src, dst);
    const reply = snapshot.prompts.find((p) => p.name === "reply")!;
    // What production served between the first two deployments: version 1, with the partial as it was.
    const between = new Date(Date.parse(reply.deployments[2]!.at));
    await sameAnswers(src, dst, between);
    const statuses = async (fx: Fixture) =>
      [...(await versionStatuses(t.db, (await getPrompt(t.db, fx.projectId, "reply")).id))].sort();
    expect(await statuses(dst)).toEqual(await statuses(src));
    // Numbering continues after the imported versions, and the imported ones keep who and when.
    const next = await createVersion(dst.ctx(dst.editor), "reply", {
      template: [{ role: "user", content: "v4 {{question}}" }],
      baseVersion: 3,
    });
    expect(next.version.version).toBe(4);
    const again = await exportProjectSnapshot(t.db, dst.projectId);
    expect(again.prompts.find((p) => p.name === "reply")!.versions.slice(0, 3)).toEqual(reply.versions);
    // Announced after commit, so caches drop what they held.
    expect(sink.events.filter((e) => e.environment !== null).every((e) => e.committed)).toBe(true);
    expect(sink.events).toContainEqual(
      expect.objectContaining({ prompt: "reply", environment: "production", version: 1, action: "rollback" }),
    );
  });

  it("is idempotent: importing the same snapshot again writes nothing and says so", async () => {
    const fresh = await seedProject(t.db, "twice");
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    await importProjectSnapshot(fresh.ctx(fresh.admin), snapshot);
    const before = await counts();
    const r = await importProjectSnapshot(fresh.ctx(fresh.admin), JSON.parse(JSON.stringify(snapshot)));
    expect(r.changed).toBe(false);
    expect(r.prompts).toMatchObject({ created: [], updated: [], unchanged: 4 });
    expect(await counts()).toEqual(before);
  });

  it("fast-forwards: only what the source added since is inserted", async () => {
    const ff = await seedProject(t.db, "ff");
    await importProjectSnapshot(ff.ctx(ff.admin), await exportProjectSnapshot(t.db, src.projectId));
    await createVersion(src.ctx(src.editor), "summary", { template: "Summarise {{text}}", commitMessage: "wording" });
    await promoteVersion(src.ctx(src.approver), "summary", { environment: "development", version: 2 });
    const before = await counts();
    const r = await importProjectSnapshot(ff.ctx(ff.admin), await exportProjectSnapshot(t.db, src.projectId));
    expect(r.prompts.updated).toEqual([
      { name: "summary", versions: [2], deployments: { development: 1 }, details: [] },
    ]);
    expect(r.prompts.unchanged).toBe(3);
    const after = await counts();
    expect(after.prompt_versions - before.prompt_versions).toBe(1);
    expect(after.deployments - before.deployments).toBe(1);
    await sameAnswers(src, ff);
  });

  it("refuses diverged history with every conflict, and writes nothing", async () => {
    const div = await seedProject(t.db, "diverged");
    await importProjectSnapshot(div.ctx(div.admin), await exportProjectSnapshot(t.db, src.projectId));
    // Both sides save a version 3 of summary (source has 2 versions by now), and deploy differently.
    await createVersion(div.ctx(div.editor), "summary", { template: "Target's {{text}}" });
    await createVersion(src.ctx(src.editor), "summary", { template: "Source's {{text}}" });
    await promoteVersion(div.ctx(div.approver), "shared/tone", { environment: "development", version: 1 });
    await promoteVersion(src.ctx(src.approver), "shared/tone", { environment: "development", version: 1 });
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    const before = await counts();
    const e = await failure(importProjectSnapshot(div.ctx(div.admin), snapshot));
    expect(e.code).toBe("conflict");
    const conflicts = e.details!.conflicts as {
      kind: string;
      prompt: string;
      version?: number;
      environment?: string;
      summary?: string[];
    }[];
    expect(conflicts.map((c) => [c.kind, c.prompt, c.version ?? c.environment])).toEqual([
      ["deployments", "shared/tone", "development"],
      ["version", "summary", 3],
    ]);
    expect(conflicts.find((c) => c.kind === "version")!.summary).toEqual(["template changed: +1 −1 lines"]);
    expect(await counts()).toEqual(before);
  });

  it("keeps what the target has beyond the snapshot, and reports it", async () => {
    const ahead = await seedProject(t.db, "ahead");
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    await importProjectSnapshot(ahead.ctx(ahead.admin), snapshot);
    await createVersion(ahead.ctx(ahead.editor), "reply", {
      template: [{ role: "user", content: "more {{question}}" }],
    });
    await promoteVersion(ahead.ctx(ahead.approver), "reply", { environment: "staging", version: 4 });
    const r = await importProjectSnapshot(ahead.ctx(ahead.admin), snapshot);
    expect(r.changed).toBe(false);
    expect(r.prompts.ahead).toEqual([{ name: "reply", latestVersion: 4, environments: ["staging"] }]);
  });

  it("answers a dry run with what would change, writing nothing", async () => {
    const dry = await seedProject(t.db, "dry");
    const before = await counts();
    const r = await importProjectSnapshot(dry.ctx(dry.admin), await exportProjectSnapshot(t.db, src.projectId), {
      dryRun: true,
    });
    expect(r).toMatchObject({ dryRun: true, changed: true, environments: { created: ["qa"] } });
    expect(r.prompts.created).toHaveLength(4);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["an unknown format", (s: any) => (s.format = "lectern.project/9"), "format"],
    [
      "a gap in version numbers",
      (s: any) => s.prompts.find((p: any) => p.name === "reply").versions.splice(1, 1),
      "versions[1].version",
    ],
    [
      "a deployment of a missing version",
      (s: any) =>
        s.prompts
          .find((p: any) => p.deployments.length)
          .deployments.push({ ...s.prompts.find((p: any) => p.deployments.length).deployments[0], version: 99 }),
      "version",
    ],
    [
      "a deployment to an unknown environment",
      (s: any) => (s.prompts.find((p: any) => p.deployments.length).deployments[0].environment = "moon"),
      "environment",
    ],
    ["invalid content", (s: any) => (s.prompts[0].versions[0].content.type = "poem"), "content"],
    ["a duplicate prompt", (s: any) => s.prompts.push(s.prompts[0]), "name"],
    ["a bad instant", (s: any) => (s.prompts[0].createdAt = "yesterday"), "createdAt"],
  ])("refuses %s naming the field", async (_what, spoil, field) => {
    const fx = await seedProject(t.db, `bad-${Math.random().toString(36).slice(2, 8)}`);
    const s = JSON.parse(JSON.stringify(await exportProjectSnapshot(t.db, src.projectId)));
    spoil(s);
    const before = await counts();
    const e = await failure(importProjectSnapshot(fx.ctx(fx.admin), s));
    expect(e.code).toBe("invalid_input");
    expect(String(e.details?.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it("exports the gates of several environments (read one after another in its transaction)", async () => {
    const gated = await seedProject(t.db, "two-gates");
    const ds = await createDataset(gated.ctx(gated.admin), { name: "gate-set" });
    await addItems(gated.ctx(gated.admin), ds.id, [{ input: { q: "a" }, tags: [], metadata: {} }]);
    for (const [environment, minScore] of [
      ["staging", 0.5],
      ["production", 0.7],
    ] as const)
      await updateEnvironment(gated.ctx(gated.admin), environment, {
        evaluationGate: { dataset: "gate-set", minScore, maxDrop: 1 },
      });
    const snapshot = await exportProjectSnapshot(t.db, gated.projectId);
    expect(
      snapshot.environments.filter((e) => e.evaluationGate).map((e) => [e.name, e.evaluationGate!.minScore]),
    ).toEqual([
      ["staging", 0.5],
      ["production", 0.7],
    ]);
  });

  it("brings a gate whole: unpinned, with the snapshot's scorers or else the default ones", async () => {
    const gated = await seedProject(t.db, "gated");
    const ds = await createDataset(gated.ctx(gated.admin), { name: "gate-set" });
    await addItems(gated.ctx(gated.admin), ds.id, [{ input: { q: "a" }, tags: [], metadata: {} }]);
    const gate = { dataset: "gate-set", minScore: 0.5, maxDrop: 1 };
    await updateEnvironment(gated.ctx(gated.admin), "staging", {
      evaluationGate: { ...gate, scorers: [{ type: "safety" }] },
    });
    const snapshot = await exportProjectSnapshot(t.db, gated.projectId);
    const target = await seedProject(t.db, "gated-target");
    await importProjectSnapshot(target.ctx(target.admin), snapshot);
    // The target pins its gate and moves its score; the snapshot's gate then replaces it whole.
    await updateEnvironment(target.ctx(target.admin), "staging", {
      evaluationGate: { ...gate, minScore: 0.9, datasetVersion: 1 },
    });
    await importProjectSnapshot(target.ctx(target.admin), snapshot);
    let env = await getEnvironmentRow(t.db, target.projectId, "staging");
    expect([env.gateMinScore, env.gateDatasetVersion, env.gateScorers]).toEqual([
      0.5,
      null,
      normalizeGateScorers([{ type: "safety" }]),
    ]);
    // A snapshot from before gates had scorers brings the default scorers.
    const old = JSON.parse(JSON.stringify(snapshot));
    const staging = old.environments.find((e: { name: string }) => e.name === "staging");
    delete staging.evaluationGate.scorers;
    staging.evaluationGate.minScore = 0.6;
    await importProjectSnapshot(target.ctx(target.admin), old);
    env = await getEnvironmentRow(t.db, target.projectId, "staging");
    expect([env.gateMinScore, env.gateScorers]).toEqual([0.6, normalizeGateScorers(undefined)]);
  });

  // It needs settings.manage: the route's declaration (own-action-permissions.int.test.ts).
});
