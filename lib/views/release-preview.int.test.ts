// The release dialog's preview asks a person to confirm exactly the breaking changes the release plan
// would refuse without confirmation: none on an unprotected environment, none for the version already
// live, each one otherwise.
import { beforeAll, describe, expect, it } from "vitest";
import { promptBreakingCallers } from "../../test/fixtures-breaking";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { promoteVersion } from "../release/promote";
import { releasePreview } from "./release-preview";

withReleaseDatabase("preview");
// v2 adds a required variable: a change that breaks callers.
beforeAll(() => promptBreakingCallers(f, "reply"));

const preview = (environment: string) => releasePreview(t.db, f.projectId, "reply", environment, 2);

describe("the release preview", () => {
  it("asks to confirm each breaking change on a protected environment", async () => {
    const p = await preview("production");
    expect(p.compat.breaking.map((c) => c.key)).toEqual(["variable.added:order_id"]);
    expect(p.toConfirm.map((c) => c.key)).toEqual(["variable.added:order_id"]);
    expect(p.plan.steps.find((s) => s.id === "breaking")?.met).toBe(false);
  });

  it("shows the breaking change but asks nothing where the environment is not protected", async () => {
    const p = await preview("staging");
    expect(p.compat.breaking).toHaveLength(1);
    expect(p.toConfirm).toEqual([]);
  });

  it("asks for what promote refuses without confirmation, and nothing once the version is live", async () => {
    const keys = (await preview("production")).toConfirm.map((c) => c.key);
    const refused = await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 2 }).catch(
      (e: { details?: { breaking?: string[] } }) => e,
    );
    expect((refused as { details?: { breaking?: string[] } }).details?.breaking).toEqual(keys);
    await promoteVersion(f.ctx(f.approver), "reply", { environment: "production", version: 2, confirmBreaking: keys });
    const p = await preview("production");
    expect(p.live).toBe(2);
    expect(p.toConfirm).toEqual([]);
  });
});
