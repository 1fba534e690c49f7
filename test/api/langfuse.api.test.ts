// Langfuse users switch by changing a base URL: the official @langfuse/client fetches Lectern prompts.
import { randomBytes } from "node:crypto";
import { ChatPromptClient, LangfuseClient, TextPromptClient } from "@langfuse/client";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { baseUrl, call } from "./client";

let publicId = "";
let runtimeKey = "";
let adminKey = "";

beforeAll(async () => {
  publicId = (await call("GET", "/api/v1/project")).body.publicId;
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: "langfuse runtime", scope: "runtime" } })).body
    .key;
  adminKey = (await call("POST", "/api/v1/api-keys", { body: { name: "langfuse admin", scope: "admin" } })).body.key;
});

/**
 * Runs a call that is expected to fail inside the Langfuse client, which also logs the failure with a
 * full stack trace: the log is captured (and checked to be that failure) instead of printed, so a
 * real failure stands out in the test output.
 */
async function expectLoggedFailure(call: Promise<unknown>, status: number) {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await expect(call).rejects.toThrow();
    expect(logged.mock.calls.map((args) => args.map(String).join(" ")).join("\n")).toMatch(
      new RegExp(`Error fetching prompt[\\s\\S]*Status code: ${status}`),
    );
  } finally {
    logged.mockRestore();
  }
}

