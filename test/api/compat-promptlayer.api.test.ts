// PromptLayer's own npm client (`promptlayer`) against a running Lectern, unchanged but for its base URL and
// key: templates.get by release label (an environment), by version and the newest, rendered with
// input_variables as PromptLayer renders (f-string and jinja2, also by the client's own renderer in its cache
// mode), templates.all, templates.publish (and its refusal into an environment that needs a review), folders in
// the path, and PromptLayer's error shape.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./client";
import { apiKey, chatPrompt, client, deploy, plBaseUrl, texts, uniqueName } from "./compat-promptlayer-setup";

let runtimeKey = "";
let adminKey = "";
const chat = uniqueName("pl-chat");
const folder = `${uniqueName("pl-team")}/support/reply`;

beforeAll(async () => {
  runtimeKey = await apiKey({ scope: "runtime" });
  adminKey = await apiKey({ scope: "admin" });
  await chatPrompt(chat);
  const text = await call("POST", "/api/v1/prompts", {
    body: { name: folder, type: "text", template: "Reply to {{customer}}.", variables: [{ name: "customer" }] },
  });
  expect(text.status, JSON.stringify(text.body)).toBe(201);
  await deploy(folder, "production", 1);
});

describe("templates.get", () => {
  it("answers what an environment serves for a release label, in PromptLayer's shape", async () => {
    const t = (await client(runtimeKey).templates.get(chat, { label: "production" }))!;
    expect(t).toMatchObject({ prompt_name: chat, version: 1, commit_message: "Initial version" });
    expect(typeof t.id).toBe("number");
    expect(t.prompt_template).toMatchObject({
      type: "chat",
      input_variables: ["tone", "question"],
      messages: [
        { role: "system", template_format: "f-string", input_variables: ["tone"] },
        { role: "user", template_format: "f-string", input_variables: ["question"] },
      ],
    });
    // Lectern's {{tone}} is PromptLayer's {tone}; a literal brace is doubled, as str.format reads it.
    expect(texts(t.prompt_template)).toEqual([
      "You are a {tone} support agent. Braces stay: {{json}}.",
      "Question: {question}",
    ]);
    expect(t.metadata!.model).toMatchObject({
      provider: "openai",
      name: "gpt-4o",
      parameters: { temperature: 0.2, max_tokens: 100 },
    });
    expect(t.llm_kwargs).toMatchObject({ model: "gpt-4o", temperature: 0.2, max_tokens: 100 });
    expect((t.llm_kwargs!.messages as unknown[]).length).toBe(2);
    expect((await client(runtimeKey).templates.get(chat, { label: "staging" }))!.version).toBe(2);
  });

  it("answers a version by number, and the newest version without label or version", async () => {
    const pl = client(runtimeKey);
    expect((await pl.templates.get(chat, { version: 1 }))!.version).toBe(1);
    const newest = (await pl.templates.get(chat))!;
    expect(newest.version).toBe(2);
    expect(texts(newest.prompt_template)[1]).toBe("Q: {question}");
  });

  it("renders with input_variables, on the server and by the client's own renderer (its cache)", async () => {
    const input_variables = { tone: "calm", question: "Where is {my} order?" };
    const rendered = (await client(runtimeKey).templates.get(chat, { label: "production", input_variables }))!;
    const expected = ["You are a calm support agent. Braces stay: {json}.", "Question: Where is {my} order?"];
    expect(texts(rendered.prompt_template)).toEqual(expected);
    const llm = rendered.llm_kwargs!.messages as { content: string }[];
    expect(llm.map((m) => m.content)).toEqual(expected);
    // The cache mode asks for the unrendered template and renders it with PromptLayer's own f-string renderer.
    const cached = (await client(runtimeKey, { cacheTtlSeconds: 60 }).templates.get(chat, {
      label: "production",
      input_variables: { tone: "calm", question: "Where is my order?" },
    }))!;
    expect(texts(cached.prompt_template)[1]).toBe("Question: Where is my order?");
  });

  it("writes a template f-string cannot carry in jinja2, which PromptLayer's own renderer renders the same", async () => {
    const name = uniqueName("pl-jinja");
    const made = await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "text",
        template: "Hello {{name}}.{{#vip}} Welcome back!{{/vip}}",
        variables: [{ name: "name" }, { name: "vip", type: "boolean" }],
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await deploy(name, "production", 1);
    const raw = (await client(runtimeKey).templates.get(name, { label: "production" }))!;
    expect(raw.prompt_template).toMatchObject({ type: "completion", template_format: "jinja2" });
    const input_variables = { name: "Ana", vip: true };
    const text = async (cacheTtlSeconds: number) => {
      const t = (await client(runtimeKey, { cacheTtlSeconds }).templates.get(name, {
        label: "production",
        input_variables,
      }))!;
      return (t.prompt_template as { content: { text: string }[] }).content[0]!.text;
    };
    // Rendered by Lectern, and by the client's nunjucks from the jinja2 text.
    expect(await text(0)).toBe("Hello Ana. Welcome back!");
    expect(await text(60)).toBe("Hello Ana. Welcome back!");
  });

  it("takes a folder's name as PromptLayer's client sends it: unencoded in the path", async () => {
    const t = (await client(runtimeKey).templates.get(folder, {
      label: "production",
      input_variables: { customer: "Ana" },
    }))!;
    expect(t).toMatchObject({ prompt_name: folder, prompt_template: { type: "completion" } });
    expect((t.prompt_template as { content: { text: string }[] }).content[0]!.text).toBe("Reply to Ana.");
    // The Python client encodes it (%2F): the same prompt.
    const encoded = await fetch(`${plBaseUrl}/prompt-templates/${encodeURIComponent(folder)}`, {
      method: "POST",
      headers: { "x-api-key": runtimeKey, "content-type": "application/json" },
      body: JSON.stringify({ api_key: runtimeKey }),
    });
    expect([encoded.status, ((await encoded.json()) as { prompt_name: string }).prompt_name]).toEqual([200, folder]);
  });

  it("refuses in PromptLayer's error shape, which its client reads", async () => {
    await expect(client(runtimeKey).templates.get(`${chat}-missing`, { label: "production" })).rejects.toThrow(
      /No prompt named/,
    );
    await expect(client(runtimeKey).templates.get(chat, { label: "prod" })).rejects.toThrow(/No release label prod/);
    const r = await fetch(`${plBaseUrl}/prompt-templates/${chat}`, {
      method: "POST",
      headers: { "x-api-key": "nope" },
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ success: false, message: "Invalid API key.", error: "unauthorized" });
  });
});

