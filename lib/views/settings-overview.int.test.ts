import { describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { defaultEnvironments } from "../auth/projects";
import { settingsOverview } from "./settings-overview";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withReleaseDatabase("settings-view");

describe("settingsOverview", () => {
  it("gives an admin every section", async () => {
    const o = await settingsOverview(projectContext(t.db, f.admin, f.projectId, noEvents));
    expect(o.keys).toEqual([]);
    expect(o.webhooks).toEqual([]);
    expect(o.connections).toEqual([]);
    expect(o.members.map((m) => m.role).sort()).toEqual([
      "admin",
      "approver",
      "approver",
      "editor",
      "editor",
      "viewer",
    ]);
    expect(o.environments.map((e) => e.name)).toEqual(defaultEnvironments.map((e) => e.name));
    expect(o.environments.find((e) => e.name === "production")).toMatchObject({
      protected: true,
      evaluationGate: null,
      autoPromote: null,
    });
  });

  it("leaves out what a viewer may not manage", async () => {
    const o = await settingsOverview(projectContext(t.db, f.viewer, f.projectId, noEvents));
    expect([o.keys, o.webhooks, o.connections, o.invitations]).toEqual([null, null, null, []]);
    expect(o.members).toHaveLength(6);
  });
});
