// Saving new versions: edit conflicts, stored diffs, events after commit, and fields a new version
// leaves out.
import { noEvents } from "../announcements";
import { describe, expect, it } from "vitest";
import { code, failure, recordingSink } from "../../test/domain-fixtures";
import { createPrompt, getPrompt } from "./prompts";
import { createVersion, diffVersions, getVersion } from "./versions";
import { counts, f, setUpRegistry, t, text } from "./registry.fixture";
import { textPrompt } from "../../test/contents";

setUpRegistry();

describe("edit conflicts", () => {
  it("a save based on an older version is a conflict carrying both versions; one based on the latest saves", async () => {
    await createPrompt(f.ctx(f.editor), { name: "conflicts", ...text("one") });
    await createVersion(f.ctx(f.editor2), "conflicts", { template: "two", commitMessage: "second", baseVersion: 1 });
    const before = await counts();
    const err = await failure(createVersion(f.ctx(f.editor), "conflicts", { template: "stale edit", baseVersion: 1 }));
    expect(err.code).toBe("conflict");
    expect(err.details).toMatchObject({
      baseVersion: 1,
      latestVersion: 2,
      base: { version: 1, content: { template: "one" } },
      latest: { version: 2, content: { template: "two" }, commitMessage: "second" },
    });
    expect(await counts()).toEqual(before);
    const ok = await createVersion(f.ctx(f.editor), "conflicts", { template: "fresh edit", baseVersion: 2 });
    expect(ok.version).toMatchObject({ version: 3, baseVersion: 2, authorId: f.editor.id });
    expect((await getPrompt(t.db, f.projectId, "conflicts")).latestVersion).toBe(3);
  });

  it("a version stores its diff from the previous one, and any two versions can be diffed", async () => {
    const prompt = await getPrompt(t.db, f.projectId, "conflicts");
    const v3 = await getVersion(t.db, prompt, 3);
    expect(v3.diff).not.toBeNull();
    expect(JSON.stringify(v3.diff)).toContain("fresh edit");
    expect(JSON.stringify(await diffVersions(t.db, prompt, 1, 3))).toContain("one");
    expect(await code(diffVersions(t.db, prompt, 1, 9))).toBe("not_found");
  });

  it("an edit started from an older version records it as its base, fills in from it and diffs against it", async () => {
    await createPrompt(f.ctx(f.editor), {
      name: "based",
      ...text("one {{who}}"),
      variables: [{ name: "who", type: "string" }],
    });
    await createVersion(f.ctx(f.editor), "based", { template: "two", variables: [], baseVersion: 1 });
    await createVersion(f.ctx(f.editor), "based", { template: "three", variables: [], baseVersion: 2 });
    // Started from version 1 (latest 3): the save is checked against the latest, based on the version it copied.
    const { version } = await createVersion(
      f.ctx(f.editor),
      "based",
      { template: "one {{who}}, again", baseVersion: 3 },
      { fromVersion: 1 },
    );
    expect(version).toMatchObject({ version: 4, baseVersion: 1 });
    // Left-out fields come from version 1 (its variable), not from the latest (none).
    expect(version.content.variables.map((v) => v.name)).toEqual(["who"]);
    const diff = JSON.stringify(version.diff);
    expect(diff).toContain("one {{who}}, again");
    expect(diff).not.toContain("three");
    expect(await code(createVersion(f.ctx(f.editor), "based", { template: "x" }, { fromVersion: 9 }))).toBe(
      "invalid_input",
    );
  });

  it("an invalid edit writes nothing; unknown prompts are not_found", async () => {
    const before = await counts();
    expect(await code(createVersion(f.ctx(f.editor), "conflicts", { template: "{{who}}" }))).toBe("unprocessable");
    expect(await code(createVersion(f.ctx(f.editor), "conflicts", { template: "{{#x}}" }))).toBe("invalid_input");
    expect(await code(createVersion(f.ctx(f.editor), "no-such-prompt", { template: "ok" }))).toBe("not_found");
    expect(await counts()).toEqual(before);
    expect((await getPrompt(t.db, f.projectId, "conflicts")).latestVersion).toBe(3);
  });
});

describe("events", () => {
  it("createPrompt and createVersion publish one event each, after commit; a failed save publishes none", async () => {
    const sink = recordingSink(t.db);
    await createPrompt(f.ctx(f.editor, sink), { name: "evented", ...text("one") });
    await createVersion(f.ctx(f.editor, sink), "evented", { template: "two" });
    await code(createVersion(f.ctx(f.editor, sink), "evented", { template: "three", baseVersion: 1 }));
    await code(createVersion(f.ctx(f.editor, sink), "evented", { template: "{{undeclared}}" }));
    expect(sink.events).toEqual([
      { projectId: f.projectId, prompt: "evented", environment: null, version: 1, action: "version", committed: true },
      { projectId: f.projectId, prompt: "evented", environment: null, version: 2, action: "version", committed: true },
    ]);
  });
});

describe("fields left out of a new version", () => {
  it("keep the latest version's variables, config and examples", async () => {
    const ctx = { db: t.db, actor: { type: "system" as const, label: "t" }, projectId: f.projectId, events: noEvents };
    await createPrompt(
      ctx,
      textPrompt("keeps-config", "Hi {{who}}", {
        variables: [{ name: "who" }],
        config: { model: "m", temperature: 0.3 },
      }),
    );
    const { version } = await createVersion(ctx, "keeps-config", { template: "Hello {{who}}" });
    expect(version.content).toMatchObject({
      template: "Hello {{who}}",
      variables: [{ name: "who" }],
      config: { model: "m", temperature: 0.3 },
    });
    const { version: v3 } = await createVersion(ctx, "keeps-config", { template: "Yo", variables: [], config: {} });
    expect(v3.content).toMatchObject({ variables: [], config: {} });
  });
});
