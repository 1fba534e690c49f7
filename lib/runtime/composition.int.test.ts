// Pinned partials (Langfuse composition) and archived versions, on the paths every answer takes:
// saving (refused when a pin finds nothing), deploying and resolving (a label pin follows that
// environment, a version pin stays put), and the archive hiding a version from resolve while the
// history and earlier point-in-time answers keep it.
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { failure } from "../../test/domain-fixtures";
import { deleteVersions } from "../registry/deletions";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion, getVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { deleteLangfusePrompt, updateLangfuseLabels } from "../langfuse/writes";
import { getLangfusePrompt } from "../langfuse/reads";
import { loadResolved } from "./load";
import { renderResolved } from "./resolve";

withReleaseDatabase("composition");

const text = (template: string) => ({ type: "text" as const, template });
const admin = () => f.ctx(f.admin);

describe("pinned partials", () => {
  beforeAll(async () => {
    await createPrompt(admin(), { name: "Base Tone", ...text("tone one") });
    await createVersion(admin(), "Base Tone", { template: "tone two" });
    await createVersion(admin(), "Base Tone", { template: "tone three" });
    await promoteVersion(admin(), "Base Tone", { environment: "staging", version: 2 });
    await promoteVersion(admin(), "Base Tone", { environment: "production", version: 1 });
  });

  it("saving refuses a pin that finds nothing, naming it", async () => {
    for (const ref of ["Base Tone|version=9", "Base Tone|label=development", "Nope|label=latest"]) {
      const err = await failure(createPrompt(admin(), { name: `bad ${ref.length}`, ...text(`{{> ${ref}}}`) }));
      expect(err.code).toBe("unprocessable");
      expect(err.message).toContain(ref);
    }
  });

  it("a label pin follows that environment, a version pin stays, latest is the newest", async () => {
    await createPrompt(admin(), {
      name: "uses/pins",
      ...text(
        "S={{> Base Tone|label=staging}} V={{> Base Tone|version=1}} L={{> Base Tone|label=latest}} P={{> Base Tone}}",
      ),
    });
    await promoteVersion(admin(), "uses/pins", { environment: "production", version: 1 });
    const r = await loadResolved(t.db, f.projectId, "uses/pins", "production");
    expect(renderResolved(r, {}).rendered).toBe("S=tone two V=tone one L=tone three P=tone one");
    expect(Object.keys(r.partials).sort()).toEqual(
      ["Base Tone", "Base Tone|label=latest", "Base Tone|label=staging", "Base Tone|version=1"].sort(),
    );
    await promoteVersion(admin(), "Base Tone", { environment: "staging", version: 3 });
    const again = await loadResolved(t.db, f.projectId, "uses/pins", "production");
    expect(renderResolved(again, {}).rendered).toBe("S=tone three V=tone one L=tone three P=tone one");
  });

  it("a prompt never includes itself, in any version", async () => {
    await createPrompt(admin(), { name: "selfish", ...text("v1") });
    const err = await failure(createVersion(admin(), "selfish", { template: "{{> selfish|version=1}}" }));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toMatch(/^Partial cycle: selfish → selfish\|version=1/);
  });
});

describe("archived versions", () => {
  it("are hidden from resolve and from the Langfuse API; history and earlier instants keep them", async () => {
    await createPrompt(admin(), { name: "Archive Me", ...text("one") });
    await createVersion(admin(), "Archive Me", { template: "two" });
    await promoteVersion(admin(), "Archive Me", { environment: "production", version: 2 });
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const prompt = await getPrompt(t.db, f.projectId, "Archive Me");
    await deleteVersions(admin(), prompt, [2], "test");

    expect((await failure(loadResolved(t.db, f.projectId, "Archive Me", "production"))).code).toBe("not_deployed");
    expect((await failure(loadResolved(t.db, f.projectId, "Archive Me", "production", { version: 2 }))).code).toBe(
      "not_found",
    );
    expect((await loadResolved(t.db, f.projectId, "Archive Me", "production", { at: before })).version).toBe(2);
    expect((await getVersion(t.db, prompt, 2)).content).toMatchObject({ template: "two" });
    expect((await failure(getLangfusePrompt(t.db, f.projectId, "Archive Me", {}))).code).toBe("not_found");
    const latest = await getLangfusePrompt(t.db, f.projectId, "Archive Me", { label: "latest" });
    expect(latest).toMatchObject({ version: 1, labels: ["latest"] });
  });

  // Who may delete is the endpoint's permission (prompt.delete), checked by its wrapper before this runs
  // (lib/server/actions/resource-rules.int.test.ts: every declared endpoint refuses a runtime key).
  it("deleting is refused while another prompt's pin needs it", async () => {
    await createPrompt(admin(), { name: "child", ...text("C") });
    await createPrompt(admin(), { name: "parent", ...text("P {{> child|version=1}}") });
    const err = await failure(deleteLangfusePrompt(admin(), "child", {}));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toMatch(/depending on.*parent v1 depends on child\|version=1/);
  });

  it("a label moved with PATCH goes through promote: the environment's rules apply", async () => {
    await createPrompt(admin(), { name: "ruled", ...text("r1") });
    await createVersion(admin(), "ruled", { template: "r2" });
    // The demo-style rule: production needs the version live in staging first.
    const { updateEnvironment } = await import("../release/environments");
    await updateEnvironment(admin(), "production", { requiresLiveIn: "staging" });
    try {
      const err = await failure(updateLangfuseLabels(admin(), "ruled", 2, ["production"]));
      expect(err.code).toBe("conflict");
      expect(err.details).toMatchObject({ rule: "requiresLiveIn" });
      const moved = await updateLangfuseLabels(admin(), "ruled", 2, ["production", "staging"]);
      expect(moved.labels).toEqual(["staging", "production", "latest"]);
    } finally {
      await updateEnvironment(admin(), "production", { requiresLiveIn: null });
    }
  });
});
