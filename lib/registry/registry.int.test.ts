import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { auditLog, promptVersions, prompts } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { code, count, failure, recordingSink, refusal, seedProject, type Fixture } from "../../test/domain-fixtures";
import { createPrompt, getPrompt, listPrompts } from "./prompts";
import { createVersion, diffVersions, getVersion, listVersions } from "./versions";

let t: TestDatabase;
let f: Fixture;

const text = (
  template: string,
  variables: { name: string; type?: "string" | "number" | "boolean" | "json" }[] = [],
) => ({ type: "text", template, variables });

async function counts() {
  return {
    prompts: await count(t.db, "prompts"),
    versions: await count(t.db, "prompt_versions"),
    audit: await count(t.db, "audit_log"),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "registry");
});
afterAll(async () => t.drop());

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
    const templates = (await listVersions(t.db, prompt, { order: "asc" })).map(
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
    expect((await listVersions(t.db, prompt)).map((r) => r.version.version)).toEqual([1]);
  });
});

describe("createPrompt validation", () => {
  it.each([
    ["a pipe", "support|reply"],
    ["leading slash", "/support"],
    ["double slash", "support//reply"],
    ["trailing slash", "support/"],
    ["256 characters", "a".repeat(256)],
    ["empty", ""],
    ["a space at the end", "my prompt "],
    ["a reserved name", "new"],
    ["an HTML tag", "Test <div>"],
  ])("rejects a name with %s as invalid_input naming the field, writing nothing", async (_, name) => {
    const before = await counts();
    const err = await failure(createPrompt(f.ctx(f.editor), { name, ...text("Hi") }));
    expect(err.code).toBe("invalid_input");
    expect(err.details?.field).toBe("name");
    expect(err.message).toMatch(/^name /);
    expect(await counts()).toEqual(before);
  });

  it("accepts a 255-character name, folders, and what Langfuse accepts (capitals, dots, spaces, brackets)", async () => {
    const { prompt, version } = await createPrompt(f.ctx(f.editor), { name: "a".repeat(255), ...text("Hi") });
    expect(prompt.name).toHaveLength(255);
    for (const name of ["Support/Reply v2.1 [beta]", "名前 🚀", "case/reply"])
      expect((await createPrompt(f.ctx(f.editor), { name, ...text("Hi") })).prompt.name).toBe(name);
    // Case-sensitive, as in Langfuse: this is another prompt, not a duplicate.
    expect((await createPrompt(f.ctx(f.editor), { name: "Case/reply", ...text("Hi") })).prompt.name).toBe("Case/reply");
    expect(version.version).toBe(1);
    expect(
      (await createPrompt(f.ctx(f.editor), { name: "support/billing/refund-v2_x", ...text("Hi") })).prompt
        .latestVersion,
    ).toBe(1);
  });

  it("a duplicate name is a conflict and writes nothing", async () => {
    await createPrompt(f.ctx(f.editor), { name: "dup", ...text("Hi") });
    const before = await counts();
    const err = await failure(createPrompt(f.ctx(f.editor2), { name: "dup", ...text("Other") }));
    expect(err.code).toBe("conflict");
    expect(err.details?.field).toBe("name");
    expect(await counts()).toEqual(before);
  });

  it("concurrent creates of one name: exactly one wins", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        code(createPrompt(f.ctx(f.editor), { name: "race/create", ...text(`try ${i}`) })),
      ),
    );
    expect(results.sort()).toEqual(["conflict", "conflict", "conflict", "conflict", "conflict", "ok"]);
    const prompt = await getPrompt(t.db, f.projectId, "race/create");
    expect((await listVersions(t.db, prompt)).map((r) => r.version.version)).toEqual([1]);
  });

  it("an unparsable template is invalid_input naming the field, writing nothing", async () => {
    const before = await counts();
    const err = await failure(
      createPrompt(f.ctx(f.editor), { name: "broken", ...text("Hello {{#open}} never closed") }),
    );
    expect(err.code).toBe("invalid_input");
    expect(err.details?.field).toBe("template");
    expect(err.message).toMatch(/does not parse/);
    const chat = await failure(
      createPrompt(f.ctx(f.editor), {
        name: "broken-chat",
        type: "chat",
        template: [
          { role: "system", content: "ok" },
          { role: "user", content: "{{/closed}}" },
        ],
      }),
    );
    expect(chat.code).toBe("invalid_input");
    expect(chat.details?.field).toBe("template.messages[1]");
    expect(await counts()).toEqual(before);
  });

  it("an undeclared variable is unprocessable naming it, writing nothing", async () => {
    const before = await counts();
    const err = await failure(
      createPrompt(f.ctx(f.editor), {
        name: "undeclared",
        ...text("Dear {{customer}}, about {{order}}", [{ name: "order" }]),
      }),
    );
    expect(err.code).toBe("unprocessable");
    expect(err.details?.undeclared).toEqual(["customer"]);
    expect(err.message).toContain("customer");
    expect(await counts()).toEqual(before);
  });

  it("other bad content is invalid_input naming the field", async () => {
    const before = await counts();
    const cases: [unknown, string][] = [
      [{ name: "bad", type: "yaml", template: "x" }, "type"],
      [{ name: "bad", type: "chat", template: "not a list" }, "template"],
      [{ name: "bad", type: "text", template: "x", config: { temperature: 3 } }, "config.temperature"],
      [{ name: "bad", type: "text", template: "x", tags: "one" }, "tags"],
    ];
    for (const [input, field] of cases) {
      const err = await failure(createPrompt(f.ctx(f.editor), input));
      expect([err.code, err.details?.field]).toEqual(["invalid_input", field]);
    }
    expect(await counts()).toEqual(before);
  });

  it("a viewer cannot create prompts", async () => {
    expect(await code(createPrompt(f.ctx(f.viewer), { name: "by-viewer", ...text("Hi") }))).toBe("forbidden");
    expect(await t.db.select().from(prompts).where(eq(prompts.name, "by-viewer"))).toEqual([]);
  });

  it("a created prompt has version 1, an owner, an audit entry and an unused-variable warning", async () => {
    const { prompt, version, warnings } = await createPrompt(f.ctx(f.editor), {
      name: "welcome",
      description: "Greets",
      tags: ["onboarding"],
      ...text("Hello {{name}}", [{ name: "name" }, { name: "spare" }]),
      config: { model: "gpt-4o-mini", temperature: 0.2 },
    });
    expect(prompt).toMatchObject({
      name: "welcome",
      ownerId: f.editor.id,
      latestVersion: 1,
      targetModel: "gpt-4o-mini",
      tags: ["onboarding"],
    });
    expect(version).toMatchObject({
      version: 1,
      authorId: f.editor.id,
      commitMessage: "Initial version",
      baseVersion: null,
    });
    expect(warnings).toEqual(["Variable spare is declared but never used"]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.objectId, prompt.id));
    expect(audit.map((a) => a.action)).toEqual(["prompt.create"]);
    expect((await listPrompts(t.db, f.projectId, { tag: "onboarding" })).items.map((p) => p.name)).toEqual(["welcome"]);
    expect((await listPrompts(t.db, f.projectId, { folder: "support" })).items.map((p) => p.name)).toEqual([
      "support/billing/refund-v2_x",
    ]);
  });
});

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

  it("an invalid edit writes nothing; unknown prompts are not_found", async () => {
    const before = await counts();
    expect(await code(createVersion(f.ctx(f.editor), "conflicts", { template: "{{who}}" }))).toBe("unprocessable");
    expect(await code(createVersion(f.ctx(f.editor), "conflicts", { template: "{{#x}}" }))).toBe("invalid_input");
    expect(await code(createVersion(f.ctx(f.viewer), "conflicts", { template: "ok" }))).toBe("forbidden");
    expect(await code(createVersion(f.ctx(f.editor), "no-such-prompt", { template: "ok" }))).toBe("not_found");
    expect(await counts()).toEqual(before);
    expect((await getPrompt(t.db, f.projectId, "conflicts")).latestVersion).toBe(3);
  });
});

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
    const before = await counts();
    const err = await failure(
      createPrompt(f.ctx(f.editor), { name: "uses-missing", ...text("{{> does/not-exist}} hi") }),
    );
    expect(err.code).toBe("unprocessable");
    expect(err.details?.partial).toBe("does/not-exist");
    expect(await counts()).toEqual(before);
  });

  it("a cycle is an error: saving b to include a, when a already includes b", async () => {
    await createPrompt(f.ctx(f.editor), { name: "cycle/b", ...text("I am b") });
    await createPrompt(f.ctx(f.editor), { name: "cycle/a", ...text("a then {{> cycle/b}}") });
    const before = await counts();
    const err = await failure(createVersion(f.ctx(f.editor), "cycle/b", { template: "b then {{> cycle/a}}" }));
    expect(err.code).toBe("unprocessable");
    expect(err.details?.cycle).toEqual(["cycle/b", "cycle/a", "cycle/b"]);
    expect(await counts()).toEqual(before);
    expect((await getPrompt(t.db, f.projectId, "cycle/b")).latestVersion).toBe(1);
    // A prompt including itself is the shortest cycle.
    expect(await code(createVersion(f.ctx(f.editor), "cycle/a", { template: "{{> cycle/a}}" }))).toBe("unprocessable");
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
    const ctx = { db: t.db, actor: { type: "system" as const, label: "t" }, projectId: f.projectId };
    await createPrompt(ctx, {
      name: "keeps-config",
      type: "text",
      template: "Hi {{who}}",
      variables: [{ name: "who" }],
      config: { model: "m", temperature: 0.3 },
    });
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
