// Version labels travel in snapshots: exported where they point, set on import through their one writer
// (audited), idempotent, never removed, refused when the target has an environment of the label's name.
import { describe, expect, it } from "vitest";
import { failure, projectDatabaseForFile, seedProject, type Fixture } from "../../test/domain-fixtures";
import type { TestDatabase } from "../../test/db";
import * as fixtures from "../../test/domain-fixtures";
import { createEnvironment } from "../release/environments";
import { findLabelTarget, setVersionLabel } from "../release/version-labels/version-labels";
import { getPrompt } from "../registry/prompts";
import { exportProjectSnapshot } from "./export";
import { checkSnapshot, snapshotInput } from "./format";
import { importProjectSnapshot } from "./import";

let t: TestDatabase;
let src: Fixture;
projectDatabaseForFile("snap-labels", (db, fx) => {
  t = db;
  src = fx;
});

const target = async (fx: Fixture, label: string) =>
  findLabelTarget(t.db, fx.projectId, (await getPrompt(t.db, fx.projectId, "lab")).id, label);

describe("version labels in snapshots", () => {
  it("are exported, imported where they point, idempotently, and never removed", async () => {
    await fixtures.promptWith(t.db, src, "lab", 3);
    await setVersionLabel(src.ctx(src.editor), "lab", "v1.2", 2);
    await setVersionLabel(src.ctx(src.editor), "lab", "approved", 1);
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    expect(snapshot.prompts[0]!.versionLabels).toEqual([
      { label: "approved", version: 1 },
      { label: "v1.2", version: 2 },
    ]);
    const dst = await seedProject(t.db, "snap-labels-dst");
    const r = await importProjectSnapshot(dst.ctx(dst.admin), snapshot);
    expect(r.prompts.created).toEqual(["lab"]);
    expect(await target(dst, "v1.2")).toEqual({ kind: "version", version: 2 });
    expect(await target(dst, "approved")).toEqual({ kind: "version", version: 1 });
    expect((await importProjectSnapshot(dst.ctx(dst.admin), snapshot)).changed).toBe(false);
    // A label moved in the target and one only the target has: the snapshot's position wins, the other stays.
    await setVersionLabel(dst.ctx(dst.editor), "lab", "v1.2", 3);
    await setVersionLabel(dst.ctx(dst.editor), "lab", "mine", 3);
    const again = await importProjectSnapshot(dst.ctx(dst.admin), snapshot);
    expect(again.prompts.updated).toEqual([expect.objectContaining({ name: "lab", versionLabels: { "v1.2": 2 } })]);
    expect(await target(dst, "v1.2")).toEqual({ kind: "version", version: 2 });
    expect(await target(dst, "mine")).toEqual({ kind: "version", version: 3 });
  });

  it("is refused, writing nothing, where the target has an environment of a label's name; bad labels are named", async () => {
    const snapshot = await exportProjectSnapshot(t.db, src.projectId);
    const dst = await seedProject(t.db, "snap-labels-env");
    await createEnvironment(dst.ctx(dst.admin), { name: "approved" });
    const refused = await failure(importProjectSnapshot(dst.ctx(dst.admin), snapshot));
    expect([refused.code, refused.message]).toEqual([
      "invalid_input",
      expect.stringContaining('"approved" is an environment'),
    ]);
    expect(await fixtures.code(getPrompt(t.db, dst.projectId, "lab"))).toBe("not_found");
    const bad = (versionLabels: unknown) => {
      const input = structuredClone(snapshot) as { prompts: { versionLabels: unknown }[] };
      input.prompts[0]!.versionLabels = versionLabels;
      return () => checkSnapshot(snapshotInput.parse(input));
    };
    expect(bad([{ label: "x", version: 9 }])).toThrow(/versionLabels\[0\]\.version/);
    expect(bad([{ label: "production", version: 1 }])).toThrow(/an environment's name/);
    expect(
      bad([
        { label: "x", version: 1 },
        { label: "x", version: 2 },
      ]),
    ).toThrow(/appears twice/);
    expect(() =>
      snapshotInput.parse({
        ...snapshot,
        prompts: [{ ...snapshot.prompts[0], versionLabels: [{ label: "latest", version: 1 }] }],
      }),
    ).toThrow();
  });
});