describe("@langfuse/client against Lectern", () => {
  it("gets a text prompt by label (environment), compiles it, and sees partials inlined", async () => {
    const partial = `lf-part-${randomBytes(3).toString("hex")}`;
    await call("POST", "/api/v1/prompts", { body: { name: partial, type: "text", template: "Be kind." } });
    await call("POST", `/api/v1/prompts/${partial}/deployments`, { body: { environment: "staging", version: 1 } });
    const name = `lf-${randomBytes(3).toString("hex")}`;
    await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "text",
        template: `Hi {{name}}. {{> ${partial}}}`,
        variables: [{ name: "name" }],
        config: { model: "gpt-4o-mini" },
      },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } });

    const langfuse = new LangfuseClient({ publicKey: publicId, secretKey: runtimeKey, baseUrl });
    const prompt = await langfuse.prompt.get(name, { label: "staging", cacheTtlSeconds: 0 });
    expect(prompt.version).toBe(1);
    expect(prompt.labels).toContain("staging");
    expect(prompt.config).toEqual({ model: "gpt-4o-mini" });
    expect(prompt.compile({ name: "Ann" })).toBe("Hi Ann. Be kind.");
  });

  it("gets chat prompts, pinned versions and 'latest'; unknown prompts throw", async () => {
    const name = `lf-chat-${randomBytes(3).toString("hex")}`;
    await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "chat",
        template: [{ role: "system", content: "You help {{who}}." }],
        variables: [{ name: "who" }],
      },
    });
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: [{ role: "system", content: "You assist {{who}}." }], variables: [{ name: "who" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } });
    const langfuse = new LangfuseClient({ publicKey: publicId, secretKey: runtimeKey, baseUrl });
    const prod = await langfuse.prompt.get(name, { type: "chat", cacheTtlSeconds: 0 });
    expect(prod.version).toBe(1);
    expect(prod.compile({ who: "Bo" })).toEqual([{ role: "system", content: "You help Bo." }]);
    expect((await langfuse.prompt.get(name, { version: 2, type: "chat", cacheTtlSeconds: 0 })).version).toBe(2);
    expect((await langfuse.prompt.get(name, { label: "latest", type: "chat", cacheTtlSeconds: 0 })).version).toBe(2);
    await expectLoggedFailure(
      langfuse.prompt.get(`missing-${randomBytes(3).toString("hex")}`, { cacheTtlSeconds: 0 }),
      404,
    );
  });

  it("creates prompts and new versions with labels, and lists them; a wrong public id is refused", async () => {
    const name = `lf-new-${randomBytes(3).toString("hex")}`;
    const admin = new LangfuseClient({ publicKey: publicId, secretKey: adminKey, baseUrl });
    const created = await admin.prompt.create({
      name,
      prompt: "Summarise {{text}}",
      labels: ["staging"],
      config: { temperature: 0 },
    });
    expect(created.version).toBe(1);
    const second = await admin.prompt.create({ name, prompt: "Summarise briefly {{text}}", labels: ["production"] });
    expect(second.version).toBe(2);
    const live = await admin.prompt.get(name, { cacheTtlSeconds: 0 });
    expect(live.version).toBe(2);
    expect(live.compile({ text: "x" })).toBe("Summarise briefly x");
    const list = await admin.api.prompts.list({ name });
    expect(list.data[0]).toMatchObject({ name, versions: [1, 2] });
    expect(list.data[0]!.labels).toEqual(expect.arrayContaining(["staging", "production", "latest"]));

    const wrong = new LangfuseClient({ publicKey: "pk-lt-wrong", secretKey: runtimeKey, baseUrl });
    await expectLoggedFailure(wrong.prompt.get(name, { cacheTtlSeconds: 0 }), 401);
  });

  it("a create is all or nothing: a label refused by a promotion rule leaves no version and no deployment", async () => {
    const gated = `gated-${randomBytes(3).toString("hex")}`;
    expect((await call("POST", "/api/v1/environments", { body: { name: gated, requiresReview: true } })).status).toBe(
      201,
    );
    const name = `lf-atomic-${randomBytes(3).toString("hex")}`;
    const basic = `Basic ${Buffer.from(`${publicId}:${adminKey}`).toString("base64")}`;
    const res = await call("POST", "/api/public/v2/prompts", {
      key: null,
      headers: { authorization: basic },
      body: { name, type: "text", prompt: "Hello {{who}}", labels: ["staging", gated] },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toMatchObject({ rule: "requiresReview", environment: gated });
    expect((await call("GET", `/api/v1/prompts/${name}`)).status).toBe(404);
    const existing = `lf-atomic2-${randomBytes(3).toString("hex")}`;
    await call("POST", "/api/v1/prompts", { body: { name: existing, type: "text", template: "v1" } });
    const again = await call("POST", "/api/public/v2/prompts", {
      key: null,
      headers: { authorization: basic },
      body: { name: existing, type: "text", prompt: "v2", labels: ["staging", gated] },
    });
    expect(again.status).toBe(409);
    const after = (await call("GET", `/api/v1/prompts/${existing}`)).body;
    expect(after.prompt.latestVersion).toBe(1);
    expect(after.environments.staging).toBeNull();
  });

  it("a chat create with a string prompt is a 400 naming the field, not a 500", async () => {
    const basic = `Basic ${Buffer.from(`${publicId}:${adminKey}`).toString("base64")}`;
    const res = await call("POST", "/api/public/v2/prompts", {
      key: null,
      headers: { authorization: basic },
      body: { name: `lf-bad-${randomBytes(3).toString("hex")}`, type: "chat", prompt: "hello" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: "invalid_input",
      message: 'prompt must be a list of messages when type is "chat"',
      details: { field: "prompt" },
    });
  });
});

describe("an environment-limited key on the Langfuse routes", () => {
  it("lists only prompts, versions, labels and configs it may read", async () => {
    const tag = `lim-${randomBytes(3).toString("hex")}`;
    const seen = `${tag}-seen`;
    const hidden = `${tag}-hidden`;
    for (const name of [seen, hidden]) {
      await call("POST", "/api/v1/prompts", {
        body: { name, type: "text", template: "v1", tags: [tag], config: { model: "public-model" } },
      });
      await call("POST", `/api/v1/prompts/${name}/versions`, {
        body: { template: "v2 secret draft", config: { model: "secret-model" } },
      });
    }
    await call("POST", `/api/v1/prompts/${seen}/deployments`, { body: { environment: "development", version: 1 } });
    await call("POST", `/api/v1/prompts/${hidden}/deployments`, { body: { environment: "staging", version: 2 } });
    const limited = (
      await call("POST", "/api/v1/api-keys", {
        body: { name: "dev only", scope: "runtime", environments: ["development"] },
      })
    ).body.key as string;
    const basic = `Basic ${Buffer.from(`${publicId}:${limited}`).toString("base64")}`;
    const list = await call("GET", `/api/public/v2/prompts?tag=${tag}`, {
      key: null,
      headers: { authorization: basic },
    });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        name: seen,
        versions: [1],
        labels: ["development"],
        lastConfig: { model: "public-model" },
      }),
    ]);
    expect(list.body.meta.totalItems).toBe(1);
    expect(JSON.stringify(list.body)).not.toMatch(/secret|staging|latest/);
    // One prompt by name: its labels are only those the key may read too.
    const one = await call("GET", `/api/public/v2/prompts/${seen}?label=development`, {
      key: null,
      headers: { authorization: basic },
    });
    expect([one.status, one.body.labels]).toEqual([200, ["development"]]);
  });
});

