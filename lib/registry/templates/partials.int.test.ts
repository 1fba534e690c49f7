// Partials in templates: their variables count, a missing partial or a cycle is refused.
import { describe, expect, it } from "vitest";
import { code } from "../../../test/domain-fixtures";
import { createPrompt, getPrompt } from "../prompts";
import { createVersion } from "../versions";
import { f, refusedUnwritten, setUpRegistry, t, text } from "../registry.fixture";

setUpRegistry();

describe("partials", () => {
  it("a template may use variables declared by a partial it includes", async () => {
    await createPrompt(f.ctx(f.editor), { name: "shared/tone", ...text("Be {{tone}}.", [{ name: "tone" }]) });
    const r = await createPrompt(f.ctx(f.editor), {
      name: "support/reply",
      ...text("{{> shared/tone}} Answer {{question}} in a {{tone}} way.", [{ name: "question" }]),
    });
    expect(r.version.version).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it("variables of nested partials count too", async () => {
    await createPrompt(f.ctx(f.editor), {
      name: "shared/outer",
      ...text("{{> shared/tone}} Sign as {{signature}}.", [{ name: "signature" }]),
    });
    const r = await createPrompt(f.ctx(f.editor), {
      name: "nested-user",
      ...text("{{> shared/outer}} {{tone}} {{signature}}"),
    });
    expect(r.version.version).toBe(1);
  });

  it("a missing partial is an error and writes nothing", async () => {
    const err = await refusedUnwritten(() =>
      createPrompt(f.ctx(f.editor), { name: "uses-missing", ...text("{{> does/not-exist}} hi") }),
    );
    expect(err.code).toBe("unprocessable");
    expect(err.details?.partial).toBe("does/not-exist");
  });

  it("a cycle is an error: saving b to include a, when a already includes b", async () => {
    await createPrompt(f.ctx(f.editor), { name: "cycle/b", ...text("I am b") });
    await createPrompt(f.ctx(f.editor), { name: "cycle/a", ...text("a then {{> cycle/b}}") });
    const err = await refusedUnwritten(() =>
      createVersion(f.ctx(f.editor), "cycle/b", { template: "b then {{> cycle/a}}" }),
    );
    expect(err.code).toBe("unprocessable");
    expect(err.details?.cycle).toEqual(["cycle/b", "cycle/a", "cycle/b"]);
    expect((await getPrompt(t.db, f.projectId, "cycle/b")).latestVersion).toBe(1);
    // A prompt including itself is the shortest cycle.
    expect(await code(createVersion(f.ctx(f.editor), "cycle/a", { template: "{{> cycle/a}}" }))).toBe("unprocessable");
  });
});
