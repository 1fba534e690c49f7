import { describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { code, count, failure, recordingSink } from "../../../test/domain-fixtures";
import type { ChatContent, Content } from "../../registry/content";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion, getVersion } from "../../registry/versions";
import { createDraft, discardDraft, draftDiffs, getDraftRow, listDrafts, mergeDraft, updateDraft } from "./drafts";

const lines = (...xs: string[]) => xs.join("\n");
const base = lines("Line one", "Line two", "Line three", "Line four");
/** Prompt `name` (v1: base) and a draft of it (`draftName`) edited to `drafted`. */
async function editedDraft(name: string, draftName: string, drafted: string) {
  await createPrompt(f.ctx(f.editor), { name, type: "text", template: base });
  const draft = await createDraft(f.ctx(f.editor), name, { name: draftName });
  await updateDraft(f.ctx(f.editor), draft.id, { content: textContent(drafted) });
  return draft;
}
/** The same with the draft "mine", and v2 saved meanwhile as `latest`. */
async function diverged(name: string, drafted: string, latest: string) {
  const draft = await editedDraft(name, "mine", drafted);
  await createVersion(f.ctx(f.editor2), name, { template: latest });
  return draft;
}
const textContent = (template: string): Content => ({
  type: "text",
  template,
  variables: [],
  config: {},
  examples: [],
});

async function latest(name: string) {
  const prompt = await getPrompt(t.db, f.projectId, name);
  return { prompt, version: await getVersion(t.db, prompt, prompt.latestVersion) };
}

withReleaseDatabase("drafts");

describe("draft copies", () => {
  it("copies any version; names are unique among open drafts; viewers cannot create them", async () => {
    await createPrompt(f.ctx(f.editor), { name: "copy", type: "text", template: "first" });
    await createVersion(f.ctx(f.editor), "copy", { template: "second" });
    const draft = await createDraft(f.ctx(f.editor), "copy", { name: "experiment", fromVersion: 1 });
    expect(draft).toMatchObject({
      baseVersion: 1,
      ownerId: f.editor.id,
      content: { template: "first" },
      closedAt: null,
    });
    expect((await createDraft(f.ctx(f.editor2), "copy", { name: "from-latest" })).baseVersion).toBe(2);
    expect(await code(createDraft(f.ctx(f.editor2), "copy", { name: "experiment" }))).toBe("conflict");
    expect(await code(createDraft(f.ctx(f.editor), "copy", { name: "x", fromVersion: 3 }))).toBe("not_found");
    const prompt = await getPrompt(t.db, f.projectId, "copy");
    expect((await listDrafts(t.db, prompt.id)).map((d) => d.draft.name).sort()).toEqual(["experiment", "from-latest"]);

    await updateDraft(f.ctx(f.editor), draft.id, { content: textContent("first, edited") });
    const diffs = await draftDiffs(t.db, f.projectId, draft.id);
    expect([diffs.base.version, diffs.latest.version]).toEqual([1, 2]);
    expect(JSON.stringify(diffs.againstBase)).toContain("first, edited");
    expect(JSON.stringify(diffs.againstLatest)).toContain("second");
  });

  it("only the owner (or an admin) can change a draft", async () => {
    const draft = await createDraft(f.ctx(f.editor), "copy", { name: "owned" });
    const err = await failure(updateDraft(f.ctx(f.editor2), draft.id, { content: textContent("hijack") }));
    expect(err.code).toBe("forbidden");
    expect(await code(updateDraft(f.ctx(f.approver), draft.id, { content: textContent("hijack") }))).toBe("forbidden");
    expect(await code(mergeDraft(f.ctx(f.editor2), draft.id, {}))).toBe("forbidden");
    expect(await code(discardDraft(f.ctx(f.editor2), draft.id))).toBe("forbidden");
    expect((await getDraftRow(t.db, f.projectId, draft.id)).draft.content).toMatchObject({ template: "second" });
    expect((await updateDraft(f.ctx(f.admin), draft.id, { content: textContent("by admin") })).content).toMatchObject({
      template: "by admin",
    });
    expect((await updateDraft(f.ctx(f.editor), draft.id, { content: textContent("by owner") })).content).toMatchObject({
      template: "by owner",
    });
    expect(await code(updateDraft(f.ctx(f.editor), draft.id, { content: { type: "text" } }))).toBe("invalid_input");
    await discardDraft(f.ctx(f.editor), draft.id);
    expect(await code(updateDraft(f.ctx(f.editor), draft.id, { content: textContent("late") }))).toBe("conflict");
  });
});

