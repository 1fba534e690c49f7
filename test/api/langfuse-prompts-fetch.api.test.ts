// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts, its first block: fetching a prompt.
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { baseURI, uniq, create, get, expectRecord } from "./langfuse-fixture";

describe("/api/public/v2/prompts API Endpoint", () => {
  describe("when fetching a prompt", () => {
    it("should return a 401 if key is invalid", async () => {
      const res = await call("GET", baseURI, {
        key: null,
        headers: { authorization: `Bearer ${crypto.randomUUID()}` },
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toContain("Unauthorized");
      expect(errorCode(res)).toBe("unauthorized");
    });

    /** The version these tests make and check: the text "prompt" at temperature 0.1. */
    const basic = { prompt: "prompt", config: { temperature: 0.1 } };

    it("should fetch a prompt", async () => {
      const name = `promptName${uniq()}`;
      const created = await create({ name, ...basic, labels: ["production"] });
      const fetched = await get(name);
      expect(fetched.status).toBe(200);
      expectRecord(fetched.body, { name, ...basic, version: 1, labels: ["production", "latest"] });
      expect(fetched.body.id).toBe(created.id);
    });

    it("should fetch a prompt with special characters", async () => {
      const name = `promptName?!+ =@#;${uniq()}`;
      await create({ name, ...basic, labels: ["production"] });
      const fetched = await get(name);
      expect(fetched.status).toBe(200);
      expectRecord(fetched.body, { name, ...basic, version: 1, labels: ["production", "latest"] });
    });

    it("should fetch a prompt by version even if not production", async () => {
      const name = `nonProductionPrompt${uniq()}`;
      await create({ name, ...basic, labels: [] });
      expect((await get(name)).status).toBe(404);
      const fetched = await get(name, "?version=1");
      expectRecord(fetched.body, { name, ...basic, version: 1, labels: ["latest"] });
    });

    it("should fetch a prompt by label even if not production", async () => {
      const name = `nonProductionPrompt_${uniq()}`;
      await create({ name, ...basic, labels: ["dev"] });
      expect((await get(name)).status).toBe(404);
      const fetched = await get(name, "?label=dev");
      expectRecord(fetched.body, { name, ...basic, version: 1, labels: ["dev", "latest"] });
    });

    it("should fetch the latest prompt if label is latest", async () => {
      const name = `latestPrompt_${uniq()}`;
      await create({ name, ...basic, labels: ["production"] });
      await create({ name, ...basic, labels: [] });
      const latest = await get(name, "?label=latest");
      expectRecord(latest.body, { name, ...basic, version: 2, labels: ["latest"] });
      const byDefault = await get(name);
      expect(byDefault.status).toBe(200);
      expectRecord(byDefault.body, { name, ...basic, version: 1, labels: ["production"] });
    });

    it("should fetch the production prompt if no version or label set", async () => {
      const name = `prompt_${uniq()}`;
      await create({ name, ...basic, labels: ["staging"] });
      await create({ name, ...basic, labels: ["production"] });
      const fetched = await get(name);
      expectRecord(fetched.body, { name, ...basic, version: 2, labels: ["production", "latest"] });
    });

    it("should return a 404 if prompt does not exist", async () => {
      const fetched = await get(`random_prompt_${uniq()}`);
      expect(fetched.status).toBe(404);
      expect(fetched.body.error).toContain("NotFound");
      expect(errorCode(fetched)).toBe("not_found");
      expect(fetched.body.message).toMatch(/^Prompt not found/);
    });
  });
});
