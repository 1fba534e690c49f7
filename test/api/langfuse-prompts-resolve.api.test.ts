// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts: unresolved prompt fetching (the resolve parameter).
import { describe, expect, it } from "vitest";
import { call } from "./client";
import { uniq, enc, dep, create, get } from "./langfuse-fixture";

describe("/api/public/v2/prompts API Endpoint", () => {
  describe("Unresolved prompt fetching via public API (resolve parameter)", () => {
    const pair = async (childText: string, parentText: (child: string) => string, type: "text" | "chat" = "text") => {
      const child = `child-prompt-${uniq()}`;
      await create({ name: child, prompt: childText, labels: ["production"] });
      const parent = `parent-prompt-${uniq()}`;
      const body = parentText(child);
      await create({
        name: parent,
        type,
        prompt:
          type === "chat"
            ? [
                { role: "system", content: body },
                { role: "user", content: "User message" },
              ]
            : body,
        labels: ["production"],
      });
      return { child, parent };
    };

    it("should return resolved prompt by default (backward compatibility)", async () => {
      const { parent } = await pair("I am a child prompt", (c) => `Parent prompt with dependency: ${dep(c)}`);
      const r = await get(parent, "?version=1");
      expect(r.status).toBe(200);
      expect(r.body.prompt).not.toContain("@@@langfusePrompt");
      expect(r.body.prompt).toContain("I am a child prompt");
    });

    it("should return resolved prompt when resolve=true", async () => {
      const { parent } = await pair("Child content", (c) => `Parent: ${dep(c)}`);
      const r = await get(parent, "?version=1&resolve=true");
      expect(r.body.prompt).not.toContain("@@@langfusePrompt");
      expect(r.body.prompt).toContain("Child content");
    });

    it("should return unresolved prompt when resolve=false", async () => {
      const { child, parent } = await pair("Child content", (c) => `Parent: ${dep(c)}`);
      const r = await get(parent, "?version=1&resolve=false");
      expect(r.status).toBe(200);
      expect(r.body.prompt).toContain(dep(child));
      expect(r.body.prompt).not.toContain("Child content");
    });

    it("should return unresolved chat prompt when resolve=false", async () => {
      const { child, parent } = await pair("Base instructions", (c) => `System: ${dep(c)}`, "chat");
      const r = await get(parent, "?version=1&resolve=false");
      expect(r.body.type).toBe("chat");
      expect(r.body.prompt[0].content).toContain(dep(child));
    });

    it("should work with production label when no version specified and resolve=false", async () => {
      const { parent } = await pair("Child", (c) => `Parent: ${dep(c)}`);
      const r = await get(parent, "?resolve=false");
      expect(r.status).toBe(200);
      expect(r.body.labels).toContain("production");
      expect(r.body.prompt).toContain("@@@langfusePrompt");
      expect(r.body.resolutionGraph).toBeNull();
    });

    // Langfuse stores a parent whose dependency is missing straight into its database. Lectern refuses such
    // a reference on save, so the state is made the one way it can arise here: a Lectern partial ({{> name}})
    // to a prompt that production does not serve, in a version that production serves.
    const missingDependency = async () => {
      const child = `missing-child-prompt-${uniq()}`;
      const parent = `parent-prompt-${uniq()}`;
      await call("POST", "/api/v1/prompts", { body: { name: child, type: "text", template: "never live" } });
      const template = `Parent: {{> ${child}}}`;
      expect((await call("POST", "/api/v1/prompts", { body: { name: parent, type: "text", template } })).status).toBe(
        201,
      );
      expect(
        (
          await call("POST", `/api/v1/prompts/${enc(parent)}/deployments`, {
            body: { environment: "production", version: 1 },
          })
        ).status,
      ).toBe(201);
      return { parent, template };
    };

    it("should return the raw prompt when resolve=false even if a dependency is missing", async () => {
      const { parent, template } = await missingDependency();
      const r = await get(parent, "?version=1&resolve=false");
      expect(r.status).toBe(200);
      expect(r.body.prompt).toBe(template);
      expect(r.body.resolutionGraph).toBeNull();
    });

    it("should return 409 when resolve=true and a stored dependency is missing", async () => {
      const { parent } = await missingDependency();
      const r = await get(parent, "?version=1");
      expect(r.status).toBe(409);
      expect(JSON.stringify(r.body)).toContain("Prompt dependency not found");
    });
  });
});
