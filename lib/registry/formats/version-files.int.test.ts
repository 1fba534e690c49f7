// Importing and exporting prompt files against a real database: an import is the registry's own save
// (audit row, validation, partials, conflicts), a refusal writes nothing, and a file exported then
// imported again changes nothing.
import type { TemplateContent } from "../content";
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../../../db/schema";
import { failure } from "../../../test/domain-fixtures";
import { createPrompt, getPrompt } from "../prompts";
import { getVersion } from "../versions";
import { counts, f, refusedUnwritten, setUpRegistry, t } from "../registry.fixture";
import { downloadVersionFile, exportVersionFile, importVersionFile, versionFileChoices } from "./version-files";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";
import { textPrompt } from "../../../test/contents";

setUpRegistry();

const dotprompt = (body: string, yaml = "model: openai/gpt-4o") => `---\n${yaml}\n---\n${body}`;

describe("importVersionFile", () => {
  it("creates a prompt from a .prompt file, with its audit row", async () => {
    const r = await importVersionFile(f.ctx(f.editor), {
      format: "dotprompt",
      name: "files/welcome",
      source: dotprompt(
        '{{role "system"}}\nGreet {{name}}.\n{{role "user"}}\nHi',
        "description: Greets\nmodel: openai/gpt-4o",
      ),
    });
    expect(r.created).toBe(true);
    expect(r.version.version).toBe(1);
    expect(r.prompt.description).toBe("Greets");
    expect(r.version.content.config).toEqual({ provider: "openai", model: "gpt-4o" });
    expect(r.version.commitMessage).toBe("Imported from a Dotprompt file");
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, r.prompt.id), eq(auditLog.action, "prompt.create")));
    expect(rows).toHaveLength(1);
  });

  it("adds a version to an existing prompt, answers unchanged for the same content, and refuses a stale base", async () => {
    await createPrompt(f.ctx(f.editor), textPrompt("files/faq", "Q: {{q}}", { variables: [{ name: "q" }] }));
    const file = (await exportVersionFile(t.db, f.projectId, "files/faq", "1", "dotprompt")).body;
    const same = await importVersionFile(f.ctx(f.editor), { format: "dotprompt", source: file, name: "files/faq" });
    expect(same).toMatchObject({ created: false, unchanged: true });
    expect(same.version.version).toBe(1);

    const edited = file.replace("Q: {{q}}", "Question: {{q}}");
    const r = await importVersionFile(f.ctx(f.editor), { format: "dotprompt", source: edited });
    expect(r).toMatchObject({ created: false, unchanged: false });
    expect(r.version.version).toBe(2);
    expect(r.version.baseVersion).toBe(1);
    expect((r.version.content as TemplateContent).template).toBe("Question: {{q}}");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, r.prompt.id), eq(auditLog.action, "version.create")));
    expect(audit).toHaveLength(1);

    // The same file again is based on version 1, which is no longer the latest: a conflict, nothing written.
    const err = await refusedUnwritten(() =>
      importVersionFile(f.ctx(f.editor), { format: "dotprompt", source: edited.replace("Question", "Asked") }),
    );
    expect(err.code).toBe("conflict");
  });

  it("checks everything before it writes: a bad description saves no version; a good one lands with the version", async () => {
    await createPrompt(f.ctx(f.editor), { name: "files/atomic", type: "text", template: "Hello" });
    const long = `description: ${"d".repeat(2001)}`;
    const before = await counts();
    const err = await failure(
      importVersionFile(f.ctx(f.editor), { format: "dotprompt", name: "files/atomic", source: dotprompt("Hi", long) }),
    );
    expect([err.status, err.details?.field]).toEqual([400, "description"]);
    expect(await counts()).toEqual(before);
    expect((await getPrompt(t.db, f.projectId, "files/atomic")).latestVersion).toBe(1);

    const r = await importVersionFile(f.ctx(f.editor), {
      format: "dotprompt",
      name: "files/atomic",
      source: dotprompt("Hi", "description: Greets"),
    });
    expect([r.version.version, r.prompt.description]).toEqual([2, "Greets"]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.objectId, r.prompt.id));
    const actions = audit.map((a) => a.action).sort();
    expect(actions).toEqual(["prompt.create", "prompt.update", "version.create"]);
    // The same version with another description: no version, and the description is not dropped.
    const again = await importVersionFile(f.ctx(f.editor), {
      format: "dotprompt",
      name: "files/atomic",
      source: dotprompt("Hi", "description: Greets warmly"),
    });
    expect([again.unchanged, again.version.version, again.prompt.description]).toEqual([true, 2, "Greets warmly"]);
  });

  it("refuses a construct Lectern cannot carry with a 422 naming it, writing nothing", async () => {
    const before = await counts();
    const err = await failure(
      importVersionFile(f.ctx(f.editor), {
        format: "dotprompt",
        name: "files/eq",
        source: dotprompt("{{#ifEquals a b}}same{{/ifEquals}}"),
      }),
    );
    expect(err.code).toBe("unprocessable");
    expect(err.details).toMatchObject({ construct: "ifEquals", format: "Dotprompt" });
    expect(err.message).toMatch(/ifEquals/);
    expect(await counts()).toEqual(before);
  });

  it("includes partials that are prompts of the project, and refuses a viewer", async () => {
    await createPrompt(f.ctx(f.editor), textPrompt("files/tone", "Be {{style}}.", { variables: [{ name: "style" }] }));
    const r = await importVersionFile(f.ctx(f.editor), {
      format: "dotprompt",
      name: "files/with-tone",
      source: dotprompt("Intro\n{{> files/tone}}\nEnd", "input:\n  schema:\n    style: string"),
    });
    expect((r.version.content as TemplateContent).template).toBe("Intro\n{{> files/tone}}End");
  });

  it("reads a .prompt.yml, taking the prompt's name from the file", async () => {
    const r = await importVersionFile(f.ctx(f.editor), {
      format: "prompt.yml",
      source:
        "name: files/summary\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: 'Summarize {{input}}'\n",
    });
    expect(r.prompt.name).toBe("files/summary");
    expect(r.version.content).toMatchObject({ type: "text", template: "Summarize {{input}}" });
  });
});

