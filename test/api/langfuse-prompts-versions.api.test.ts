// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts: changing a version's labels, and prompt composability.
import { describe, expect, it } from "vitest";
import { baseURI, uniq, enc, post, createText, dep, create, get, lf } from "./langfuse-fixture";

describe("PATCH api/public/v2/prompts/[promptName]/versions/[version]", () => {
  it("should update the labels of a prompt", async () => {
    const name = `prompt-1-${uniq()}`;
    await create({ name, prompt: "prompt-1", labels: ["production"] });
    const response = await lf("PATCH", `${baseURI}/${enc(name)}/versions/1`, { newLabels: ["new-label"] });
    expect(response.status).toBe(200);
    const labels = (await get(name, "?version=1")).body.labels as string[];
    expect(labels).toContain("production");
    expect(labels).toContain("new-label");
    expect(labels.filter((l) => l !== "latest")).toHaveLength(2);
  });

  it("should remove label from previous version when adding to new version", async () => {
    const name = `prompt-1-${uniq()}`;
    await create({ name, prompt: "prompt-1", labels: ["production"] });
    await create({ name, prompt: "prompt-1", labels: [] });
    const response = await lf("PATCH", `${baseURI}/${enc(name)}/versions/2`, { newLabels: ["production"] });
    expect(response.status).toBe(200);
    expect(response.body.labels).toEqual(["production", "latest"]);
    expect((await get(name, "?version=2")).body.labels).toEqual(["production", "latest"]);
    expect((await get(name, "?version=1")).body.labels).toEqual([]);
  });

  it("trying to set 'latest' label results in 400 error", async () => {
    const name = `prompt-1-${uniq()}`;
    await create({ name, prompt: "prompt-1", labels: [] });
    const response = await lf("PATCH", `${baseURI}/${enc(name)}/versions/1`, { newLabels: ["latest"] });
    expect(response.status).toBe(400);
  });

  it("updating non existing prompt results in 404", async () => {
    const response = await lf("PATCH", `${baseURI}/non-existing-prompt-${uniq()}/versions/1`, {
      newLabels: ["production"],
    });
    expect(response.status).toBe(404);
  });

  describe("prompt composability", () => {
    it("can create a prompt with dependencies linked via label", async () => {
      const p = uniq();
      const child = `${p}-child-prompt`;
      const parent = `${p}-parent-prompt`;
      await createText(child, "I am a child prompt", ["production"]);
      const response = await post(parent, `Parent prompt with dependency: ${dep(child)}`, "text");
      expect(response.status).toBe(201);

      const fetched = await get(parent, "?version=1");
      expect(fetched.status).toBe(200);
      const parentId = fetched.body.id;
      expect(fetched.body.resolutionGraph).toEqual({
        root: { name: parent, version: 1, id: parentId },
        dependencies: { [parentId]: [{ name: child, version: 1, id: expect.any(String) }] },
      });
      expect(fetched.body.prompt).toBe("Parent prompt with dependency: I am a child prompt");

      await createText(child, "I am an updated child prompt", ["production"]);
      const after = await get(parent, "?version=1");
      expect(after.body.prompt).toBe("Parent prompt with dependency: I am an updated child prompt");
      expect(after.body.resolutionGraph).toEqual({
        root: { name: parent, version: 1, id: parentId },
        dependencies: { [parentId]: [{ name: child, version: 2, id: expect.any(String) }] },
      });
      const versions = (await lf("GET", `${baseURI}?name=${enc(child)}`)).body.data[0].versions;
      expect(versions).toEqual([1, 2]);
    });

    it("resolves prompt dependencies correctly when linked via label", async () => {
      const p = uniq();
      await createText(`${p}-nested-child`, "I am a nested child", ["production"]);
      await createText(`${p}-intermediate`, `Intermediate with dependency: ${dep(`${p}-nested-child`)}`, [
        "production",
      ]);
      await createText(`${p}-nested-parent`, `Parent with nested dependency: ${dep(`${p}-intermediate`)}`);
      const r = await get(`${p}-nested-parent`, "?version=1");
      expect(r.status).toBe(200);
      expect(r.body.prompt).toBe("Parent with nested dependency: Intermediate with dependency: I am a nested child");
    });

    it("resolves prompt dependencies correctly when linked via version", async () => {
      const p = uniq();
      const child = `${p}-version-linked-child`;
      await createText(child, "I am version 3 of the child prompt", ["production"], { version: 1 });
      await createText(`${p}-version-linked-parent`, `Parent with version dependency: ${dep(child, "version=1")}`);
      const r = await get(`${p}-version-linked-parent`, "?version=1");
      expect(r.body.prompt).toBe("Parent with version dependency: I am version 3 of the child prompt");
      expect(r.body.prompt).not.toContain("@@@langfusePrompt");
    });

    it("detects circular dependencies", async () => {
      const p = uniq();
      const [a, b] = [`${p}-circular-a`, `${p}-circular-b`];
      await createText(a, "Prompt A without dependency", ["production"]);
      await createText(b, `Prompt B with dependency: ${dep(a)}`, ["production"]);
      const circular = await post(a, `Prompt A with dependency: ${dep(b)}`, "text", ["production"]);
      expect(circular.status).toBe(400);
      expect(circular.body.message).toMatch(/circular dependency/i);
    });

    it("handles deeply nested dependencies (3+ levels)", async () => {
      const p = uniq();
      await createText(`${p}-level-3-a`, "I am level 3 prompt A", ["production"]);
      await createText(`${p}-level-3-b`, "I am level 3 prompt B", ["production"]);
      const level2 = `Level 2 with dependencies: ${dep(`${p}-level-3-a`)} and ${dep(`${p}-level-3-b`)}`;
      await createText(`${p}-level-2`, level2, ["production"]);
      await createText(`${p}-level-1`, `Level 1 with dependency: ${dep(`${p}-level-2`)}`);
      const r = await get(`${p}-level-1`, "?version=1");
      expect(r.body.prompt).toBe(
        "Level 1 with dependency: Level 2 with dependencies: I am level 3 prompt A and I am level 3 prompt B",
      );
    });

    it("handles multiple dependencies at the same level", async () => {
      const p = uniq();
      for (const x of ["a", "b", "c"])
        await createText(`${p}-child-${x}`, `I am child prompt ${x.toUpperCase()}`, ["production"]);
      await createText(
        `${p}-multi-parent`,
        `Parent prompt with multiple dependencies: First: ${dep(`${p}-child-a`)} Second: ${dep(`${p}-child-b`)} Third: ${dep(`${p}-child-c`)}`,
      );
      const r = await get(`${p}-multi-parent`, "?version=1");
      expect(r.body.prompt).toBe(
        "Parent prompt with multiple dependencies: First: I am child prompt A Second: I am child prompt B Third: I am child prompt C",
      );
    });

    it("handles version-specific dependencies", async () => {
      const p = uniq();
      await createText(`${p}-versioned-child`, "I am version 1", ["production"]);
      await createText(`${p}-versioned-child`, "I am version 2", ["production"], { version: 2 });
      await createText(
        `${p}-version-parent`,
        `Parent with version dependency: ${dep(`${p}-versioned-child`, "version=1")}`,
      );
      expect((await get(`${p}-version-parent`, "?version=1")).body.prompt).toBe(
        "Parent with version dependency: I am version 1",
      );
    });

    /** A chat prompt (Langfuse's) with a helpful-assistant system message and `user` as the user's. */
    const assistant = (user: string) => [
      { role: "system", content: "You are a helpful assistant" },
      { role: "user", content: user },
    ];

    it("resolves prompt dependencies in chat prompts correctly", async () => {
      const p = uniq();
      await createText(`${p}-chat-child-text`, "I am a text prompt used in a chat prompt", ["production"]);
      await create({
        name: `${p}-chat-parent`,
        prompt: assistant(`Here's some context: ${dep(`${p}-chat-child-text`)}`),
        type: "chat",
      });
      const r = await get(`${p}-chat-parent`, "?version=1");
      expect(r.body.prompt).toEqual(assistant("Here's some context: I am a text prompt used in a chat prompt"));
    });

    it("supports nested dependencies in chat prompts", async () => {
      const p = uniq();
      await createText(`${p}-nested-child`, "I am a nested child prompt", ["production"]);
      const intermediate = `Intermediate prompt with dependency: ${dep(`${p}-nested-child`)}`;
      await createText(`${p}-intermediate-prompt`, intermediate, ["production"]);
      await create({
        name: `${p}-nested-chat-parent`,
        prompt: assistant(`Here's some context: ${dep(`${p}-intermediate-prompt`)}`),
        type: "chat",
      });
      const r = await get(`${p}-nested-chat-parent`, "?version=1");
      expect(r.body.prompt).toEqual(
        assistant("Here's some context: Intermediate prompt with dependency: I am a nested child prompt"),
      );
    });

    it("should ignore invalid prompt tags", async () => {
      const name = `prompt-with-invalid-tags-${uniq()}`;
      await createText(
        name,
        JSON.stringify({
          text: "This prompt has invalid tags: @@@langfusePrompt:invalid@@@, @@@langfusePrompt:name=missing-type@@@, @@@langfusePrompt:name=no-version-or-label@@@",
        }),
      );
      const parsed = JSON.parse((await get(name, "?version=1")).body.prompt);
      expect(parsed.text).toContain("@@@langfusePrompt:invalid@@@");
      expect(parsed.text).toContain("@@@langfusePrompt:name=missing-type@@@");
      expect(parsed.text).toContain("@@@langfusePrompt:name=no-version-or-label@@@");
    });

    it("should handle duplicate dependency tags for the same prompt", async () => {
      const p = uniq();
      const target = dep(`${p}-parent-prompt`, "version=1");
      await createText(`${p}-parent-prompt`, "I am a parent prompt");
      await createText(
        `${p}-prompt-with-duplicate-tags`,
        `This prompt has duplicate tags: ${target} and again ${target}`,
      );
      expect((await get(`${p}-prompt-with-duplicate-tags`, "?version=1")).body.prompt).toBe(
        "This prompt has duplicate tags: I am a parent prompt and again I am a parent prompt",
      );
    });

    it("should handle special characters in prompt names", async () => {
      const p = uniq();
      const specials = [
        ["prompt-with-hyphens", "Hyphen content"],
        ["prompt_with_underscores", "Underscore content"],
        ["prompt.with.dots", "Dot content"],
        ["prompt123WithNumbers", "Number content"],
        ["prompt with spaces", "Space content"],
        ["prompt/with/slashes", "Slash content"],
      ] as const;
      for (const [n, prompt] of specials) {
        const r = await post(`${p} ${n}`, prompt, "text");
        expect(r.status).toBe(201);
      }
      const tags = specials.map(([n]) => `      ${dep(`${p} ${n}`, "version=1")}`).join("\n");
      await createText(
        `${p}-prompt-with-special-char-dependencies`,
        `\n      Reference prompts with special chars:\n${tags}\n    `,
      );
      const r = await get(`${p}-prompt-with-special-char-dependencies`, "?version=1");
      expect(r.body.prompt).toBe(
        `\n      Reference prompts with special chars:\n${specials.map(([, c]) => `      ${c}`).join("\n")}\n    `,
      );
    });

    it("should disallow a prompt that references itself", async () => {
      const name = `self-referencing-prompt-${uniq()}`;
      expect((await post(name, "This is the initial content", "text")).status).toBe(201);
      const update = await post(
        name,
        `This prompt references itself:\n      ${dep(name, "version=1")}\n      And that's it!`,
        "text",
      );
      expect(update.status).toBe(400);
      expect(JSON.stringify(update.body)).toContain("Circular dependency");
    });

    it("should return an error when a dependent prompt doesn't exist", async () => {
      const r = await post(
        `prompt-with-missing-dependency-${uniq()}`,
        `This prompt references a non-existent prompt:\n      ${dep(`non-existent-prompt-${uniq()}`, "version=1")}\n      End of prompt.`,
        "text",
      );
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain("not found");
    });

    it("should throw an error if MAX_PROMPT_NESTING_DEPTH is exceeded", async () => {
      const p = uniq();
      const max = 5;
      for (let i = max; i >= 1; i--) {
        const prompt =
          i === max ? "I am the deepest prompt" : `Level ${i} with dependency: ${dep(`${p}-depth-${i + 1}`)}`;
        const r = await post(`${p}-depth-${i}`, prompt, "text", ["production"]);
        expect(r.status).toBe(201);
      }
      const r = await post(`${p}-depth-0`, `Level 0 with dependency: ${dep(`${p}-depth-1`)}`, "text", ["production"]);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain("Maximum nesting depth exceeded");
    });
  });
});