describe("templates.all", () => {
  it("lists each prompt's newest version, or what a release label's environment serves", async () => {
    const pl = client(runtimeKey);
    // The shared server holds every other test's prompts too: read every page, as a client listing all would,
    // to the first empty one (a page may hold fewer than per_page: a version f-string and jinja2 cannot carry is
    // left out of its page).
    const every = async (label?: string) => {
      const out: Awaited<ReturnType<typeof pl.templates.all>> = [];
      for (let page = 1; page < 1000; page++) {
        const items = await pl.templates.all({ page, per_page: 100, ...(label ? { label } : {}) });
        if (!items.length) break;
        out.push(...items);
      }
      return out;
    };
    const staged = await every("staging");
    expect(staged.find((t) => t.prompt_name === chat)?.version).toBe(2);
    expect(staged.find((t) => t.prompt_name === folder)).toBeUndefined();
    const all = await every();
    expect(all.find((t) => t.prompt_name === folder)).toMatchObject({
      version: 1,
      prompt_template: { type: "completion" },
    });
  });
});

describe("templates.publish", () => {
  it("creates a version through the registry, its release labels through the release plan", async () => {
    const name = uniqueName("pl-published");
    const body = {
      prompt_name: name,
      prompt_template: {
        type: "chat" as const,
        messages: [
          { role: "system" as const, content: [{ type: "text" as const, text: "Be {style}." }] },
          {
            role: "user" as const,
            template_format: "jinja2" as const,
            content: [{ type: "text" as const, text: "Hello {{ name }}" }],
          },
        ],
      },
      commit_message: "from PromptLayer",
      metadata: { model: { provider: "openai", name: "gpt-4o-mini", parameters: { temperature: 0.5 } } },
      release_labels: ["staging", "approved"],
    };
    const published = await client(adminKey).templates.publish(body);
    // "approved" names no environment: a version label, fetched by like a release label.
    expect((await client(runtimeKey).templates.get(name, { label: "approved" }))!.version).toBe(1);
    expect(published).toMatchObject({ prompt_name: name, commit_message: "from PromptLayer" });
    const resolved = await call("POST", "/api/v1/prompts/resolve", {
      body: { name, environment: "staging", variables: { style: "brief", name: "Ana" } },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.rendered).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello Ana" },
    ]);
    expect(resolved.body.config).toMatchObject({ provider: "openai", model: "gpt-4o-mini", temperature: 0.5 });
    const again = (await client(runtimeKey).templates.get(name, {
      label: "staging",
      input_variables: { style: "brief", name: "Ana" },
    }))!;
    expect(texts(again.prompt_template)).toEqual(["Be brief.", "Hello Ana"]);
  });

  it("is refused into an environment that needs a review, naming what is missing; nothing is written", async () => {
    const env = uniqueName("pl-guarded").toLowerCase();
    const made = await call("POST", "/api/v1/environments", { body: { name: env, requiresReview: true } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const name = uniqueName("pl-guard");
    const body = {
      prompt_name: name,
      prompt_template: { type: "completion" as const, content: [{ type: "text" as const, text: "Hi {who}" }] },
      release_labels: [env],
    };
    await expect(client(adminKey).templates.publish(body)).rejects.toThrow(
      new RegExp(`${env} requires an approved review`),
    );
    expect((await call("GET", `/api/v1/prompts/${name}`)).status).toBe(404);
    // A runtime key may read but not publish.
    await expect(client(runtimeKey).templates.publish({ ...body, release_labels: [] })).rejects.toThrow(/admin/);
  });
});
