// The importer core against a real database: a source built in the shapes the system readers hand over (three
// prompts, several versions each in three syntaxes, labels, one construct that cannot be converted), imported
// twice — the second run creates nothing —; a dry run writes nothing; a refused label move is reported, not
// bypassed; what cannot be read is named.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { code, projectDatabaseForFile, type Fixture } from "../../../test/domain-fixtures";
import type { TestDatabase } from "../../../test/db";
import { importLimits } from "../../registry/imported";
import { getPrompt, listPromptRows } from "../../registry/prompts";
import { listVersionRows } from "../../registry/versions";
import { renderContent } from "../../registry/templates/template";
import { listEnvironmentRows, updateEnvironment } from "../../release/environments";
import { findLabelTarget } from "../../release/version-labels/version-labels";
import { loadResolved } from "../../runtime/load";
import { importForeign, type ForeignImportReport, type ForeignPrompt } from "./index";

let t: TestDatabase;
let f: Fixture;
projectDatabaseForFile("compat-import", (db, fx) => {
  t = db;
  f = fx;
});

const at = (day: number) => `2026-02-0${day}T10:00:00.000Z`;
const source = (): ForeignPrompt[] => [
  {
    name: "support/reply",
    description: "Answers a ticket",
    tags: ["support"],
    versions: [
      {
        sourceId: "1",
        format: "f-string",
        content: { type: "text", template: "Reply to {ticket} as {{support}}." },
        model: { provider: "openai", name: "gpt-4o", parameters: { temperature: 0.2, max_tokens: 300, seed: 7 } },
        message: "First",
        author: "ada@example.com",
        createdAt: at(1),
        labels: ["staging"],
      },
      {
        sourceId: "2",
        format: "jinja2",
        content: {
          type: "chat",
          messages: [
            { role: "system", content: "{% if vip %}VIP. {% endif %}Be brief." },
            { role: "placeholder", name: "history" },
            { role: "human", content: "{{ ticket }}" },
          ],
        },
        model: { name: "gpt-4o-mini", parameters: { max_tokens: 100, maxTokens: 200 } },
        message: "Chat",
        createdAt: at(2),
        labels: ["production", "prod", "v1.2"],
      },
      {
        sourceId: "3",
        format: "jinja2",
        content: { type: "text", template: "{{ ticket | upper }}" },
        createdAt: at(3),
        labels: ["canary"],
      },
    ],
  },
  {
    name: "greeting",
    versions: [
      { sourceId: "a1b2", format: "mustache", content: { type: "text", template: "Hi {{name}}" }, labels: [] },
    ],
  },
  {
    name: "elsewhere/other",
    versions: [{ sourceId: "x", format: "f-string", content: { type: "text", template: "x" }, labels: [] }],
  },
];

const input = (over: Partial<{ dryRun: boolean; folder: string; source: string }> = {}) => ({
  system: "promptlayer" as const,
  source: "https://pl.example",
  dryRun: false,
  ...over,
});
const run = (prompts: ForeignPrompt[] | AsyncIterable<ForeignPrompt> = source(), over = {}) =>
  importForeign(f.ctx(f.admin), input(over), prompts);
