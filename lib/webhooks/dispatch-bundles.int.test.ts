// One webhook event per bundle release (docs/decisions/bundles.md): a release or rollback of a bundle sends one
// bundle.released / bundle.rolled_back naming the members it changed, and each changed member's own prompt.deployed /
// prompt.rolled_back says which bundle release it was part of, so a subscriber can count releases.
import { describe, expect, it } from "vitest";
import { promptWith } from "../../test/domain-fixtures";
import { dispatchAll } from "../../test/webhook-receiver";
import { createBundle, releaseBundle } from "../release/bundles/bundles";
import { rollbackBundle } from "../release/bundles/bundle-rollback";
import { promoteVersion } from "../release/promote";
import { webhookEvents } from "./events";
import { deliveriesOf, fx, hookAt, setUpWebhooks, t } from "./webhooks.fixture";

setUpWebhooks("dispatch");

describe("a bundle release → webhook events", () => {
  it("sends one bundle event per release and marks each member's event with it", async () => {
    for (const name of ["agent/system", "agent/tools", "agent/shared"]) await promptWith(t.db, fx, name, 2);
    await createBundle(fx.ctx(fx.editor), { name: "agent", prompts: ["agent/system", "agent/tools", "agent/shared"] });
    const ed = fx.ctx(fx.editor);
    const all = { "agent/system": 1, "agent/tools": 1, "agent/shared": 1 };
    await releaseBundle(ed, "agent", { environment: "development", versions: all });
    await dispatchAll(t.db); // the hooks below start after the first release
    const every = await hookAt("/all", { events: [...webhookEvents] });
    const bundlesOnly = await hookAt("/bundles", { events: ["bundle.released", "bundle.rolled_back"] });

    const release = await releaseBundle(ed, "agent", {
      environment: "development",
      versions: { ...all, "agent/system": 2, "agent/tools": 2 },
      reason: "new tone",
    });
    const undo = await rollbackBundle(fx.ctx(fx.approver), "agent", { environment: "development", reason: "worse" });
    await promoteVersion(ed, "agent/shared", { environment: "development", version: 2 });
    await dispatchAll(t.db);

    const got = await deliveriesOf(every.id);
    expect(got.map((d) => [d.type, d.data.prompt ?? d.data.bundle])).toEqual([
      ["prompt.deployed", "agent/system"],
      ["prompt.deployed", "agent/tools"],
      ["bundle.released", "agent"],
      ["prompt.rolled_back", "agent/system"],
      ["prompt.rolled_back", "agent/tools"],
      ["bundle.rolled_back", "agent"],
      ["prompt.deployed", "agent/shared"],
    ]);
    const released = { name: "agent", release: release.id };
    expect(got[0]!.data).toMatchObject({
      environment: "development",
      version: 2,
      previousVersion: 1,
      bundle: released,
    });
    expect(got[1]!.data).toMatchObject({ version: 2, bundle: released });
    expect(got[2]!.data).toEqual({
      bundle: "agent",
      environment: "development",
      release: release.id,
      versions: { "agent/system": 2, "agent/tools": 2, "agent/shared": 1 },
      previousVersions: { "agent/system": 1, "agent/tools": 1, "agent/shared": 1 },
      changed: ["agent/system", "agent/tools"],
      undoes: null,
      reason: "new tone",
      actor: { type: "user", label: fx.editor.label },
    });
    const undone = { name: "agent", release: undo.id };
    expect(got[3]!.data).toMatchObject({ version: 1, previousVersion: 2, automatic: false, bundle: undone });
    expect(got[4]!.data).toMatchObject({ version: 1, previousVersion: 2, bundle: undone });
    expect(got[5]!.data).toMatchObject({
      bundle: "agent",
      release: undo.id,
      undoes: release.id,
      versions: all,
      previousVersions: { "agent/system": 2, "agent/tools": 2, "agent/shared": 1 },
      changed: ["agent/system", "agent/tools"],
      reason: "worse",
      actor: { type: "user", label: fx.approver.label },
    });
    // A member released on its own is part of no bundle release.
    expect(got[6]!.data).toMatchObject({ prompt: "agent/shared", version: 2, bundle: null });

    // Counting releases: one delivery per bundle release, whatever the number of members.
    expect((await deliveriesOf(bundlesOnly.id)).map((d) => [d.type, d.data.release])).toEqual([
      ["bundle.released", release.id],
      ["bundle.rolled_back", undo.id],
    ]);
  });
});
