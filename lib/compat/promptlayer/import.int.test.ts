// `lectern import promptlayer` against a local server speaking PromptLayer's published shapes (test/promptlayer-
// server.ts): pages of templates, several versions each in f-string and jinja2, a deleted version, release labels,
// a jinja2 filter and an image Lectern refuses by name; run twice, the second run creates nothing; a dry run writes
// nothing; a label whose environment needs a review is reported as "was live in", never bypassed.
import { describe, expect, it } from "vitest";
import { code } from "../../../test/domain-fixtures";
import { expectRerunIdle, f, firstReply, t, versionsOf, withForeignImport } from "../../../test/foreign-import-fixture";
import { PromptLayerServer } from "../../../test/promptlayer-server";
import { listPromptRows } from "../../registry/prompts";
import { loadResolved } from "../../runtime/load";
import { renderResolved } from "../../runtime/resolve";
import { importFromPromptLayer } from "./import";

const pl = new PromptLayerServer();
const { run, byName } = withForeignImport("promptlayer-import", pl, importFromPromptLayer);

describe("importing a PromptLayer workspace", () => {
  it("a dry run reads every page and writes nothing", async () => {
    const r = await run({ dryRun: true });
    expect(r.prompts.map((p) => p.name).sort()).toEqual(["describe-image", "summarize", "support/reply"]);
    expect(pl.requests).toContain("GET /prompt-templates?page=2&per_page=100");
    expect((await listPromptRows(t.db, f.projectId)).total).toBe(0);
  });

  it("copies every version in order, converted, with its message, time and model", async () => {
    const r = await run();
    expect(byName(r, "support/reply")).toMatchObject({ outcome: "created", versions: [1, 2, 3] });
    const { prompt: reply, versions } = await versionsOf("support/reply");
    expect(reply.tags).toEqual(["support"]);
    expect(versions.map((v) => [v.version, v.commitMessage, v.createdAt.toISOString()])).toEqual([
      [1, "First", "2026-03-01T09:00:00.000Z"],
      [2, "Friendlier, with history", "2026-03-02T09:00:00.000Z"],
      [3, "After a deleted one", "2026-03-04T09:00:00.000Z"],
    ]);
    expect(versions[0]!.content).toMatchObject(firstReply);
    // Mixed f-string and jinja2 messages, converted each from its own syntax; rendering says what they meant.
    const v2 = await loadResolved(t.db, f.projectId, "support/reply", "production");
    expect(v2.version).toBe(2);
    const rendered = renderResolved(v2, { company: "Acme", question: "Where?", vip: true, history: [] }).rendered;
    expect(rendered).toEqual([
      { role: "system", content: "You are Acme's friendly agent. {Braces} stay." },
      { role: "user", content: "VIP: Where?" },
    ]);
    expect((await loadResolved(t.db, f.projectId, "support/reply", "staging")).version).toBe(3);
  });

  it("refuses what it cannot carry, naming it, and imports the rest", async () => {
    const r = await run({ dryRun: true });
    expect(r.totals.versions).toBe(0);
    const { versions } = await versionsOf("summarize");
    expect(versions.map((v) => v.content.type === "text" && v.content.template)).toEqual([
      "Summarize: {{text}}",
      "Summarize briefly: {{text}}",
    ]);
    const again = await run();
    expect(byName(again, "summarize").sources).toContainEqual(
      expect.objectContaining({ sourceId: "2", outcome: "refused", reason: expect.stringMatching(/filter|upper/) }),
    );
    expect(byName(again, "describe-image").sources).toContainEqual(
      expect.objectContaining({ sourceId: "1", outcome: "refused", reason: expect.stringMatching(/image_url block/) }),
    );
    expect(again.totals.refused).toBeGreaterThanOrEqual(2);
  });

  it("a second run creates nothing, and a label the release plan refuses is reported, not moved", async () => {
    await expectRerunIdle("4", (o) => o === "unchanged" || o === "skipped");
  });

  it("reads one folder when asked, and says so when PromptLayer refuses the key", async () => {
    const folder = await run({ dryRun: true, folder: "support" });
    expect(folder.prompts.map((p) => p.name)).toEqual(["support/reply"]);
    expect(await code(run({ apiKey: "wrong" }))).toBe("invalid_input");
    await expect(run({ apiKey: "wrong" })).rejects.toThrow(/PromptLayer at .* refused the keys \(HTTP 401\)/);
  });
});
