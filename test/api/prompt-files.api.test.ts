// Prompt files over HTTP: a version exported as a .prompt file renders in the dotprompt library as the
// server's resolve renders it; a .prompt file imported renders on the server as the library renders it;
// a .prompt.yml export parses and holds the messages; refusals name the construct.
import { Dotprompt } from "dotprompt";
import YAML from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { newRuntimeKey, uniq } from "./runtime-setup";

const enc = encodeURIComponent;
let runtimeKey: string;
beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
});

async function create(body: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts", { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}
async function live(name: string, version = 1) {
  const r = await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, {
    body: { environment: "production", version },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}
async function exported(name: string, version: number, format: string) {
  const r = await fetchFile(`/api/v1/prompts/${enc(name)}/versions/${version}/export?format=${format}`);
  expect(r.status, r.text).toBe(200);
  return r;
}
async function fetchFile(path: string) {
  const res = await call("GET", path);
  return {
    status: res.status,
    text: typeof res.body === "string" ? res.body : JSON.stringify(res.body),
    headers: res.headers,
  };
}
/** The server's render, as the library's shape (text parts). */
async function served(name: string, variables: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { name, variables } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const rendered = r.body.rendered as string | { role: string; content: string }[];
  return typeof rendered === "string"
    ? [{ role: "user", content: [{ text: rendered }] }]
    : rendered.map((m) => ({ role: m.role === "assistant" ? "model" : m.role, content: [{ text: m.content }] }));
}
const body = (source: string) => new Dotprompt().parse(source).template;

describe("GET …/versions/{v}/export?format=dotprompt", () => {
  it("renders in the dotprompt library as the server renders it, with the model and its config", async () => {
    const folder = `files-${uniq()}`;
    const tone = `${folder}/tone`;
    const reply = `${folder}/reply`;
    await create({ name: tone, type: "text", template: "Speak {{style}}.", variables: [{ name: "style" }] });
    await create({
      name: reply,
      type: "chat",
      template: [
        {
          role: "system",
          content: `You help {{company}}.\n{{> ${tone}}}\n{{#premium}}\nOffer the discount.\n{{/premium}}\n`,
        },
        { role: "user", content: "{{#items}}- {{name}}\n{{/items}}{{question}}" },
      ],
      variables: [
        { name: "company" },
        { name: "premium", type: "boolean" },
        { name: "items", type: "json" },
        { name: "question" },
      ],
      config: { provider: "openai", model: "gpt-4o", temperature: 0.2, maxTokens: 300 },
    });
    await live(tone);
    await live(reply);

    const file = await exported(reply, 1, "dotprompt");
    expect(file.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="reply.prompt"');
    const partial = body((await exported(tone, 1, "dotprompt")).text);
    const dp = new Dotprompt({ partials: { [tone]: partial } });
    for (const variables of [
      { company: "Acme", premium: true, items: [{ name: "a" }, { name: "b" }], question: "Where?", style: "plainly" },
      { company: "Initech", premium: false, items: [], question: "Why?", style: "kindly" },
    ]) {
      const theirs = await dp.render(file.text, { input: variables });
      expect(theirs.messages).toEqual(await served(reply, variables));
      expect(theirs.model).toBe("openai/gpt-4o");
      expect(theirs.config).toEqual({ temperature: 0.2, maxOutputTokens: 300 });
    }
  });

  it("answers 422 naming what Dotprompt cannot carry, 400 for an unknown format", async () => {
    const name = `files-${uniq()}/dev`;
    await create({ name, type: "chat", template: [{ role: "developer", content: "Be terse." }] });
    const r = await call("GET", `/api/v1/prompts/${enc(name)}/versions/1/export?format=dotprompt`);
    expect(r.status).toBe(422);
    expect(errorCode(r)).toBe("unprocessable");
    expect(r.body.error.details).toMatchObject({
      construct: "role",
      field: "template.messages[0]",
      format: "Dotprompt",
    });
    expect(r.body.error.message).toMatch(/developer/);
    const bad = await call("GET", `/api/v1/prompts/${enc(name)}/versions/1/export?format=docx`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/format must be "dotprompt" or "prompt.yml"/);
  });
});

describe("GET …/versions/{v}/export?format=prompt.yml", () => {
  it("parses as YAML and holds the messages with {{var}}, the model and modelParameters", async () => {
    const name = `files-${uniq()}/summary`;
    await create({
      name,
      description: "Summaries",
      type: "chat",
      template: [
        { role: "system", content: "You summarize." },
        { role: "user", content: "Summarize: {{input}}" },
      ],
      variables: [{ name: "input" }],
      config: { provider: "openai", model: "gpt-4o-mini", temperature: 0.5 },
    });
    const file = await exported(name, 1, "prompt.yml");
    expect(file.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="summary.prompt.yml"');
    expect(YAML.parse(file.text)).toEqual({
      name,
      description: "Summaries",
      model: "openai/gpt-4o-mini",
      modelParameters: { temperature: 0.5 },
      messages: [
        { role: "system", content: "You summarize." },
        { role: "user", content: "Summarize: {{input}}" },
      ],
    });
  });
});

describe("POST /api/v1/prompts/import", () => {
  it("creates a prompt that renders as the library renders the file, then a version, then nothing", async () => {
    const name = `files-${uniq()}/import`;
    const source = [
      "---",
      "model: openai/gpt-4o-mini",
      "config:",
      "  temperature: 0.1",
      "input:",
      "  schema:",
      "    topic: string",
      "    tips(array): string",
      "    formal?: boolean",
      "---",
      '{{role "system"}}',
      "{{#if formal}}Be formal.{{else}}Be casual.{{/if}}",
      '{{role "user"}}',
      "Write about {{topic}}.{{#each tips}}\n- {{this}}{{/each}}",
    ].join("\n");
    const r = await call("POST", "/api/v1/prompts/import", { body: { format: "dotprompt", name, source } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ created: true, unchanged: false, version: { version: 1, type: "chat" } });
    expect(r.body.version.config).toEqual({ provider: "openai", model: "gpt-4o-mini", temperature: 0.1 });
    await live(name);
    for (const input of [
      { topic: "tides", tips: ["short", "clear"], formal: true },
      { topic: "owls", tips: [], formal: false },
    ]) {
      const theirs = await new Dotprompt().render(source, { input });
      expect(await served(name, input)).toEqual(theirs.messages);
    }

    const again = await call("POST", "/api/v1/prompts/import", { body: { format: "dotprompt", name, source } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, unchanged: true, version: { version: 1 } });
    const edited = await call("POST", "/api/v1/prompts/import", {
      body: {
        format: "dotprompt",
        name,
        source: source.replace("Write about", "Write briefly about"),
        commitMessage: "briefer",
      },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(201);
    expect(edited.body.version).toMatchObject({ version: 2, commitMessage: "briefer" });
    const history = await call("GET", `/api/v1/prompts/${enc(name)}/versions`);
    expect(history.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it("reads a .prompt.yml; refuses a construct with 422 naming it and writes nothing", async () => {
    const name = `files-${uniq()}/yml`;
    const yml = `name: ${name}\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: 'Hi {{who}}'\n`;
    const r = await call("POST", "/api/v1/prompts/import", { body: { format: "prompt.yml", source: yml } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.prompt.name).toBe(name);
    expect(r.body.version).toMatchObject({ type: "text", template: "Hi {{who}}" });

    const refused = `files-${uniq()}/eq`;
    const bad = await call("POST", "/api/v1/prompts/import", {
      body: { format: "dotprompt", name: refused, source: "{{#ifEquals a b}}same{{/ifEquals}}" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toMatchObject({ construct: "ifEquals" });
    expect((await call("GET", `/api/v1/prompts/${enc(refused)}`)).status).toBe(404);
  });
});
