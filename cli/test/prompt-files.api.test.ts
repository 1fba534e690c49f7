// `lectern pull --format dotprompt|prompt.yml` and `lectern push` of such files, against the server
// started by scripts/with-server.sh: the files are the server's exports, they render in the dotprompt
// library as the server renders the version, an edit pushes as a new version, and an untouched file is
// not one.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Dotprompt } from "dotprompt";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/api/client";
import { buildCli, createPrompt, enc, removeTemps, repo, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

const fileOf = (dir: string, name: string, ext: string) => path.join(dir, "prompts", ...name.split("/")) + ext;

describe("lectern pull --format / push", () => {
  it("pulls .prompt files the library renders as the server does, and pushes an edit as a new version", async () => {
    const folder = `files-${uniq()}`;
    const tone = `${folder}/shared/tone`;
    const reply = `${folder}/reply`;
    await createPrompt({ name: tone, type: "text", template: "Be {{mood}}.", variables: [{ name: "mood" }] });
    await createPrompt({
      name: reply,
      description: "Answers a ticket",
      type: "chat",
      template: [
        { role: "system", content: `You help.\n{{> ${tone}}}\n{{#vip}}\nThank them for staying.\n{{/vip}}\n` },
        { role: "user", content: "{{question}}" },
      ],
      variables: [{ name: "question" }, { name: "vip", type: "boolean" }],
      config: { provider: "openai", model: "gpt-4o", temperature: 0.2 },
    });
    const r = repo(folder);

    const pulled = await r.run(["pull", "--format", "dotprompt"]);
    expect(pulled.code, pulled.stderr + pulled.stdout).toBe(0);
    expect(pulled.stdout).toContain(`prompts/${reply}.prompt created (version 1)`);
    const file = readFileSync(fileOf(r.dir, reply, ".prompt"), "utf8");
    // The file is the export endpoint's, byte for byte.
    const exported = await call("GET", `/api/v1/prompts/${enc(reply)}/versions/1/export?format=dotprompt`);
    expect(file).toBe(exported.body);
    const partial = new Dotprompt().parse(readFileSync(fileOf(r.dir, tone, ".prompt"), "utf8")).template;
    const rendered = await new Dotprompt({ partials: { [tone]: partial } }).render(file, {
      input: { question: "Where is my order?", vip: true, mood: "kind" },
    });
    expect(rendered.messages).toEqual([
      { role: "system", content: [{ text: "You help.\nBe kind.\nThank them for staying.\n" }] },
      { role: "user", content: [{ text: "Where is my order?" }] },
    ]);
    expect(rendered.model).toBe("openai/gpt-4o");

    // Pulling again, and pushing untouched files, change nothing.
    const again = await r.run(["pull"]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(fileOf(r.dir, reply, ".prompt"), "utf8")).toBe(file);
    const idle = await r.run(["push"]);
    expect(idle.code, idle.stderr + idle.stdout).toBe(0);
    expect(idle.stdout).toContain("2 files: 2 unchanged");

    writeFileSync(fileOf(r.dir, reply, ".prompt"), file.replace("You help.", "You help, briefly."));
    const pushed = await r.run(["push", "-m", "briefer"]);
    expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);
    expect(pushed.stdout).toContain(`prompts/${reply}.prompt updated (version 1 → 2)`);
    expect(readFileSync(fileOf(r.dir, reply, ".prompt"), "utf8")).toContain("lectern.version: 2");
    const v2 = await call("GET", `/api/v1/prompts/${enc(reply)}/versions/2`);
    expect(v2.body.commitMessage).toBe("briefer");
    expect(v2.body.template[0].content).toBe(
      `You help, briefly.\n{{> ${tone}}}\n{{#vip}}\nThank them for staying.\n{{/vip}}\n`,
    );
    expect(v2.body.config).toEqual({ provider: "openai", model: "gpt-4o", temperature: 0.2 });
  });

  it("pulls .prompt.yml files, pushes a new one as a prompt, and reports a prompt the format cannot carry", async () => {
    const folder = `files-${uniq()}`;
    const summary = `${folder}/summary`;
    const dev = `${folder}/dev`;
    await createPrompt({
      name: summary,
      type: "text",
      template: "Summarize: {{input}}",
      variables: [{ name: "input" }],
    });
    await createPrompt({ name: dev, type: "chat", template: [{ role: "developer", content: "Be terse." }] });
    const r = repo(folder);

    const pulled = await r.run(["pull", "--format", "prompt.yml"]);
    expect(pulled.code).toBe(1); // one prompt could not be written
    expect(pulled.stderr + pulled.stdout).toMatch(/dev.*role developer/s);
    expect(existsSync(fileOf(r.dir, dev, ".prompt.yml"))).toBe(false);
    const yml = YAML.parse(readFileSync(fileOf(r.dir, summary, ".prompt.yml"), "utf8"));
    expect(yml.messages).toEqual([{ role: "user", content: "Summarize: {{input}}" }]);

    const fresh = `${folder}/greeting`;
    writeFileSync(
      fileOf(r.dir, fresh, ".prompt.yml"),
      "name: Greeting\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: system\n    content: You greet.\n  - role: user\n    content: 'Hi, I am {{who}}'\n",
    );
    const pushed = await r.run(["push"]);
    expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);
    expect(pushed.stdout).toContain(`prompts/${fresh}.prompt.yml created (version 1)`);
    const created = await call("GET", `/api/v1/prompts/${enc(fresh)}`);
    expect(created.body.latestVersion).toMatchObject({
      type: "chat",
      config: { provider: "openai", model: "gpt-4o-mini" },
    });
    expect(readFileSync(fileOf(r.dir, fresh, ".prompt.yml"), "utf8")).toMatch(/^# lectern: version 1\n/);
  });

  it("refuses an unknown --format", async () => {
    const r = repo(`files-${uniq()}`);
    const bad = await r.run(["pull", "--format", "docx"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be yaml, dotprompt or prompt.yml/);
  });
});

describe("lectern import <name>.prompt.yml", () => {
  it("imports the file with its tests: the dataset and its scorers are there for a run, its name kept", async () => {
    const folder = `yml-import-${uniq()}`;
    const r = repo(folder);
    const name = `${folder}/quiz`;
    writeFileSync(
      path.join(r.dir, "quiz.prompt.yml"),
      [
        "name: Capital Quiz",
        "model: openai/gpt-4o-mini",
        "messages:",
        "  - role: user",
        '    content: "Capital of {{country}}?"',
        "testData:",
        "  - country: France",
        "    expected: Paris",
        "evaluators:",
        "  - name: as expected",
        "    string:",
        '      equals: "{{expected}}"',
        "",
      ].join("\n"),
    );
    const first = await r.run(["import", "quiz.prompt.yml", "--name", name]);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain(`+ ${name} created (from quiz.prompt.yml)`);
    expect(first.stdout).toContain(`1 item in the dataset "${name} tests", scored by its 1 evaluator`);
    const ds = await call("GET", `/api/v1/datasets/${enc(`${name} tests`)}`);
    expect(ds.body).toMatchObject({ prompt: name, items: 1 });
    expect(ds.body.scorers.map((s: { name: string }) => s.name)).toEqual(["as expected"]);

    // The same file again changes nothing; a dry run is refused, naming why.
    const again = await r.run(["import", "quiz.prompt.yml", "--name", name]);
    expect(again.stdout).toContain(`✓ ${name} unchanged`);
    const dry = await r.run(["import", "quiz.prompt.yml", "--dry-run"]);
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toContain("a prompt file's import has no dry run");
  });
});