describe("merging a draft", () => {
  it("when the prompt has not moved on, the draft becomes the next version and is closed", async () => {
    const draft = await editedDraft("straight", "tweak", lines("Line one", "Line 2", "Line three", "Line four"));
    const sink = recordingSink(t.db);
    const merged = await mergeDraft(f.ctx(f.editor, sink), draft.id, { commitMessage: "from draft" });
    expect(merged.threeWay).toBe(false);
    expect(merged.version).toMatchObject({
      version: 2,
      commitMessage: "from draft",
      authorId: f.editor.id,
      content: { template: lines("Line one", "Line 2", "Line three", "Line four") },
    });
    expect(sink.events.map((e) => [e.action, e.version, e.committed])).toEqual([["version", 2, true]]);
    expect((await getDraftRow(t.db, f.projectId, draft.id)).draft).toMatchObject({ mergedVersion: 2 });
    expect(await code(mergeDraft(f.ctx(f.editor), draft.id, {}))).toBe("conflict");
    expect(await code(updateDraft(f.ctx(f.editor), draft.id, { content: textContent("after merge") }))).toBe(
      "conflict",
    );
    expect((await latest("straight")).prompt.latestVersion).toBe(2);
  });

  it("when the prompt moved on with edits elsewhere, a clean three-way merge keeps both", async () => {
    const draft = await diverged(
      "three-way",
      lines("Line ONE from the draft", "Line two", "Line three", "Line four"),
      lines("Line one", "Line two", "Line three", "Line FOUR from latest"),
    );
    const merged = await mergeDraft(f.ctx(f.editor), draft.id, {});
    expect(merged.threeWay).toBe(true);
    expect(merged.version.version).toBe(3);
    expect((merged.version.content as { template: string }).template).toBe(
      lines("Line ONE from the draft", "Line two", "Line three", "Line FOUR from latest"),
    );
    expect(merged.version.baseVersion).toBe(2);
  });

  it("overlapping edits come back as conflicts and write nothing; resolving and merging again succeeds", async () => {
    const draft = await diverged(
      "clash",
      lines("Line one", "Line two, the draft's way", "Line three", "Line four"),
      lines("Line one", "Line two, the latest way", "Line three", "Line four"),
    );
    const before = { versions: await count(t.db, "prompt_versions"), audit: await count(t.db, "audit_log") };
    const err = await failure(mergeDraft(f.ctx(f.editor), draft.id, {}));
    expect(err.code).toBe("conflict");
    expect(err.details).toMatchObject({ baseVersion: 1, latestVersion: 2 });
    const conflicts = err.details!.conflicts as { key: string; ours: string; theirs: string; marked: string }[];
    expect(conflicts.map((c) => c.key)).toEqual(["template"]);
    expect(conflicts[0]!.ours).toContain("the draft's way");
    expect(conflicts[0]!.theirs).toContain("the latest way");
    expect(conflicts[0]!.marked).toMatch(
      /<<<<<<< draft[\s\S]*the draft's way[\s\S]*=======[\s\S]*the latest way[\s\S]*>>>>>>> latest/,
    );
    expect({ versions: await count(t.db, "prompt_versions"), audit: await count(t.db, "audit_log") }).toEqual(before);
    expect((await latest("clash")).prompt.latestVersion).toBe(2);
    expect((await getDraftRow(t.db, f.projectId, draft.id)).draft).toMatchObject({
      closedAt: null,
      mergedVersion: null,
    });

    const resolved = lines("Line one", "Line two, both ways", "Line three", "Line four");
    await updateDraft(f.ctx(f.editor), draft.id, { content: textContent(resolved), baseVersion: 2 });
    const merged = await mergeDraft(f.ctx(f.editor), draft.id, {});
    expect(merged.threeWay).toBe(false);
    expect(merged.version).toMatchObject({ version: 3, content: { template: resolved } });
  });

  it("chat prompts merge per message", async () => {
    const chat = (system: string, user: string): ChatContent => ({
      type: "chat",
      template: [
        { role: "system", content: system },
        { role: "user", content: user },
      ],
      variables: [{ name: "q", type: "string", required: true }],
      config: {},
      examples: [],
    });
    await createPrompt(f.ctx(f.editor), { name: "chatty", ...chat("You are helpful.", "Question: {{q}}") });
    const clean = await createDraft(f.ctx(f.editor), "chatty", { name: "system-tweak" });
    const clash = await createDraft(f.ctx(f.editor2), "chatty", { name: "system-rewrite" });
    await updateDraft(f.ctx(f.editor), clean.id, { content: chat("You are helpful and brief.", "Question: {{q}}") });
    await updateDraft(f.ctx(f.editor2), clash.id, { content: chat("You are a pirate.", "Question: {{q}}") });
    await createVersion(f.ctx(f.approver), "chatty", {
      type: "chat",
      template: chat("You are helpful.", "Please answer: {{q}}").template,
      variables: [{ name: "q" }],
    });

    const merged = await mergeDraft(f.ctx(f.editor), clean.id, {});
    expect(merged.threeWay).toBe(true);
    expect((merged.version.content as ChatContent).template).toEqual(
      chat("You are helpful and brief.", "Please answer: {{q}}").template,
    );

    // The other draft rewrote the system message that the merge just changed.
    const versions = await count(t.db, "prompt_versions");
    const err = await failure(mergeDraft(f.ctx(f.editor2), clash.id, {}));
    expect(err.code).toBe("conflict");
    expect((err.details!.conflicts as { key: string }[]).map((c) => c.key)).toEqual(["messages[0]"]);
    expect(await count(t.db, "prompt_versions")).toBe(versions);
  });

  it("merged content is validated like any save", async () => {
    await createPrompt(f.ctx(f.editor), { name: "validated", type: "text", template: "Hello" });
    const draft = await createDraft(f.ctx(f.editor), "validated", { name: "bad" });
    await updateDraft(f.ctx(f.editor), draft.id, { content: textContent("Hello {{stranger}}") });
    const err = await failure(mergeDraft(f.ctx(f.editor), draft.id, {}));
    expect(err).toMatchObject({ code: "unprocessable", details: { undeclared: ["stranger"] } });
    expect((await latest("validated")).prompt.latestVersion).toBe(1);
    expect((await getDraftRow(t.db, f.projectId, draft.id)).draft.closedAt).toBeNull();
  });

  it("two drafts merged at once never overwrite each other", async () => {
    await createPrompt(f.ctx(f.editor), { name: "parallel", type: "text", template: base });
    const a = await createDraft(f.ctx(f.editor), "parallel", { name: "a" });
    const b = await createDraft(f.ctx(f.editor2), "parallel", { name: "b" });
    await updateDraft(f.ctx(f.editor), a.id, {
      content: textContent(lines("Line one by a", "Line two", "Line three", "Line four")),
    });
    await updateDraft(f.ctx(f.editor2), b.id, {
      content: textContent(lines("Line one", "Line two", "Line three", "Line four by b")),
    });
    const [ra, rb] = await Promise.all([
      code(mergeDraft(f.ctx(f.editor), a.id, {})),
      code(mergeDraft(f.ctx(f.editor2), b.id, {})),
    ]);
    // Side by side, the later merge either read the earlier one's version and merged three-way (both ok), or
    // raced it for the same version number and lost (a conflict, the draft still open). Never an overwrite.
    expect([
      ["conflict", "ok"],
      ["ok", "ok"],
    ]).toContainEqual([ra, rb].sort());
    if (ra === "conflict" || rb === "conflict") {
      const loser = ra === "conflict" ? a : b;
      const { draft } = await getDraftRow(t.db, f.projectId, loser.id);
      expect(draft.closedAt).toBeNull();
      await mergeDraft(f.ctx(loser.id === a.id ? f.editor : f.editor2), loser.id, {});
    }
    const merged = await latest("parallel");
    expect(merged.prompt.latestVersion).toBe(3);
    expect((merged.version.content as { template: string }).template).toBe(
      lines("Line one by a", "Line two", "Line three", "Line four by b"),
    );
  });
});

describe("merging one draft twice at once", () => {
  it("makes exactly one new version; the other merge is a conflict", async () => {
    const draft = await editedDraft("double-merge", "once", lines("Line one", "Line 2", "Line three", "Line four"));
    const results = await Promise.all([
      code(mergeDraft(f.ctx(f.editor), draft.id, {})),
      code(mergeDraft(f.ctx(f.editor), draft.id, {})),
    ]);
    expect(results.sort()).toEqual(["conflict", "ok"]);
    expect((await latest("double-merge")).prompt.latestVersion).toBe(2);
  });
});