// Langfuse's JS SDK end-to-end prompt tests (langfuse-js tests/e2e/prompts.e2e.test.ts), with the real
// client pointed at Lectern. Names get a unique suffix (the tests share one project); tests of the client
// alone (Langchain conversion, compile() of hand-made clients, a mocked fetch) need no server and are
// left out, as are the ones written to pass whatever happens (docs/langfuse.md lists them).
/** The client's own API object, as Langfuse's tests spy on it (private in its types). */
const promptApi = (client: LangfuseClient) =>
  (client.prompt as unknown as { apiClient: { prompts: { get: (...args: unknown[]) => Promise<unknown> } } }).apiClient
    .prompts;

describe("Langfuse Prompts E2E (langfuse-js), against Lectern", () => {
  let langfuse: LangfuseClient;
  const n = (name: string) => `${name}-${randomBytes(3).toString("hex")}`;

  beforeAll(() => {
    langfuse = new LangfuseClient({ publicKey: publicId, secretKey: adminKey, baseUrl });
  });

  it("should create a prompt", async () => {
    const name = n("test-prompt");
    const created = await langfuse.prompt.create({
      name,
      prompt: "This is a prompt with a {{variable}}",
      labels: ["production"],
      config: { temperature: 0.5 },
    });
    expect(created).toBeInstanceOf(TextPromptClient);
    expect(created.name).toBe(name);
    expect(created.prompt).toBe("This is a prompt with a {{variable}}");
    expect(created.config).toEqual({ temperature: 0.5 });
    expect(created.labels).toContain("production");
    expect(created.type).toBe("text");
  });

  it("should create a chat prompt", async () => {
    const created = await langfuse.prompt.create({
      name: n("test-chat-prompt"),
      type: "chat",
      prompt: [{ role: "system", content: "This is a prompt with a {{variable}}" }],
      labels: ["production"],
      config: { temperature: 0.5 },
    });
    expect(created).toBeInstanceOf(ChatPromptClient);
    expect(created.type).toBe("chat");
    expect(created.config).toEqual({ temperature: 0.5 });
    expect(created.prompt).toHaveLength(1);
    expect(created.prompt[0]).toMatchObject({
      type: "chatmessage",
      role: "system",
      content: "This is a prompt with a {{variable}}",
    });
  });

  it("should create a chat prompt with placeholders, and compile() fills them", async () => {
    const name = n("test-prompt-placeholder");
    const created = await langfuse.prompt.create({
      name,
      type: "chat",
      prompt: [
        { role: "system", content: "This is a prompt with a {{variable}}" },
        { type: "placeholder", name: "history" },
        { role: "assistant", content: "Hi {{name}}" },
      ],
      labels: ["production"],
      config: { temperature: 0.5 },
    });
    expect(created.prompt).toHaveLength(3);
    expect(created.prompt[1]).toMatchObject({ type: "placeholder", name: "history" });
    const fetched = await langfuse.prompt.get(name, { type: "chat", cacheTtlSeconds: 0 });
    expect(fetched.prompt[1]).toMatchObject({ type: "placeholder", name: "history" });
    expect(
      fetched.compile({ variable: "test", name: "Ann" }, { history: [{ role: "user", content: "Earlier" }] }),
    ).toEqual([
      { role: "system", content: "This is a prompt with a test" },
      { role: "user", content: "Earlier" },
      { role: "assistant", content: "Hi Ann" },
    ]);
    // Lectern's own resolve takes the same messages under the placeholder's name.
    const resolved = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { variable: "x", name: "Bo", history: [{ role: "user", content: "Earlier" }] } },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.rendered).toEqual([
      { role: "system", content: "This is a prompt with a x" },
      { role: "user", content: "Earlier" },
      { role: "assistant", content: "Hi Bo" },
    ]);
  });

  it("should create prompt with tags", async () => {
    const created = await langfuse.prompt.create({
      name: n("test-prompt-tags"),
      prompt: "This is a prompt with a {{variable}}",
      tags: ["tag1", "tag2"],
    });
    expect(created).toBeInstanceOf(TextPromptClient);
    expect(created.tags).toEqual(["tag1", "tag2"]);
  });

  it("should get a prompt by name only (get and getPrompt)", async () => {
    const name = n("test-get-prompt");
    await langfuse.prompt.create({
      name,
      prompt: "This is a test prompt with {{variable}}",
      config: { temperature: 0.5 },
      labels: ["production"],
    });
    for (const p of [await langfuse.prompt.get(name), await langfuse.getPrompt(name)]) {
      expect(p).toBeInstanceOf(TextPromptClient);
      expect(p.name).toBe(name);
      expect(p.prompt).toBe("This is a test prompt with {{variable}}");
      expect(p.config).toEqual({ temperature: 0.5 });
    }
  });

  it("should get a prompt with name and version", async () => {
    const name = n("test-get-prompt-version");
    const created = await langfuse.prompt.create({ name, prompt: "This is version 1", config: { temperature: 0.5 } });
    const p = await langfuse.prompt.get(name, { version: created.version });
    expect(p.version).toBe(created.version);
    expect(p.prompt).toBe("This is version 1");
  });

  it("should retry if custom request timeout is exceeded; should throw an error if prompt not found", async () => {
    await expectLoggedFailure(
      langfuse.prompt.get(n("non-existent-prompt"), { fetchTimeoutMs: 300, maxRetries: 2 }),
      404,
    );
    await expectLoggedFailure(langfuse.prompt.get(n("non-existent-prompt")), 404);
  });

  it("should fetch and cache a prompt with correct version when not in cache", async () => {
    const name = n("test-cache-prompt-versioned");
    await langfuse.prompt.create({
      name,
      prompt: "cached {{variable}}",
      config: { temperature: 0.7 },
      labels: ["production"],
    });
    await langfuse.prompt.create({ name, prompt: "cached {{variable}}", config: { temperature: 0.7 } });
    expect((await langfuse.prompt.get(name)).version).toBe(1);
    expect((await langfuse.prompt.get(name, { version: 2 })).version).toBe(2);
  });

  it("should return cached prompts (default and custom TTL), and always fetch with cacheTtlSeconds 0", async () => {
    const name = n("test-cached-prompt");
    await langfuse.prompt.create({ name, prompt: "Original prompt", labels: ["production"] });
    const fetches = vi.spyOn(promptApi(langfuse), "get");
    try {
      const a = await langfuse.prompt.get(name);
      const b = await langfuse.prompt.get(name);
      expect([a.version, a.prompt]).toEqual([b.version, b.prompt]);
      expect(fetches).toHaveBeenCalledTimes(1);
      const custom = n("test-custom-ttl");
      await langfuse.prompt.create({ name: custom, prompt: "Custom TTL prompt", labels: ["production"] });
      await langfuse.prompt.get(custom, { cacheTtlSeconds: 60 });
      await langfuse.prompt.get(custom, { cacheTtlSeconds: 60 });
      expect(fetches).toHaveBeenCalledTimes(2);
      await langfuse.prompt.get(name, { cacheTtlSeconds: 0 });
      await langfuse.prompt.get(name, { cacheTtlSeconds: 0 });
      expect(fetches).toHaveBeenCalledTimes(4);
    } finally {
      fetches.mockRestore();
    }
  });

  describe("update method", () => {
    it("should update prompt labels successfully, also adding labels no environment had", async () => {
      const name = n("test-update-prompt");
      const initial = await langfuse.prompt.create({ name, prompt: "Initial prompt content", labels: ["production"] });
      const updated = await langfuse.prompt.update({
        name,
        version: initial.version,
        newLabels: ["production", "staging", "testing"],
      });
      expect(updated.name).toBe(name);
      expect(updated.labels).toEqual(expect.arrayContaining(["production", "staging", "testing"]));
      // "testing" became an environment without rules, and Lectern's own resolve serves it.
      const served = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(name)}&environment=testing`, {
        key: runtimeKey,
      });
      expect([served.status, served.body.version]).toEqual([200, 1]);
    });

    it("should invalidate cache after update; a label leaves the version that held it", async () => {
      const name = n("test-cache-invalidation");
      await langfuse.prompt.create({ name, prompt: "v1", labels: ["production"] });
      const v2 = await langfuse.prompt.create({ name, prompt: "v2" });
      expect((await langfuse.prompt.get(name)).version).toBe(1);
      await langfuse.prompt.update({ name, version: v2.version, newLabels: ["production", "updated"] });
      const fresh = await langfuse.prompt.get(name);
      expect(fresh.version).toBe(2);
      expect(fresh.labels).toEqual(expect.arrayContaining(["production", "updated"]));
      expect((await langfuse.prompt.get(name, { version: 1, cacheTtlSeconds: 0 })).labels).toEqual([]);
    });

    it("should throw error when updating non-existent prompt or wrong version; 'latest' is refused", async () => {
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        await expect(
          langfuse.prompt.update({ name: n("non-existent-prompt"), version: 1, newLabels: ["production"] }),
        ).rejects.toThrow();
        const name = n("test-wrong-version");
        await langfuse.prompt.create({ name, prompt: "Test content", labels: ["production"] });
        await expect(
          langfuse.prompt.update({ name, version: 999, newLabels: ["production", "updated"] }),
        ).rejects.toThrow();
        await expect(langfuse.prompt.update({ name, version: 1, newLabels: ["latest"] })).rejects.toThrow();
      } finally {
        quiet.mockRestore();
      }
    });

    it("a label refused by an environment's rules is an error with a message", async () => {
      const gated = `gated-${randomBytes(3).toString("hex")}`;
      expect((await call("POST", "/api/v1/environments", { body: { name: gated, requiresReview: true } })).status).toBe(
        201,
      );
      const name = n("test-gated-update");
      const created = await langfuse.prompt.create({ name, prompt: "x" });
      const res = await call(
        "PATCH",
        `/api/public/v2/prompts/${encodeURIComponent(name)}/versions/${created.version}`,
        {
          key: null,
          headers: { authorization: `Basic ${Buffer.from(`${publicId}:${adminKey}`).toString("base64")}` },
          body: { newLabels: [gated] },
        },
      );
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: "conflict",
        details: { rule: "requiresReview", environment: gated },
      });
      const runtime = new LangfuseClient({ publicKey: publicId, secretKey: runtimeKey, baseUrl });
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        await expect(runtime.prompt.update({ name, version: 1, newLabels: ["staging"] })).rejects.toThrow();
      } finally {
        quiet.mockRestore();
      }
    });
  });

  describe("delete method", () => {
    it("should delete prompt and invalidate cache", async () => {
      const name = `folder/${n("test-delete-prompt")}`;
      expect(
        (await langfuse.prompt.create({ name, prompt: "This prompt will be deleted", labels: ["production"] })).name,
      ).toBe(name);
      expect((await langfuse.prompt.get(name)).prompt).toBe("This prompt will be deleted");
      const fetches = vi.spyOn(promptApi(langfuse), "get");
      try {
        await langfuse.prompt.delete(name);
        await expectLoggedFailure(langfuse.prompt.get(name), 404);
        expect(fetches).toHaveBeenCalled();
      } finally {
        fetches.mockRestore();
      }
      // Archived, not erased: Lectern's history still has it, its resolve does not serve it.
      expect((await call("GET", `/api/v1/prompts/${encodeURIComponent(name)}/versions/1`)).status).toBe(200);
      const resolved = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(name)}`, {
        key: runtimeKey,
      });
      expect(resolved.status).toBe(404);
    });

    it("should delete specific version and invalidate that version's cache", async () => {
      const name = `folder/subfolder/${n("test-delete-version")}`;
      const v1 = await langfuse.prompt.create({ name, prompt: "Version 1", labels: ["production"] });
      const v2 = await langfuse.prompt.create({ name, prompt: "Version 2", labels: ["staging"] });
      await langfuse.prompt.get(name, { version: v1.version });
      await langfuse.prompt.get(name, { version: v2.version });
      await langfuse.prompt.delete(name, { version: v1.version });
      await expectLoggedFailure(langfuse.prompt.get(name, { version: v1.version }), 404);
      const remaining = await langfuse.prompt.get(name, { version: v2.version });
      expect([remaining.version, remaining.prompt]).toEqual([2, "Version 2"]);
    });

    it("should throw error when deleting non-existent prompt", async () => {
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        await expect(langfuse.prompt.delete(`non-existent/${n("prompt")}`)).rejects.toThrow();
      } finally {
        quiet.mockRestore();
      }
    });
  });

  describe("fallback behavior", () => {
    it("uses the fallback only when the prompt is not found", async () => {
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const text = await langfuse.prompt.get(n("non-existent-fallback-prompt"), {
          fallback: "This is a fallback prompt with {{variable}}",
          type: "text",
        });
        expect([text.isFallback, text.version, text.prompt]).toEqual([
          true,
          0,
          "This is a fallback prompt with {{variable}}",
        ]);
        const chat = await langfuse.prompt.get(n("non-existent-chat-fallback"), {
          fallback: [{ role: "system", content: "You are a helpful assistant" }],
          type: "chat",
        });
        expect(chat.isFallback).toBe(true);
        expect(chat.prompt[0]).toMatchObject({
          type: "chatmessage",
          role: "system",
          content: "You are a helpful assistant",
        });
      } finally {
        quiet.mockRestore();
      }
      const name = n("real-vs-fallback");
      await langfuse.prompt.create({ name, prompt: "Real server prompt", labels: ["production"] });
      const real = await langfuse.prompt.get(name, { fallback: "This is a fallback", type: "text" });
      expect([real.prompt, real.isFallback]).toEqual(["Real server prompt", false]);
    });
  });

  describe("server-side data integrity", () => {
    it("should store and retrieve all prompt fields correctly", async () => {
      const name = n("server-integrity-test");
      const created = await langfuse.prompt.create({
        name,
        prompt: "Server integrity test content with {{variable}}",
        labels: ["production"],
        config: { temperature: 0.8, model: "gpt-4" },
        tags: ["integration", "test"],
      });
      const server = await langfuse.api.prompts.get(name);
      expect(server).toMatchObject({
        name,
        prompt: "Server integrity test content with {{variable}}",
        config: { temperature: 0.8, model: "gpt-4" },
        version: created.version,
      });
      expect(server.labels).toContain("production");
      expect(server.tags).toEqual(expect.arrayContaining(["integration", "test"]));
    });

    it("should maintain data consistency after updates", async () => {
      const name = n("consistency-test");
      const initial = await langfuse.prompt.create({
        name,
        prompt: "Initial content",
        labels: ["production"],
        config: { temperature: 0.5 },
      });
      await langfuse.prompt.update({ name, version: initial.version, newLabels: ["production", "updated"] });
      const server = await langfuse.api.prompts.get(name);
      expect(server.labels).toEqual(expect.arrayContaining(["updated", "production"]));
      expect([server.config, server.prompt]).toEqual([{ temperature: 0.5 }, "Initial content"]);
    });
  });

  describe("custom label handling", () => {
    it("should create and retrieve prompts with custom labels; a prompt without production is not served by default", async () => {
      const name = n("custom-label-test");
      await langfuse.prompt.create({ name, prompt: "Custom label content", labels: ["staging", "experimental"] });
      const staging = await langfuse.prompt.get(name, { label: "staging" });
      expect(staging.labels).toEqual(expect.arrayContaining(["staging", "experimental"]));
      await expectLoggedFailure(langfuse.prompt.get(name), 404);
      const envs =
        (await call("GET", "/api/v1/environments")).body.data ?? (await call("GET", "/api/v1/environments")).body;
      expect(JSON.stringify(envs)).toContain('"experimental"');
    });

    it("should prioritize version over label in cache key", async () => {
      const name = n("version-priority-test");
      const p1 = await langfuse.prompt.create({ name, prompt: "Version 1 content", labels: ["production"] });
      await langfuse.prompt.update({ name, version: p1.version, newLabels: ["staging"] });
      const byVersion = await langfuse.prompt.get(name, { version: p1.version });
      expect([byVersion.prompt, byVersion.version]).toEqual(["Version 1 content", p1.version]);
      expect((await langfuse.prompt.get(name, { label: "staging" })).labels).toContain("staging");
    });
  });

  it("should handle special characters in prompt names: every name Langfuse accepts round-trips", async () => {
    const suffix = randomBytes(3).toString("hex");
    const accepted = [
      "prompt-with-dashes",
      "prompt_with_underscores",
      "prompt.with.dots",
      "prompt with spaces",
      "prompt@with#symbols",
      "prompt/with/slashes",
      "prompt?with=query&chars",
      "prompt[with]brackets",
      "prompt{with}braces",
      "prompt(with)parentheses",
      "prompt+with+plus",
      "prompt\\with\\backslashes",
      'prompt"with"quotes',
      "prompt'with'apostrophes",
      "prompt:with:colons",
      "prompt;with;semicolons",
      "prompt%20encoded",
      "unicode-prompt-名前-тест-🚀",
    ];
    for (const base of accepted) {
      const name = `${base}-${suffix}`;
      await langfuse.prompt.create({ name, prompt: `Test prompt for special name: ${name}`, labels: ["production"] });
      const got = await langfuse.prompt.get(name);
      expect([got.name, got.prompt]).toEqual([name, `Test prompt for special name: ${name}`]);
    }
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const refused of ["prompt|with|pipes", "prompt<with>angles", "a".repeat(500)])
        await expect(langfuse.prompt.create({ name: refused, prompt: "x", labels: ["production"] })).rejects.toThrow();
    } finally {
      quiet.mockRestore();
    }
  });

  it("should handle invalid version numbers and respect maxRetries=0", async () => {
    const fetches = vi.spyOn(promptApi(langfuse), "get");
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(langfuse.prompt.get("test", { version: -1 })).rejects.toThrow();
      fetches.mockClear();
      await expect(
        langfuse.prompt.get(n("non-existent-no-retry-test"), { maxRetries: 0, fetchTimeoutMs: 1000 }),
      ).rejects.toThrow();
      expect(fetches).toHaveBeenCalledTimes(1);
    } finally {
      fetches.mockRestore();
      quiet.mockRestore();
    }
  });

  it("composition: @@@langfusePrompt tags resolve (label and version), raw with resolve=false", async () => {
    const child = n("child tone");
    await langfuse.prompt.create({ name: child, prompt: "Be brief, {{name}}.", labels: ["production"] });
    await langfuse.prompt.create({ name: child, prompt: "Be kind, {{name}}." });
    const parent = n("parent");
    const text = `Rules: @@@langfusePrompt:name=${child}|label=production@@@ / @@@langfusePrompt:name=${child}|version=2@@@`;
    const created = await langfuse.prompt.create({ name: parent, prompt: text, labels: ["production"] });
    expect(created.prompt).toBe(text);
    const got = await langfuse.prompt.get(parent, { cacheTtlSeconds: 0 });
    expect(got.compile({ name: "Ann" })).toBe("Rules: Be brief, Ann. / Be kind, Ann.");
    const raw = await langfuse.api.prompts.get(parent, { resolve: false });
    expect(raw.prompt).toBe(text);
    expect(raw.resolutionGraph).toBeNull();
    const resolved = await langfuse.api.prompts.get(parent);
    expect(Object.values(resolved.resolutionGraph?.dependencies ?? {})[0]).toEqual([
      expect.objectContaining({ name: child, version: 1 }),
      expect.objectContaining({ name: child, version: 2 }),
    ]);
    // The same prompt through Lectern's own resolve: pinned partials, rendered by the server.
    const lectern = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name: parent, variables: { name: "Bo" } },
    });
    expect(lectern.body.rendered).toBe("Rules: Be brief, Bo. / Be kind, Bo.");
  });
});
