// langfuse-js's own prompt tests against Lectern: creating prompts, getting them, and the client's cache.
import { ChatPromptClient, TextPromptClient } from "@langfuse/client";
import { describe, expect, it, vi } from "vitest";
import { call } from "./client";
import { expectLoggedFailure, langfuse, promptApi, runtimeKey, uniqueName, withLangfuseClient } from "./langfuse-setup";

withLangfuseClient();

// Langfuse's JS SDK end-to-end prompt tests (langfuse-js tests/e2e/prompts.e2e.test.ts), with the real
// client pointed at Lectern. Names get a unique suffix (the tests share one project); tests of the client
// alone (Langchain conversion, compile() of hand-made clients, a mocked fetch) need no server and are
// left out, as are the ones written to pass whatever happens (docs/langfuse.md lists them).
describe("Langfuse Prompts E2E (langfuse-js), against Lectern: create, get, cache", () => {
  const n = uniqueName;

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
});