describe("exportVersionFile", () => {
  it("writes a version as a file named after the prompt", async () => {
    await createPrompt(
      f.ctx(f.editor),
      textPrompt("files/export/reply", "Hello {{name}}", { variables: [{ name: "name" }] }),
    );
    const yml = await exportVersionFile(t.db, f.projectId, "files/export/reply", "1", "prompt.yml");
    expect(yml).toMatchObject({ filename: "reply.prompt.yml", contentType: "application/yaml; charset=utf-8" });
    expect(yml.body).toContain("content: Hello {{name}}");
    const dp = await exportVersionFile(t.db, f.projectId, "files/export/reply", "1", "dotprompt");
    expect(dp.filename).toBe("reply.prompt");
    expect(dp.body).toContain("lectern.version: 1");
    const prompt = await getPrompt(t.db, f.projectId, "files/export/reply");
    expect(((await getVersion(t.db, prompt, 1)).content as TemplateContent).template).toBe("Hello {{name}}");
  });

  it("answers 404 for a version that does not exist and 422 naming what the format cannot carry", async () => {
    await createPrompt(f.ctx(f.editor), {
      name: "files/export/dev",
      type: "chat",
      template: [{ role: "developer", content: "x" }],
    });
    expect((await failure(exportVersionFile(t.db, f.projectId, "files/export/dev", "9", "dotprompt"))).code).toBe(
      "not_found",
    );
    const err = await failure(exportVersionFile(t.db, f.projectId, "files/export/dev", "1", "dotprompt"));
    expect(err.code).toBe("unprocessable");
    expect(err.details).toMatchObject({ construct: "role", field: "template.messages[0]" });
  });
});

describe("the prompt page's downloads", () => {
  it("give anyone who may read the prompt either file, and say why a format cannot carry a version", async () => {
    await createPrompt(
      f.ctx(f.editor),
      textPrompt("files/page/summary", "Summarise the {{doc_type}}:\n{{document}}", {
        variables: [{ name: "doc_type", default: "report" }, { name: "document" }],
      }),
    );
    // A viewer, the least role, downloads both files; the default goes into testData with a warning.
    const yml = await downloadVersionFile(
      projectContext(t.db, f.viewer, f.projectId, noEvents),
      "files/page/summary",
      1,
      "prompt.yml",
    );
    expect(yml.filename).toBe("summary.prompt.yml");
    expect(yml.body).toContain('# warning: variable doc_type defaults to "report"');
    expect(yml.body).toMatch(/testData:\n {2}- doc_type: report/);
    const dp = await downloadVersionFile(
      projectContext(t.db, f.viewer, f.projectId, noEvents),
      "files/page/summary",
      1,
      "dotprompt",
    );
    expect(dp.body).toContain("Summarise the {{doc_type}}");
    expect(
      await versionFileChoices(projectContext(t.db, f.viewer, f.projectId, noEvents), "files/page/summary", 1),
    ).toEqual([
      { format: "dotprompt", label: "Dotprompt", filename: "summary.prompt", warnings: [] },
      {
        format: "prompt.yml",
        label: ".prompt.yml",
        filename: "summary.prompt.yml",
        warnings: [expect.stringMatching(/^variable doc_type defaults to "report": /)],
      },
    ]);

    // A format that cannot carry the version is named with its reason, not offered.
    await createPrompt(
      f.ctx(f.editor),
      textPrompt("files/page/sections", "{{#vip}}VIP{{/vip}} {{q}}", {
        variables: [{ name: "vip", type: "boolean" }, { name: "q" }],
      }),
    );
    const [, yml2] = await versionFileChoices(
      projectContext(t.db, f.viewer, f.projectId, noEvents),
      "files/page/sections",
      1,
    );
    expect(yml2).toMatchObject({ format: "prompt.yml", reason: expect.stringMatching(/section/) });
    // Who may download (a member: prompt.read) is the download route's check, its wrapper; a key never reaches it.
  });
});
