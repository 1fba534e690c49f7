// langfuse-js's own prompt tests against Lectern: fallbacks, stored data, labels, odd names and versions, composition.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { call } from "./client";
import { expectLoggedFailure, langfuse, promptApi, runtimeKey, uniqueName, withLangfuseClient } from "./langfuse-setup";

withLangfuseClient();

// Langfuse's JS SDK end-to-end prompt tests (langfuse-js tests/e2e/prompts.e2e.test.ts), with the real
// client pointed at Lectern. Names get a unique suffix (the tests share one project); tests of the client
// alone (Langchain conversion, compile() of hand-made clients, a mocked fetch) need no server and are
// left out, as are the ones written to pass whatever happens (docs/langfuse.md lists them).
describe("Langfuse Prompts E2E (langfuse-js), against Lectern: fallbacks, data, names, composition", () => {
  const n = uniqueName;

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
      expect((await langfuse.prompt.get(name, { label: "experimental" })).version).toBe(staging.version);
      await expectLoggedFailure(langfuse.prompt.get(name), 404);
      // "staging" is an environment and serves it; "experimental" is none: it is kept as a version label.
      const envs = (await call("GET", "/api/v1/environments")).body.data as { name: string }[];
      expect(envs.map((e) => e.name)).not.toContain("experimental");
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
