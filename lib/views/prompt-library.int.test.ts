// The prompt library for hundreds of prompts: every filter (environment, status, owner, running
// experiment, open alert, text of the latest version), the sorts, paging, and facets counted over the
// whole project rather than over one page.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { failure } from "../../test/domain-fixtures";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { startExperiment } from "../experiments/lifecycle";
import { createExperiment } from "../experiments/store";
import { createPrompt, listPromptRows } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promptLibrary } from "./prompt-library";

withExperimentsDatabase("library");

const names = (r: { items: { name: string }[] }) => r.items.map((p) => p.name);

beforeAll(async () => {
  // 230 prompts in folders by the editor: more than a page, and more than the old 200-row facet read.
  for (let i = 0; i < 230; i++)
    await createPrompt(f.ctx(f.editor), {
      name: `bulk/${i % 2 ? "odd" : "even"}/p${String(i).padStart(3, "0")}`,
      type: "text",
      template: `Bulk ${i}`,
      tags: i % 10 === 0 ? ["tenth"] : [],
    });
  await createPrompt(f.ctx(f.admin), { name: "refunds/reply", type: "text", template: "Apologise for the parcel." });
  await createVersion(f.ctx(f.admin), "refunds/reply", { template: "Apologise for the late parcel, kindly." });
  await servedPrompt("tested", 2, "staging"); // by the editor, live in staging
  await startExperiment(f.ctx(f.approver), (await createExperiment(f.ctx(f.approver), base("tested"))).id);
  await servedPrompt("alerted", 1, "production");
  await queryRows(
    t.db,
    sql`insert into alerts (project_id, prompt_id, kind, severity, message, details, version)
      select project_id, id, 'regression', 'warning', 'Drop', '{}'::jsonb, 1 from prompts where name = 'alerted'`,
  );
});

describe("the prompt library", () => {
  it("counts folders, tags and owners over every prompt, not one page", async () => {
    const lib = await promptLibrary(t.db, f.projectId, { limit: 10 });
    expect(lib.items).toHaveLength(10);
    expect(lib.total).toBe(233);
    expect(lib.facets.total).toBe(233);
    expect(lib.facets.folders).toEqual([
      { folder: "bulk", count: 230 },
      { folder: "bulk/even", count: 115 },
      { folder: "bulk/odd", count: 115 },
      { folder: "refunds", count: 1 },
    ]);
    expect(lib.facets.tags).toEqual([{ tag: "tenth", count: 23 }]);
    expect(lib.facets.owners.map((o) => [o.email, o.count])).toEqual(
      expect.arrayContaining([
        [f.editor.label, 232],
        [f.admin.label, 1],
      ]),
    );
  });

  it("filters by environment, status, owner, running experiment and open alert, with their flags", async () => {
    expect(names(await listPromptRows(t.db, f.projectId, { environment: "staging" }))).toEqual(["tested"]);
    expect(names(await listPromptRows(t.db, f.projectId, { status: "live" }))).toEqual(["alerted", "tested"]);
    expect((await listPromptRows(t.db, f.projectId, { status: "not_live" })).total).toBe(231);
    expect(names(await listPromptRows(t.db, f.projectId, { owner: f.admin.label.toUpperCase() }))).toEqual([
      "refunds/reply",
    ]);
    expect((await listPromptRows(t.db, f.projectId, { owner: f.admin.id })).items[0]!.owner?.email).toBe(f.admin.label);
    const running = await promptLibrary(t.db, f.projectId, { hasExperiment: true });
    expect(running.items.map((p) => [p.name, p.runningExperiments, p.openAlerts])).toEqual([["tested", 1, 0]]);
    const alerted = await promptLibrary(t.db, f.projectId, { hasAlert: true });
    expect(
      alerted.items.map((p) => [p.name, p.openAlerts, p.live.find((l) => l.environment === "production")]),
    ).toEqual([["alerted", 1, { environment: "production", version: 1 }]]);
    expect((await listPromptRows(t.db, f.projectId, { hasAlert: false })).total).toBe(232);
  });

  it("searches the latest version's text too, and sorts and pages", async () => {
    expect(names(await listPromptRows(t.db, f.projectId, { search: "late parcel" }))).toEqual(["refunds/reply"]);
    expect(names(await listPromptRows(t.db, f.projectId, { search: "100%" }))).toEqual([]);
    expect(names(await listPromptRows(t.db, f.projectId, { sort: "updated", limit: 1 }))).toEqual(["alerted"]);
    expect(names(await listPromptRows(t.db, f.projectId, { sort: "created", limit: 1 }))).toEqual(["alerted"]);
    const second = await listPromptRows(t.db, f.projectId, { folder: "bulk/odd", limit: 50, offset: 50 });
    expect(second.items[0]!.name).toBe("bulk/odd/p101");
    expect(second.total).toBe(115);
  });

  it("refuses bad filters, naming them", async () => {
    expect((await failure(listPromptRows(t.db, f.projectId, { status: "gone" as never }))).details?.field).toBe(
      "status",
    );
    expect((await failure(listPromptRows(t.db, f.projectId, { sort: "random" as never }))).details?.field).toBe("sort");
    expect((await failure(listPromptRows(t.db, f.projectId, { hasAlert: "yes" as never }))).details?.field).toBe(
      "hasAlert",
    );
  });
});
