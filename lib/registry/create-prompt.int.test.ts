// Creating prompts: names, content and variables validated (naming the field, writing nothing),
// duplicates refused, viewers refused, and what a created prompt has.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog } from "../../db/schema";
import { code, failure } from "../../test/domain-fixtures";
import { createPrompt, getPrompt, listPromptRows } from "./prompts";
import { listVersionRows } from "./versions";
import { counts, f, refusedUnwritten, setUpRegistry, t, text } from "./registry.fixture";

setUpRegistry();

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
    const err = await refusedUnwritten(() => createPrompt(f.ctx(f.editor), { name, ...text("Hi") }));
    expect(err.code).toBe("invalid_input");
    expect(err.details?.field).toBe("name");
    expect(err.message).toMatch(/^name /);
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
    const err = await refusedUnwritten(() => createPrompt(f.ctx(f.editor2), { name: "dup", ...text("Other") }));
    expect(err.code).toBe("conflict");
    expect(err.details?.field).toBe("name");
  });

  it("concurrent creates of one name: exactly one wins", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        code(createPrompt(f.ctx(f.editor), { name: "race/create", ...text(`try ${i}`) })),
      ),
    );
    expect(results.sort()).toEqual(["conflict", "conflict", "conflict", "conflict", "conflict", "ok"]);
    const prompt = await getPrompt(t.db, f.projectId, "race/create");
    expect((await listVersionRows(t.db, prompt)).map((r) => r.version.version)).toEqual([1]);
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

  // A viewer cannot create prompts: the wrapper refuses it (lib/server/actions/resource-rules.int.test.ts).

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
    expect((await listPromptRows(t.db, f.projectId, { tag: "onboarding" })).items.map((p) => p.name)).toEqual([
      "welcome",
    ]);
    expect((await listPromptRows(t.db, f.projectId, { folder: "support" })).items.map((p) => p.name)).toEqual([
      "support/billing/refund-v2_x",
    ]);
  });
});
