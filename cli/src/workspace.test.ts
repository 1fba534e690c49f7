// Local validation must say exactly what the server (and the editor) says: it runs the same code.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { parseContent } from "../../lib/registry/content";
import { validateContent } from "../../lib/registry/templates/template";
import { partialsFirst, readWorkspace } from "./workspace";

function workspace(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), "lectern-ws-"));
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(root, "prompts", name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return readWorkspace(path.join(root, "prompts"), root);
}

function serverMessage(content: unknown): string {
  try {
    validateContent(parseContent(content));
  } catch (e) {
    return (e as AppError).message;
  }
  return "ok";
}

describe("local validation gives the server's messages", () => {
  it.each<[string, string, unknown, string]>([
    [
      "an undeclared variable",
      "type: text\ntemplate: Hi {{who}}\n",
      { type: "text", template: "Hi {{who}}" },
      "template",
    ],
    [
      "a template that does not parse",
      "type: text\ntemplate: '{{#a}}'\n",
      { type: "text", template: "{{#a}}" },
      "template",
    ],
    [
      "a bad partial name",
      "type: text\ntemplate: '{{> bad//name}}'\n",
      { type: "text", template: "{{> bad//name}}" },
      "template",
    ],
    [
      "changed delimiters",
      "type: text\ntemplate: '{{=<% %>=}}'\n",
      { type: "text", template: "{{=<% %>=}}" },
      "template",
    ],
  ])("%s", async (_what, file, content, field) => {
    const ws = await workspace({ "p.yaml": file });
    expect(ws.problems).toHaveLength(1);
    expect(ws.problems[0]).toMatchObject({ file: "prompts/p.yaml", field, message: serverMessage(content) });
  });

  it.each<[string, string, string, number]>([
    ["a bad variable type", "type: text\ntemplate: x\nvariables:\n  - {name: a, type: text}\n", "variables[0].type", 4],
    ["a temperature out of range", "type: text\ntemplate: x\nconfig:\n  temperature: 3\n", "config.temperature", 4],
    ["a bad role", "type: chat\nmessages:\n  - role: placeholder\n    content: x\n", "messages[0].role", 3],
    ["a duplicate variable", "type: text\ntemplate: '{{a}}'\nvariables:\n  - name: a\n  - name: a\n", "variables", 4],
  ])("content schema: %s, located by field and line", async (_what, file, field, line) => {
    const ws = await workspace({ "p.yaml": file });
    expect(ws.problems[0]).toMatchObject({ field, line });
  });

  it("points at the line of the template inside a block scalar", async () => {
    const ws = await workspace({
      "p.yaml": "type: chat\nmessages:\n  - role: system\n    content: |\n      fine\n      {{/close}}\n      after\n",
    });
    expect(ws.problems[0]).toMatchObject({ field: "messages[0].content", line: 6 });
  });

  it("takes partials' variables from the other files, as the server will after the push", async () => {
    const ws = await workspace({
      "shared/tone.yaml": "type: text\ntemplate: Be {{mood}}.\nvariables:\n  - name: mood\n",
      "reply.yaml": "type: text\ntemplate: '{{> shared/tone}} {{mood}}'\n",
    });
    expect(ws.problems).toEqual([]);
    expect(partialsFirst(ws.files).map((f) => f.name)).toEqual(["shared/tone", "reply"]);
  });

  it("leaves a partial that is not in the directory to the server, with a warning", async () => {
    const ws = await workspace({ "reply.yaml": "type: text\ntemplate: '{{> elsewhere}} {{mood}}'\n" });
    expect(ws.problems).toEqual([]);
    expect(ws.warnings[0]!.message).toMatch(/undeclared variables: mood \(unless elsewhere/);
  });

  it("refuses a partial cycle between files", async () => {
    const ws = await workspace({ "a.yaml": "template: '{{> b}}'\n", "b.yaml": "template: '{{> a}}'\n" });
    expect(ws.problems.map((p) => p.message)).toEqual(["Partial cycle: a → b → a", "Partial cycle: b → a → b"]);
  });

  it("refuses unresolved merge markers", async () => {
    const ws = await workspace({
      "a.yaml": "template: |\n  <<<<<<< local\n  mine\n  =======\n  theirs\n  >>>>>>> version 3\n",
    });
    expect(ws.problems[0]).toMatchObject({ field: "template", line: 2 });
    expect(ws.problems[0]!.message).toMatch(/merge conflict markers/);
  });

  it("names files whose path is not a prompt name, and skips dot-directories", async () => {
    const ws = await workspace({
      "new.yaml": "template: x\n",
      ".history/a/v1.yaml": "template: x\n",
      "ok.yml": "template: x\n",
    });
    expect(ws.files.map((f) => f.name)).toEqual(["ok"]);
    expect(ws.problems).toMatchObject([{ file: "prompts/new.yaml", field: "file name" }]);
  });
});

describe("files it reads", () => {
  it("does not read a symbolic link leaving the prompts folder, and warns; a link inside it is read", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "lectern-ws-links-"));
    const prompts = path.join(root, "prompts");
    mkdirSync(path.join(prompts, "shared"), { recursive: true });
    writeFileSync(path.join(root, "credentials.yaml"), "type: text\ntemplate: aws_secret_access_key = x\n");
    writeFileSync(path.join(prompts, "shared/tone.yaml"), "type: text\ntemplate: Be kind.\n");
    symlinkSync(path.join(root, "credentials.yaml"), path.join(prompts, "creds.yaml"));
    symlinkSync(path.join(prompts, "shared/tone.yaml"), path.join(prompts, "tone.yaml"));
    const ws = await readWorkspace(prompts, root);
    expect(ws.files.map((f) => f.name).sort()).toEqual(["shared/tone", "tone"]);
    expect(ws.warnings).toEqual([
      {
        file: "prompts/creds.yaml",
        message: "a symbolic link to outside the prompts folder (or a broken one): not read",
      },
    ]);
  });
});
