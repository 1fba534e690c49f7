// Dotprompt and .prompt.yml files in a prompts directory: found and named like YAML files, read as the
// import endpoint reads them (partials from the other files), and their version kept where each keeps it.
import type { TemplateContent } from "../../lib/registry/content";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseContent } from "../../lib/registry/content";
import { kindOfPath, setVersion, withoutExtension } from "./file-formats";
import { pathOfName, readWorkspace, type RemoteContents } from "./workspace";

async function workspace(files: Record<string, string>, remote?: RemoteContents) {
  const root = mkdtempSync(path.join(tmpdir(), "lectern-formats-"));
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(root, "prompts", name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return readWorkspace(path.join(root, "prompts"), root, { remote });
}

describe("kinds of file", () => {
  it.each([
    ["reply.yaml", "yaml", "reply"],
    ["reply.yml", "yaml", "reply"],
    ["reply.prompt", "dotprompt", "reply"],
    ["support/reply.prompt.yml", "prompt.yml", "support/reply"],
    ["reply.prompt.yaml", "yaml", "reply.prompt"],
    ["notes.md", undefined, "notes.md"],
  ])("%s is %s", (file, kind, name) => {
    expect(kindOfPath(file)).toBe(kind);
    if (kind) expect(withoutExtension(file)).toBe(name);
  });

  it("names a new file by its kind", () => {
    expect(pathOfName("/p", "support/reply", "dotprompt")).toBe("/p/support/reply.prompt");
    expect(pathOfName("/p", "My Prompt", "prompt.yml")).toBe("/p/My%20Prompt.prompt.yml");
  });
});

describe("setVersion", () => {
  it.each([
    [
      "dotprompt, replacing",
      "---\nmodel: a\nlectern.version: 2\n---\nlectern.version: 9 in the text",
      "---\nmodel: a\nlectern.version: 5\n---\nlectern.version: 9 in the text",
    ],
    ["dotprompt, adding", "---\nmodel: a\n---\nHi", "---\nlectern.version: 5\nmodel: a\n---\nHi"],
    ["dotprompt without frontmatter", "Hi", "---\nlectern.version: 5\n---\nHi"],
    ["prompt.yml, replacing", "# lectern: version 2, chat\nname: x\n", "# lectern: version 5, chat\nname: x\n"],
    ["prompt.yml, adding", "name: x\n", "# lectern: version 5\nname: x\n"],
  ] as const)("%s", (what, before, after) => {
    expect(setVersion(what.startsWith("dotprompt") ? "dotprompt" : "prompt.yml", before, 5)).toBe(after);
  });
});

describe("reading a directory of mixed files", () => {
  it("reads each kind, taking a .prompt file's partials from the other files", async () => {
    const ws = await workspace({
      "shared/tone.yaml": "type: text\ntemplate: Be {{mood}}.\nvariables:\n  - name: mood\n",
      "reply.prompt":
        '---\nlectern.version: 3\ndescription: Replies\ninput:\n  schema:\n    mood: string\n---\n{{role "system"}}\n{{> shared/tone}}\n{{role "user"}}\nHi',
      "summary.prompt.yml":
        "# lectern: version 1, text\nname: summary\nmessages:\n  - role: user\n    content: 'Summarize {{input}}'\n",
    });
    expect(ws.problems).toEqual([]);
    const byName = new Map(ws.files.map((f) => [f.name, f]));
    expect(byName.get("reply")).toMatchObject({ kind: "dotprompt", data: { version: 3, description: "Replies" } });
    expect(byName.get("reply")!.data.content.type).toBe("chat");
    expect(byName.get("summary")!.data.content).toMatchObject({ type: "text", template: "Summarize {{input}}" });
    expect(byName.get("summary")!.data.version).toBe(1);
  });

  it("warns that a .prompt.yml's evaluators are not pushed (the import endpoint makes them scorers)", async () => {
    const ws = await workspace({
      "quiz.prompt.yml":
        "name: quiz\nmessages:\n  - role: user\n    content: 'Q {{q}}'\nevaluators:\n  - name: a\n    string: {contains: x}\n",
    });
    expect(ws.problems).toEqual([]);
    expect(ws.warnings).toContainEqual({
      file: "prompts/quiz.prompt.yml",
      message: expect.stringMatching(/^1 evaluator not imported: the import endpoint/),
    });
  });

  it("reports a construct the format cannot carry as a problem of that file", async () => {
    const ws = await workspace({ "eq.prompt": "{{#ifEquals a b}}x{{/ifEquals}}" });
    expect(ws.files).toEqual([]);
    expect(ws.problems).toMatchObject([{ file: "prompts/eq.prompt", message: expect.stringMatching(/ifEquals/) }]);
  });

  it("takes a partial that is not local from the server, and without one leaves the file out with a warning", async () => {
    const files = { "reply.prompt": "Intro\n{{> elsewhere}}\nEnd" };
    const offline = await workspace(files);
    expect(offline.files).toEqual([]);
    expect(offline.warnings[0]!.message).toMatch(/includes elsewhere, which is not in this directory/);
    const online = await workspace(files, async (names) => {
      expect(names).toEqual(["elsewhere"]);
      return new Map([["elsewhere", parseContent({ type: "text", template: "From the server." })]]);
    });
    expect(online.problems).toEqual([]);
    expect((online.files[0]!.data.content as TemplateContent).template).toBe("Intro\n{{> elsewhere}}End");
  });

  it("a version reads back through the file's own format, so a respelled tag is no change", async () => {
    const ws = await workspace({ "x.prompt": "---\ninput:\n  schema:\n    a: string\n---\nHi {{a}}" });
    const f = ws.files[0]!;
    const version = parseContent({ type: "text", template: "Hi {{{a}}}", variables: [{ name: "a" }] });
    expect(await f.readBack(version)).toEqual(f.data.content);
  });
});