const byName = (r: ForeignImportReport, name: string) => r.prompts.find((p) => p.name === name)!;
const auditRows = async () =>
  (
    await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where action = 'prompt.import'`)
  )[0]!.n;

describe("importing another system's prompts", () => {
  it("a dry run reports the plan and writes nothing", async () => {
    const r = await run(source(), { dryRun: true });
    expect(byName(r, "support/reply")).toMatchObject({
      outcome: "created",
      versions: [1, 2],
      labels: [
        { label: "staging", version: 1, from: null },
        { label: "production", version: 2, from: null },
      ],
      versionLabels: [
        { label: "prod", version: 2, from: null },
        { label: "v1.2", version: 2, from: null },
      ],
    });
    expect(r.totals).toMatchObject({ prompts: 3, imported: 3, refused: 1 });
    expect((await listPromptRows(t.db, f.projectId)).total).toBe(0);
    expect(await auditRows()).toBe(0);
  });

  it("copies every version in order with message, author, time and model settings, converted", async () => {
    const r = await run();
    const reply = byName(r, "support/reply");
    expect(reply.sources).toEqual([
      { sourceId: "1", outcome: "created", version: 1, convertedFrom: "f-string" },
      { sourceId: "2", outcome: "created", version: 2, convertedFrom: "jinja2" },
      expect.objectContaining({ sourceId: "3", outcome: "refused", construct: "filter", field: "template" }),
    ]);
    expect(reply.unmapped).toEqual([
      "version 2: model parameter maxTokens not kept: another parameter already gives maxTokens",
      expect.stringMatching(/^label canary \(on version 3\) not kept: version 3 was refused: template: .*filter upper/),
    ]);
    const prompt = await getPrompt(t.db, f.projectId, "support/reply");
    expect([prompt.description, prompt.tags]).toEqual(["Answers a ticket", ["support"]]);
    const versions = (await listVersionRows(t.db, prompt, { order: "asc" })).map((v) => v.version);
    expect(versions.map((v) => [v.version, v.commitMessage, v.authorLabel, v.createdAt.toISOString()])).toEqual([
      [1, "First", "ada@example.com", at(1)],
      [2, "Chat", "PromptLayer import", at(2)],
    ]);
    const [v1, v2] = versions;
    expect(v1!.content.config).toEqual({
      provider: "openai",
      model: "gpt-4o",
      temperature: 0.2,
      maxTokens: 300,
      seed: 7,
    });
    if (v1!.content.type !== "text" || v2!.content.type !== "chat") throw new Error("types");
    expect(renderContent(v1!.content, { ticket: "T-1" }).rendered).toBe("Reply to T-1 as {support}.");
    const chat = renderContent(v2!.content, { vip: true, ticket: "help", history: [] }).rendered;
    expect(chat).toEqual([
      { role: "system", content: "VIP. Be brief." },
      { role: "user", content: "help" },
    ]);
    expect(await auditRows()).toBe(3);
  });

  it("moves environments through the release path; other labels are version labels; no environment is created", async () => {
    expect((await loadResolved(t.db, f.projectId, "support/reply", "staging")).version).toBe(1);
    expect((await loadResolved(t.db, f.projectId, "support/reply", "production")).version).toBe(2);
    const reply = await getPrompt(t.db, f.projectId, "support/reply");
    for (const label of ["prod", "v1.2"])
      expect(await findLabelTarget(t.db, f.projectId, reply.id, label)).toEqual({ kind: "version", version: 2 });
    expect((await listEnvironmentRows(t.db, f.projectId)).map((e) => e.name).sort()).toEqual([
      "development",
      "production",
      "staging",
    ]);
  });

  it("a second run creates nothing", async () => {
    const before = await auditRows();
    const r = await run();
    expect(r.prompts.map((p) => p.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(r.totals).toMatchObject({ imported: 0, versions: 0, labels: 0 });
    expect(byName(r, "support/reply").sources.map((s) => s.outcome)).toEqual(["unchanged", "unchanged", "refused"]);
    expect(await auditRows()).toBe(before);
    // The links that make it so are facts, like the versions they name.
    await expect(t.db.execute(sql`update imported_versions set source_id = 'changed'`)).rejects.toThrow();
  });

  it("a new version in the source is added after the others; a refused move is reported as was live in", async () => {
    await updateEnvironment(f.ctx(f.admin), "production", { requiresReview: true });
    try {
      const next = source();
      next[0]!.versions[1]!.labels = ["prod"];
      next[0]!.versions.push({
        sourceId: "4",
        format: "f-string",
        content: { type: "text", template: "Reply to {ticket}." },
        labels: ["production"],
      });
      const r = byName(await run(next), "support/reply");
      expect(r).toMatchObject({ outcome: "updated", versions: [3], labels: [], versionLabels: [] });
      expect(r.wasLiveIn).toEqual([
        { label: "production", sourceId: "4", reason: expect.stringMatching(/refused to move production.*review/) },
      ]);
      expect((await loadResolved(t.db, f.projectId, "support/reply", "production")).version).toBe(2);
      expect((await getPrompt(t.db, f.projectId, "support/reply")).latestVersion).toBe(3);
    } finally {
      await updateEnvironment(f.ctx(f.admin), "production", { requiresReview: false });
    }
  });

  it("an import run by an editor moves no protected environment: the move is refused (forbidden), the rest kept", async () => {
    // Who may import at all is the endpoints' declared permission (settings.manage); the environments an import
    // deploys into come from the source, so assertMayDeployInto (lib/release/promote.ts) checks each move.
    const mine: ForeignPrompt[] = [
      {
        name: "editor/moved",
        versions: [
          { sourceId: "e1", format: "f-string", content: { type: "text", template: "One" }, labels: ["staging"] },
          { sourceId: "e2", format: "f-string", content: { type: "text", template: "Two" }, labels: ["production"] },
        ],
      },
    ];
    const r = byName(
      await importForeign(f.ctx(f.editor), input({ source: "https://editor.example" }), mine),
      "editor/moved",
    );
    expect(r).toMatchObject({ outcome: "created", versions: [1, 2], labels: [{ label: "staging", version: 1 }] });
    expect(r.wasLiveIn).toEqual([
      {
        label: "production",
        sourceId: "e2",
        reason: expect.stringMatching(/refused to move production.*cannot deploy to protected environments/),
      },
    ]);
    expect(await code(loadResolved(t.db, f.projectId, "editor/moved", "production"))).not.toBe("ok");
  });

  it("reads a stream of prompts, one folder only", async () => {
    async function* stream() {
      yield* source();
    }
    const r = await run(stream(), { folder: "elsewhere" });
    expect(r.prompts.map((p) => p.name)).toEqual(["elsewhere/other"]);
  });

  it("names what it cannot take, and refuses those who may not import", async () => {
    await run(
      [
        {
          name: "native",
          versions: [{ sourceId: "n", format: "mustache", content: { type: "text", template: "n" }, labels: [] }],
        },
      ],
      {
        source: "https://other.example",
      },
    );
    const r = await run([
      {
        name: "native",
        versions: [{ sourceId: "n", format: "mustache", content: { type: "text", template: "n" }, labels: [] }],
      },
      {
        name: "bad-date",
        versions: [
          {
            sourceId: "1",
            format: "f-string",
            content: { type: "text", template: "x" },
            createdAt: "soon",
            labels: [],
          },
        ],
      },
      {
        name: "all-refused",
        versions: [
          { sourceId: "1", format: "jinja2", content: { type: "text", template: "{% set x = 1 %}" }, labels: [] },
        ],
      },
    ]);
    expect(byName(r, "native")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("none of its versions came from https://pl.example"),
    });
    expect(byName(r, "bad-date")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("versions.0.createdAt"),
    });
    expect(byName(r, "all-refused")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("every version was refused"),
    });
    expect(
      await importForeign(f.ctx(f.admin), { ...input(), system: "nope" as "pezzo" }, []).catch((e) => e),
    ).toMatchObject({ code: "invalid_input", details: { field: "system" } });
  });

  it("stops at its bounds and when the asker leaves, keeping what it imported", async () => {
    const versions = importLimits.versions;
    importLimits.versions = 2;
    try {
      const err = await run(source()).catch((e) => e);
      expect(err).toMatchObject({ code: "unprocessable", details: { field: "folder", maxVersions: 2 } });
    } finally {
      importLimits.versions = versions;
    }
    const gone = new AbortController();
    gone.abort();
    const stopped = await importForeign(f.ctx(f.admin), { ...input(), signal: gone.signal }, source()).catch((e) => e);
    expect(stopped).toMatchObject({ code: "unprocessable", message: expect.stringContaining("went away") });
  });
});
