// "Who includes this partial" reads the index of partial references (docs/decisions/partial-releases.md): every path
// that saves a version writes its references (a trigger, migration 0041), and the lookup finds the dependents of a
// partial among hundreds of versions that only mention its name, across nesting, without reading the versions table
// from end to end.
import { chatPrompt, type Message } from "../../test/contents";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { seedProject } from "../../test/domain-fixtures";
import { deleteVersions } from "../registry/deletions";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { exportProjectSnapshot } from "../snapshots/export";
import { importProjectSnapshot } from "../snapshots/import";
import { listPromptDependents } from "./dependents";
import { createDraft, mergeDraft, updateDraft } from "./drafts/drafts";
import { promoteVersion } from "./promote";

/** The project's index, as "prompt@version: ref". */
async function refs(projectId: string): Promise<string[]> {
  const rows = await queryRows<{ name: string; version: number; ref: string }>(
    t.db,
    sql`select p.name, r.version, r.ref from prompt_version_partial_refs r join prompts p on p.id = r.prompt_id
        where r.project_id = ${projectId} order by 1, 2, 3`,
  );
  return rows.map((r) => `${r.name}@${r.version}: ${r.ref}`);
}

const text = (template: string) => ({ type: "text", template });

withReleaseDatabase("dependents-index");

describe("the index is written by every path that saves a version", () => {
  it("creating a prompt, saving a version, merging a draft, importing a snapshot", async () => {
    const ed = f.ctx(f.editor);
    await createPrompt(ed, { name: "tone", ...text("Be kind.") });
    await createPrompt(ed, { name: "style", ...text("Short.") });
    const messages: Message[] = [
      ["system", "{{> tone}}"],
      { type: "placeholder", name: "history" },
      ["user", "{{ > style }} {{question}}"],
    ];
    await createPrompt(ed, chatPrompt("reply", messages, { variables: [{ name: "question" }] }));
    await createVersion(ed, "reply", {
      template: [{ role: "user", content: "{{> tone|version=1}} {{#question}}{{> style}}{{/question}}" }],
      variables: [{ name: "question" }],
    });
    const draft = await createDraft(ed, "reply", { name: "shorter" });
    await updateDraft(ed, draft.id, { content: text("{{> style}} only") });
    await mergeDraft(ed, draft.id, {});
    const written = ["reply@1: style", "reply@1: tone", "reply@2: style", "reply@2: tone|version=1", "reply@3: style"];
    expect(await refs(f.projectId)).toEqual(written);

    const other = await seedProject(t.db, "dependents-index-copy");
    await importProjectSnapshot(other.ctx(other.admin), await exportProjectSnapshot(t.db, f.projectId));
    expect(await refs(other.projectId)).toEqual(written);
  });
});

describe("listPromptDependents reads the index", () => {
  let partial: string;
  beforeAll(async () => {
    const ed = f.ctx(f.editor);
    const ap = f.ctx(f.approver);
    partial = "voice";
    await createPrompt(ed, { name: partial, ...text("Plainly.") });
    await createPrompt(ed, { name: "other", ...text("Other.") });
    for (const p of [partial, "other"]) await promoteVersion(ap, p, { environment: "staging", version: 1 });
    // Served in staging: direct, through another partial (two levels), by staging's label; not a pin of a
    // version, not one archived.
    const made: [string, string][] = [
      ["answer", "{{> voice}} Answer."],
      ["wrapper", "{{> answer}} Wrapped."],
      ["outer", "{{>wrapper}} Outer."],
      ["labelled", "{{> voice|label=staging}} Hi"],
      ["pinned", "{{> voice|version=1}} Hi"],
      ["gone", "{{> voice}} Gone."],
    ];
    for (const [name, template] of made) {
      await createPrompt(ed, { name, ...text(template) });
      await promoteVersion(ap, name, { environment: "staging", version: 1 });
    }
    await deleteVersions(f.ctx(f.admin), await getPrompt(t.db, f.projectId, "gone"), [1], "gone");
    // 500 versions that name the partial in their text but include only `other`, 50 of them served.
    for (let n = 0; n < 5; n++) {
      const noise = await createPrompt(ed, { name: `noise-${n}`, ...text("A voice {{> other}}") });
      await t.db.execute(sql`insert into prompt_versions (prompt_id, version, content)
        select ${noise.prompt.id}, v, jsonb_build_object('type', 'text', 'template', 'The voice, v' || v || ' {{> other}}',
          'variables', '[]'::jsonb, 'config', '{}'::jsonb, 'examples', '[]'::jsonb)
        from generate_series(2, 100) v`);
      await t.db.execute(sql`update prompts set latest_version = 100 where id = ${noise.prompt.id}`);
      await promoteVersion(ap, `noise-${n}`, { environment: "staging", version: 100 - n });
    }
    await t.db.execute(sql`analyze`);
  }, 120_000);

  it("finds the dependents among the noise, through nesting", async () => {
    const found = await listPromptDependents(t.db, f.projectId, partial, "staging");
    expect(found.map((d) => [d.name, d.serves, d.direct])).toEqual([
      ["answer", 1, true],
      ["labelled", 1, true],
      ["outer", 1, false],
      ["wrapper", 1, false],
    ]);
    // Not in an environment that serves none of them.
    expect(await listPromptDependents(t.db, f.projectId, partial, "production")).toEqual([]);
  });

  it("does not scan the versions", async () => {
    const reads = await t.db.transaction(async (tx) => {
      await listPromptDependents(tx, f.projectId, partial, "staging");
      return queryRows<{ relname: string; seq_tup_read: number; idx_scan: number }>(
        tx,
        sql`select relname, seq_tup_read::int, idx_scan::int from pg_stat_xact_user_tables
            where relname in ('prompt_versions', 'prompt_version_partial_refs') order by relname`,
      );
    });
    const versions = reads.find((r) => r.relname === "prompt_versions")!;
    const index = reads.find((r) => r.relname === "prompt_version_partial_refs")!;
    expect(versions.seq_tup_read).toBeLessThan(100);
    expect(index.idx_scan).toBeGreaterThan(0);
  });
});
