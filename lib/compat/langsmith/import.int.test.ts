// `lectern import langsmith` against a local server speaking LangSmith's REST API (test/langsmith-server.ts):
// pages of repos, several commits each in f-string and mustache (one listed without its manifest), a model in a
// RunnableSequence, tags, a StructuredPrompt and an f-string format spec Lectern refuses by name; run twice, the
// second run creates nothing; a dry run writes nothing; a tag whose environment needs a review is reported as
// "was live in", never bypassed; a tag naming no environment is a version label.
import { describe, expect, it } from "vitest";
import { code } from "../../../test/domain-fixtures";
import { expectRerunIdle, f, firstReply, t, versionsOf, withForeignImport } from "../../../test/foreign-import-fixture";
import { LangSmithServer } from "../../../test/langsmith-server";
import { listPromptRows } from "../../registry/prompts";
import { findLabelTarget } from "../../release/version-labels/version-labels";
import { loadResolved } from "../../runtime/load";
import { renderResolved } from "../../runtime/resolve";
import { importFromLangSmith } from "./import";

const ls = new LangSmithServer();
const { run, byName } = withForeignImport("langsmith-import", ls, importFromLangSmith);

describe("importing a LangSmith workspace", () => {
  it("a dry run reads every page and writes nothing", async () => {
    const r = await run({ dryRun: true });
    expect(r.prompts.map((p) => p.name).sort()).toEqual(["summarize", "support/reply"]);
    expect(ls.requests).toContain("GET /repos?limit=100&offset=1&is_archived=false");
    expect(ls.requests).toContain("GET /commits/acme/support--reply/?limit=100&offset=2");
    expect((await listPromptRows(t.db, f.projectId)).total).toBe(0);
  });

  it("copies every commit in order, converted, with its message, time and model", async () => {
    const r = await run();
    expect(byName(r, "support/reply")).toMatchObject({ outcome: "created", versions: [1, 2, 3] });
    // The oldest commit was listed without its manifest: it was pulled.
    expect(ls.requests).toContain(`GET /commits/acme/support--reply/${"1".repeat(8)}${"a".repeat(56)}`);
    const { prompt: reply, versions } = await versionsOf("support/reply");
    expect(reply).toMatchObject({ tags: ["support"], description: "Replies to customers" });
    expect(versions.map((v) => [v.version, v.commitMessage, v.createdAt.toISOString()])).toEqual([
      [1, "First", "2026-04-01T09:00:00.000Z"],
      [2, "Friendlier, with history", "2026-04-02T09:00:00.000Z"],
      [3, "Shorter", "2026-04-03T09:00:00.000Z"],
    ]);
    expect(versions[0]!.content).toMatchObject(firstReply);
    expect(JSON.stringify(versions[0]!.content)).not.toContain("OPENAI_API_KEY");
    // Mustache with a placeholder, live in production through its tag; rendering says what it meant.
    const v2 = await loadResolved(t.db, f.projectId, "support/reply", "production");
    expect(v2.version).toBe(2);
    const history = [{ role: "user", content: "Hi" }];
    expect(renderResolved(v2, { company: "Acme", question: "Where?", vip: true, history }).rendered).toEqual([
      { role: "system", content: "You are Acme's friendly agent. {Braces} stay." },
      { role: "user", content: "Hi" },
      { role: "user", content: "VIP: Where?" },
    ]);
    expect((await loadResolved(t.db, f.projectId, "support/reply", "staging")).version).toBe(3);
    expect(await findLabelTarget(t.db, f.projectId, reply.id, "v1.0")).toEqual({ kind: "version", version: 1 });
  });

  it("refuses what it cannot carry, naming it, and imports the rest", async () => {
    const { versions } = await versionsOf("summarize");
    expect(versions.map((v) => v.content.type === "text" && v.content.template)).toEqual(["Summarize: {{text}}"]);
    const again = await run();
    const sources = byName(again, "summarize").sources;
    expect(sources).toContainEqual(
      expect.objectContaining({
        sourceId: "5".repeat(8) + "a".repeat(56),
        outcome: "refused",
        construct: "StructuredPrompt",
      }),
    );
    expect(sources).toContainEqual(
      expect.objectContaining({
        sourceId: "6".repeat(8) + "a".repeat(56),
        outcome: "refused",
        construct: "format-spec",
      }),
    );
  });

  it("a second run creates nothing, and a tag the release plan refuses is reported, not moved", async () => {
    await expectRerunIdle("3".repeat(8) + "a".repeat(56), (o) => o === "unchanged");
  });

  it("reads one folder when asked, and says so when LangSmith refuses the key", async () => {
    const folder = await run({ dryRun: true, folder: "support" });
    expect(folder.prompts.map((p) => p.name)).toEqual(["support/reply"]);
    expect(await code(run({ apiKey: "wrong" }))).toBe("invalid_input");
    await expect(run({ apiKey: "wrong" })).rejects.toThrow(/LangSmith at .* refused the keys \(HTTP 401\)/);
  });
});
