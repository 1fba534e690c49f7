// The Langfuse importer at its limits, writing: a prompt at the version limit is written in a few multi-row
// statements, every version as Langfuse numbered it (the reading limits: import.int.test.ts).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { byName, f, lf, run, t, withLangfuseImport } from "../../test/langfuse-import-fixture";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { importLimits } from "./import-limits";

withLangfuseImport("import-bulk");

describe("importing a Langfuse project at its limits", () => {
  it("writes a prompt at the version limit in a few statements, every version as Langfuse numbered it", async () => {
    const at = new Date().toISOString();
    const name = "bulk/thousand";
    for (let v = 1; v <= importLimits.versionsPerPrompt; v++)
      lf.recorded.versions.push({
        name,
        version: v,
        type: "text" as const,
        prompt: `v${v} ${"x".repeat(v % 7)}`,
        config: {},
        labels: v === importLimits.versionsPerPrompt ? ["production"] : [],
        tags: [],
        commitMessage: `change ${v}`,
        createdBy: "cm5user0bob",
        createdAt: at,
        updatedAt: at,
      });
    const r = await run();
    expect(byName(r, name)).toMatchObject({ outcome: "created" });
    const prompt = await getPrompt(t.db, f.projectId, name);
    expect(prompt.latestVersion).toBe(importLimits.versionsPerPrompt);
    // Rows written by one statement share its command id (cmin): row by row, a thousand statements.
    const [stats] = await queryRows<{ rows: number; statements: number; wrong: number }>(
      t.db,
      sql`select count(*)::int as rows, count(distinct cmin::text)::int as statements,
            count(*) filter (where commit_message <> 'change ' || version)::int as wrong
          from prompt_versions where prompt_id = ${prompt.id}`,
    );
    expect(stats).toEqual({ rows: importLimits.versionsPerPrompt, statements: 5, wrong: 0 });
    expect((await getVersion(t.db, prompt, 999)).content).toMatchObject({ template: "v999 xxxxx" });
    lf.recorded.versions.splice(0, lf.recorded.versions.length, ...lf.recorded.versions.filter((v) => v.name !== name));
  });
});
