// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts: creating a prompt.
import { describe, expect, it } from "vitest";
import { errorCode } from "./client";
import { baseURI, uniq, post, create, get, lf } from "./langfuse-fixture";

describe("/api/public/v2/prompts API Endpoint", () => {
  describe("when creating a prompt", () => {
    const chatMessages = [
      { role: "system", content: "You are a bot" },
      { role: "user", content: "What's up?" },
    ];
    /** What these tests expect of a first version made through the API and labelled production. */
    const firstInProduction = { version: 1, labels: ["production", "latest"], createdBy: "API", config: {} };

    it("should create and fetch a chat prompt", async () => {
      const name = `prompt-name${uniq()}`;
      const commitMessage = "chore: setup initial prompt";
      const response = await post(name, chatMessages, "chat", ["production"], { commitMessage });
      expect(response.status).toBe(201);
      const { body } = await get(name);
      expect(body).toMatchObject({ name, prompt: chatMessages, type: "chat", ...firstInProduction, commitMessage });
    });

    it("should create and fetch a chat prompt with message placeholders", async () => {
      const name = `prompt-name-message-placeholders${uniq()}`;
      const commitMessage = "feat: add message placeholders support";
      const withPlaceholder = [
        { role: "system", content: "You are a helpful assistant with conversation context." },
        { type: "placeholder", name: "conversation_history" },
        { role: "user", content: "{{user_question}}" },
      ];
      const response = await post(name, withPlaceholder, "chat", ["production"], { commitMessage });
      expect(response.status).toBe(201);
      const { body } = await get(name);
      expect(body.prompt).toEqual(withPlaceholder);
      expect(body).toMatchObject({ type: "chat", ...firstInProduction, commitMessage });
      expect(body.prompt[1]).toEqual({ type: "placeholder", name: "conversation_history" });
    });

    it("should fail if chat prompt has string prompt", async () => {
      const name = `prompt-name${uniq()}`;
      const response = await post(name, "prompt", "chat", ["production"]);
      expect(response.status).toBe(400);
      const fetched = await get(name);
      expect(fetched.status).toBe(404);
      expect(errorCode(fetched)).toBe("not_found");
    });

    it("should fail if chat prompt has incorrect messages format", async () => {
      const name = `prompt-name${uniq()}`;
      const prompt = [
        { role: "system", content: "You are a bot" },
        { role: "user", message: "What's up?" },
      ];
      const response = await post(name, prompt, "chat", ["production"]);
      expect(response.status).toBe(400);
      expect((await get(name)).status).toBe(404);
    });

    it("should fail if text prompt has message format", async () => {
      const name = `prompt-name${uniq()}`;
      const response = await post(name, [{ role: "system", content: "You are a bot" }], "text", ["production"]);
      expect(response.status).toBe(400);
      expect((await get(name)).status).toBe(404);
    });

    it("should fail if previous versions have different prompt type", async () => {
      const name = `prompt-name${uniq()}`;
      await create({ name, prompt: chatMessages, labels: ["production"], type: "chat" });
      const second = await post(name, "prompt", "text", ["production"], { version: 2 });
      expect(second.status).toBe(400);
      expect(errorCode(second)).toBe("invalid_input");
      const first = await get(name);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ name, prompt: chatMessages, type: "chat", ...firstInProduction });
      expect((await get(name, "?version=2")).status).toBe(404);
    });

    it("should correctly handle overwriting labels", async () => {
      const name = `prompt-name${uniq()}`;
      const byUser1 = (prompt: string, labels: string[], version: number, temperature: number, extra = {}) =>
        create({ name, prompt, labels, ...extra, version, config: { temperature }, createdBy: "user-1" });
      const prompt1 = await byUser1("prompt1", ["production", "staging", "development"], 1, 0.1);
      const prompt2 = await byUser1("prompt2", ["production", "production", "staging"], 2, 0.2);
      const prompt3 = await byUser1("prompt3", ["staging"], 3, 0.3, { isActive: false });

      const production = await get(name);
      expect(production.status).toBe(200);
      expect(production.body.id).toBe(prompt2.id);
      expect(production.body.labels).toEqual(["production"]);

      const first = await get(name, "?version=1");
      expect(first.body.id).toBe(prompt1.id);
      expect(first.body.labels).toEqual(["development"]);

      const third = await get(name, "?version=3");
      expect(third.body.id).toBe(prompt3.id);
      expect(third.body.labels).toEqual(["staging", "latest"]);
    });

    it("should create empty object if no config is provided", async () => {
      const name = `prompt-name${uniq()}`;
      await create({ name, prompt: "prompt", labels: ["production"] });
      const fetched = await get(name);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ name, prompt: "prompt", type: "text", ...firstInProduction });
    });

    describe("prompt name validation", () => {
      it("should reject invalid prompt names", async () => {
        for (const [name, expectedError] of [
          ["/invalid-name", "Name cannot start with a slash"],
          ["invalid-name/", "Name cannot end with a slash"],
          ["invalid//name", "Name cannot contain consecutive slashes"],
          ["invalid|name", "Prompt name cannot contain '|' character"],
          ["new", "Prompt name cannot be 'new'"],
          ["", "Text cannot be empty"],
          ["Test <div>", "Text cannot contain HTML tags"],
        ]) {
          const r = await lf("POST", baseURI, { name, prompt: "test prompt", type: "text" });
          expect(r.status, name).toBe(400);
          expect(r.body.message).toBe("Invalid request data");
          expect(JSON.stringify(r.body.error)).toContain(`"message":"${expectedError}"`);
          expect(r.body.code).toBe("invalid_input");
        }
      });

      it("should accept valid prompt names", async () => {
        const p = uniq();
        const validNames = [
          "simple-name",
          "name_with_underscores",
          "name.with.dots",
          "UPPERCASE",
          "folder/subfolder/name",
          "name-with-123-numbers",
          "_starting_with_underscore",
          "ending_with_underscore_",
          "multiple___underscores",
          "multiple---hyphens",
          "multiple...dots",
          "name with spaces",
          "multiple   spaces",
          "angled[brac]es]",
        ];
        for (const n of validNames) {
          const name = `${n}${p}`;
          const r = await lf("POST", baseURI, { name, prompt: "test prompt", type: "text" });
          expect(r.status, name).toBe(201);
          expect((await get(name, "?version=1")).body.name).toBe(name);
        }
      });
    });

    it("should update tags across versions", async () => {
      const name = `prompt-name${uniq()}`;
      const version = (tags?: string[]) =>
        create({ name, prompt: "This is a test prompt", type: "text", ...(tags !== undefined && { tags }) });
      const tagsOf = async (v: number) => {
        const r = await get(name, `?version=${v}`);
        expect(r.status).toBe(200);
        expect(r.body.version).toBe(v);
        return r.body.tags;
      };
      await version(["tag"]);
      expect(await tagsOf(1)).toEqual(["tag"]);
      await version();
      expect(await tagsOf(2)).toEqual(["tag"]);
      await version(["tag1", "tag2", "tag3"]);
      for (const v of [1, 2, 3]) expect(await tagsOf(v)).toEqual(["tag1", "tag2", "tag3"]);
      await version([]);
      for (const v of [1, 2, 3, 4]) expect(await tagsOf(v)).toEqual([]);
    });

    it("should create and fetch a test prompt with slashes in the name", async () => {
      const name = `this/is/a/prompt/with/a/slash${uniq()}`;
      const commitMessage = "chore: setup folder structure prompt";
      const response = await post(name, "This is a prompt in a folder structure", "text", ["production"], {
        commitMessage,
      });
      expect(response.status).toBe(201);
      const { body } = await get(name);
      expect(body.name).toBe(name);
      expect(body.name).toContain("/");
      expect(body.prompt).toBe("This is a prompt in a folder structure");
    });

    it("should prevent creating a prompt with both a variable and placeholder with the same name", async () => {
      const response = await lf("POST", baseURI, {
        name: `prompt-same-name-conflict-${uniq()}`,
        prompt: [
          { role: "system", content: "Hello {{userName}}" },
          { type: "placeholder", name: "userName" },
          { role: "user", content: "How are you?" },
        ],
        type: "chat",
      });
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe("invalid_input");
      expect(response.body.message).toContain("variables and placeholders must be unique");
      expect(response.body.message).toContain("userName");
    });

    it("should allow creating a new version of a prompt with placeholder names that conflict a variable name in a previous version", async () => {
      const name = `prompt-with-variable-conflict-${uniq()}`;
      await create({
        name,
        prompt: [
          { role: "system", content: "You are a helpful {{conversationHistory}}" },
          { role: "user", content: "Continue our conversation" },
        ],
        type: "chat",
        labels: ["production"],
      });
      const v2 = await lf("POST", baseURI, {
        name,
        prompt: [
          { role: "system", content: "You are a helpful assistant with context: {{newHistory}}" },
          { type: "placeholder", name: "conversationHistory" },
          { role: "user", content: "Continue our conversation" },
        ],
        type: "chat",
      });
      expect(v2.status).toBe(201);
      expect(v2.body).toHaveProperty("id");
      expect(v2.body.version).toBe(2);
    });
  });
});
