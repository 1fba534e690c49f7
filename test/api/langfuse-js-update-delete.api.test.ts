// langfuse-js's own prompt tests against Lectern: updating labels and deleting prompts.
import { randomBytes } from "node:crypto";
import { LangfuseClient } from "@langfuse/client";
import { describe, expect, it, vi } from "vitest";
import { baseUrl, call } from "./client";
import {
  adminKey,
  expectLoggedFailure,
  langfuse,
  promptApi,
  publicId,
  runtimeKey,
  uniqueName,
  withLangfuseClient,
} from "./langfuse-setup";

withLangfuseClient();

// Langfuse's JS SDK end-to-end prompt tests (langfuse-js tests/e2e/prompts.e2e.test.ts), with the real
// client pointed at Lectern. Names get a unique suffix (the tests share one project); tests of the client
// alone (Langchain conversion, compile() of hand-made clients, a mocked fetch) need no server and are
// left out, as are the ones written to pass whatever happens (docs/langfuse.md lists them).
describe("Langfuse Prompts E2E (langfuse-js), against Lectern: update, delete", () => {
  const n = uniqueName;

  describe("update method", () => {
    it("should update prompt labels successfully, also adding labels no environment has", async () => {
      const name = n("test-update-prompt");
      const initial = await langfuse.prompt.create({ name, prompt: "Initial prompt content", labels: ["production"] });
      const updated = await langfuse.prompt.update({
        name,
        version: initial.version,
        newLabels: ["production", "staging", "testing"],
      });
      expect(updated.name).toBe(name);
      expect(updated.labels).toEqual(expect.arrayContaining(["production", "staging", "testing"]));
      // "testing" is no environment: it is kept as a version label, which Lectern's own resolve serves too.
      const served = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(name)}&label=testing`, {
        key: runtimeKey,
      });
      expect([served.status, served.body.version]).toEqual([200, 1]);
      const environments = (await call("GET", "/api/v1/environments")).body.data as { name: string }[];
      expect(environments.map((e) => e.name)).not.toContain("testing");
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
      expect(res.body).toMatchObject({
        error: "LangfuseConflictError",
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
});
