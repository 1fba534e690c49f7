// Versions on a real database: gapless numbering under parallel saves, and immutability enforced by
// the database itself.
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { promptVersions } from "../../db/schema";
import { refusal } from "../../test/domain-fixtures";
import { createPrompt, getPrompt } from "./prompts";
import { createVersion, listVersionRows } from "./versions";
import { f, setUpRegistry, t, text } from "./registry.fixture";

setUpRegistry();

describe("version numbering", () => {
  it("30 parallel saves of one prompt number versions 1..31 with no gaps or duplicates", async () => {
    await createPrompt(f.ctx(f.editor), { name: "race/numbering", ...text("v1") });
    const saved = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createVersion(f.ctx(i % 2 ? f.editor : f.editor2), "race/numbering", {
          template: `edit ${i}`,
          commitMessage: `edit ${i}`,
        }),
      ),
    );
    expect(saved.map((s) => s.version.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 2),
    );
    const [row] = await queryRows<{ n: number; distinct: number; min: number; max: number; latest: number }>(
      t.db,
      sql`select count(*)::int as n, count(distinct v.version)::int as distinct, min(v.version) as min, max(v.version) as max, p.latest_version as latest
          from prompt_versions v join prompts p on p.id = v.prompt_id
          where p.name = 'race/numbering' and p.project_id = ${f.projectId} group by p.latest_version`,
    );
    expect(row).toEqual({ n: 31, distinct: 31, min: 1, max: 31, latest: 31 });
    // Every edit is stored exactly once, whatever number it got.
    const prompt = await getPrompt(t.db, f.projectId, "race/numbering");
    const templates = (await listVersionRows(t.db, prompt, { order: "asc" })).map(
      (r) => (r.version.content as { template: string }).template,
    );
    expect(templates.slice(1).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `edit ${i}`).sort());
  });
});

describe("immutability enforced by the database", () => {
  it("rejects UPDATE and DELETE of a version, leaving the row unchanged", async () => {
    const { prompt, version } = await createPrompt(f.ctx(f.editor), { name: "immutable", ...text("Original text") });
    const refused = { sqlstate: "23001", message: expect.stringMatching(/prompt_versions rows are immutable/) };
    expect(
      await refusal(
        t.db.execute(
          sql`update prompt_versions set content = '{"type":"text","template":"hacked"}'::jsonb where id = ${version.id}`,
        ),
      ),
    ).toEqual(refused);
    expect(
      await refusal(t.db.execute(sql`update prompt_versions set commit_message = 'x' where prompt_id = ${prompt.id}`)),
    ).toEqual(refused);
    expect(await refusal(t.db.execute(sql`delete from prompt_versions where id = ${version.id}`))).toEqual(refused);
    expect(
      await refusal(t.db.update(promptVersions).set({ version: 7 }).where(eq(promptVersions.id, version.id))),
    ).toEqual(refused);
    expect(await refusal(t.db.delete(promptVersions).where(eq(promptVersions.promptId, prompt.id)))).toEqual(refused);
    const [after] = await t.db.select().from(promptVersions).where(eq(promptVersions.id, version.id));
    expect(after).toEqual(version);
    expect((after!.content as { template: string }).template).toBe("Original text");
  });

  it("the database refuses a second row with the same version number", async () => {
    const prompt = await getPrompt(t.db, f.projectId, "immutable");
    expect(
      (
        await refusal(
          t.db.insert(promptVersions).values({
            promptId: prompt.id,
            version: 1,
            content: { type: "text", template: "dup", variables: [], config: {}, examples: [] },
          }),
        )
      ).sqlstate,
    ).toBe("23505");
    expect((await listVersionRows(t.db, prompt)).map((r) => r.version.version)).toEqual([1]);
  });
});
