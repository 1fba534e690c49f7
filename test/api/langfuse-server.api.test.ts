// Langfuse's own server tests of its public prompt API, re-expressed as black-box HTTP checks against
// Lectern: web/src/__tests__/server/prompts.v2.servertest.ts and promptCache.servertest.ts in
// github.com/langfuse/langfuse (read at commit 6275144, August 2026). Test names are Langfuse's.
// Over 300 lines: it follows Langfuse's two files test by test, in their order, so the two can be compared.
//
// How they were translated (docs/langfuse.md lists each difference and why):
// - Langfuse seeds rows straight into its database; here every state is made through the API, so a
//   version made by the API carries Langfuse's automatic `latest` label and `createdBy: "API"`, and
//   states its API cannot make either (one label on three versions at once) become the nearest state
//   it can make.
// - Langfuse gives each test a fresh project; here tests share the server's project and prefix their
//   prompt names, and the list tests run on a fresh server of their own (their totals are exact).
// - Errors have Langfuse's shape on these routes ({"message", "error": "LangfuseNotFoundError"}, with Lectern's
//   code beside them): these check what Langfuse's tests check, and Lectern's code too.
// - Not translated (no such feature): the ingestion test linking a generation to a prompt, webhook
//   executions, and cache tests of Redis internals (caching disabled, null Redis, Redis failing:
//   the Langfuse route reads the database directly; Redis failures are the cluster tier's).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ServerProcess } from "../cluster/harness";
import { adminKey, baseUrl, call, errorCode, type Res } from "./client";

const baseURI = "/api/public/v2/prompts";
const uniq = () => randomBytes(4).toString("hex");
const enc = encodeURIComponent;

interface Target {
  url: string;
  publicId: string;
  key: string;
}
let main: Target;

async function targetOf(url: string, key: string): Promise<Target> {
  const res = await fetch(`${url}/api/v1/project`, { headers: { authorization: `Bearer ${key}` } });
  return { url, key, publicId: ((await res.json()) as { publicId: string }).publicId };
}

/** A Langfuse SDK's request: HTTP Basic with the project's public id and a Lectern key. */
async function lf<T = any>(method: string, path: string, body?: unknown, t: Target = main): Promise<Res<T>> {
  const res = await fetch(t.url + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${t.publicId}:${t.key}`).toString("base64")}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const create = async (body: Record<string, unknown>, t: Target = main) => {
  const r = await lf("POST", baseURI, body, t);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const get = (name: string, query = "", t: Target = main) => lf("GET", `${baseURI}/${enc(name)}${query}`, undefined, t);
/** Langfuse's create request for a `type` prompt, with `labels` when given and any further fields. */
const post = (name: string, prompt: unknown, type: string, labels?: string[], extra: object = {}) =>
  lf("POST", baseURI, { name, prompt, type, ...(labels && { labels }), ...extra });
/** A text version that must be created (201), with `labels` when given and any further fields. */
const createText = (name: string, prompt: unknown, labels?: string[], extra: object = {}) =>
  create({ name, prompt, type: "text", ...(labels && { labels }), ...extra });
/** Langfuse's dependency tag: a reference to `name` by label (production unless given) or `version=N`. */
const dep = (name: string, by = "label=production") => `@@@langfusePrompt:name=${name}|${by}@@@`;
const del = (name: string, query = "") => lf("DELETE", `${baseURI}/${enc(name)}${query}`);

/** Langfuse's testPromptEquality, for a version made through the API. */
function expectRecord(
  body: any,
  p: { name: string; prompt: unknown; version: number; labels: string[]; config: unknown; type?: string },
) {
  expect(typeof body.id).toBe("string");
  expect(typeof body.projectId).toBe("string");
  expect(body.name).toBe(p.name);
  expect(body.prompt).toEqual(p.prompt);
  expect(body.type).toBe(p.type ?? "text");
  expect(body.version).toBe(p.version);
  expect(body.labels).toEqual(p.labels);
  expect(body.createdBy).toBe("API");
  expect(body.config).toEqual(p.config);
  expect(body.tags).toEqual([]);
  expect(body.resolutionGraph).toBeNull();
  expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
  expect(new Date(body.updatedAt).toISOString()).toBe(body.updatedAt);
}

beforeAll(async () => {
  main = await targetOf(baseUrl, adminKey);
});

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

  // Langfuse seeds these into a fresh project; here they are made through the API on a fresh server, so
  // the totals are exact. Its seed puts `production` on three versions of prompt-1 at once, which its own
  // API cannot do either: here production is on the newest of them and version2 on version 2, version 3
  // is made and then deleted (Langfuse's seed skips it), and the newest versions carry `latest`.
  describe("when fetching a prompt list", () => {
    let fresh: ServerProcess;
    let t: Target;

    beforeAll(async () => {
      const port = await freePort();
      const key = `lk_langfuse_list_${uniq()}${uniq()}${uniq()}`;
      fresh = new ServerProcess(port, {
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        LECTERN_DATA_DIR: `${process.env.TMPDIR ?? "/tmp"}/lectern-langfuse-list-${uniq()}`,
        DATABASE_URL: "",
        REDIS_URL: "",
        UPSTASH_REDIS_REST_URL: "",
        UPSTASH_REDIS_REST_TOKEN: "",
        LECTERN_SEED_DEMO: "false",
        LECTERN_BOOTSTRAP_ADMIN_KEY: key,
        LECTERN_ADMIN_EMAIL: "admin@langfuse-list.lectern.dev",
        LECTERN_ADMIN_PASSWORD: "admin-password-for-langfuse-list",
        NEXTAUTH_SECRET: "langfuse-list-secret-langfuse-list-0001",
        LECTERN_TRUSTED_PROXIES: "",
      });
      await fresh.start();
      t = await targetOf(fresh.url, key);
      const text = (name: string, prompt: string, labels: string[], config: unknown, extra = {}) =>
        create({ name, prompt, labels, config, ...extra }, t);
      await text("prompt-1", "prompt-1", [], { version: 1 });
      await text("prompt-1", "prompt-1", ["version2"], { version: 2 });
      await text("prompt-1", "prompt-1", [], { version: 3 });
      await text("prompt-1", "prompt-1", ["production"], { version: 4 });
      expect((await lf("DELETE", `${baseURI}/prompt-1?version=3`, undefined, t)).status).toBe(204);
      await text("prompt-2", "prompt-2", ["production"], {});
      await text("prompt-2", "prompt-2", ["staging"], {});
      await text("prompt-2", "prompt-2", ["dev"], {});
      await create(
        {
          name: "prompt-3",
          prompt: [{ role: "user", content: "prompt-2" }],
          type: "chat",
          labels: ["production"],
          tags: ["tag-1"],
        },
        t,
      );
    }, 180_000);

    afterAll(async () => {
      await fresh?.stop();
    });

    const list = (query = "") => lf("GET", `${baseURI}${query}`, undefined, t);

    it("should fetch a prompt meta list", async () => {
      const response = await list();
      expect(response.status).toBe(200);
      const [p1, p2, p3] = response.body.data;
      expect(response.body.data).toHaveLength(3);
      expect(p1).toMatchObject({
        name: "prompt-1",
        versions: [1, 2, 4],
        labels: ["latest", "production", "version2"],
        tags: [],
        type: "text",
      });
      expect(p2).toMatchObject({
        name: "prompt-2",
        versions: [1, 2, 3],
        labels: ["dev", "latest", "production", "staging"],
        tags: [],
        type: "text",
      });
      expect(p3).toMatchObject({
        name: "prompt-3",
        versions: [1],
        labels: ["latest", "production"],
        tags: ["tag-1"],
        type: "chat",
      });
      for (const p of response.body.data) expect(new Date(p.lastUpdatedAt).toISOString()).toBe(p.lastUpdatedAt);
      expect(response.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
      // https://github.com/langfuse/langfuse/issues/2068
      expect(response.body.pagination).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
    });

    it("should fetch a prompt meta list with name filter", async () => {
      const r1 = await list("?name=prompt-1");
      expect(r1.body.data).toHaveLength(1);
      expect(r1.body.data[0]).toMatchObject({
        name: "prompt-1",
        versions: [1, 2, 4],
        labels: ["latest", "production", "version2"],
        tags: [],
        type: "text",
      });
      expect(r1.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 1 });
      const r2 = await list("?name=prompt-2");
      expect(r2.body.data[0]).toMatchObject({
        name: "prompt-2",
        versions: [1, 2, 3],
        labels: ["dev", "latest", "production", "staging"],
      });
      expect(r2.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 1 });
      const r3 = await list("?name=non-existent");
      expect(r3.status).toBe(200);
      expect(r3.body.data).toEqual([]);
    });

    it("should fetch a prompt meta list with tag filter", async () => {
      const r = await list("?tag=tag-1");
      expect(r.body.data).toHaveLength(1);
      expect(r.body.data[0]).toMatchObject({
        name: "prompt-3",
        versions: [1],
        labels: ["latest", "production"],
        tags: ["tag-1"],
        type: "chat",
      });
      expect(r.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 1 });
      expect((await list("?tag=non-existent")).body.data).toEqual([]);
    });

    it("should fetch a prompt meta list with label filter", async () => {
      const r = await list("?label=production");
      expect(r.body.data.map((p: any) => [p.name, p.type])).toEqual([
        ["prompt-1", "text"],
        ["prompt-2", "text"],
        ["prompt-3", "chat"],
      ]);
      expect(r.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 3 });
      const dev = await list("?label=dev");
      expect(dev.body.data).toHaveLength(1);
      // Only version 3 carries dev; the labels are those of the matching versions.
      expect(dev.body.data[0]).toMatchObject({
        name: "prompt-2",
        versions: [3],
        labels: ["dev", "latest"],
        tags: [],
        type: "text",
      });
      expect(dev.body.meta).toEqual({ page: 1, limit: 10, totalPages: 1, totalItems: 1 });
      expect((await list("?label=non-existent")).body.data).toEqual([]);
    });

    it("should fetch a prompt meta list with pagination", async () => {
      const r = await list("?page=1&limit=1");
      expect(r.body.data).toHaveLength(1);
      expect(r.body.meta).toEqual({ page: 1, limit: 1, totalPages: 3, totalItems: 3 });
      const last = await list("?page=3&limit=1");
      expect(last.body.data.map((p: any) => p.name)).toEqual(["prompt-3"]);
      const past = await list("?page=4&limit=1");
      expect(past.body).toMatchObject({ data: [], meta: { page: 4, totalItems: 3, totalPages: 3 } });
    });

    it("should fetch lastConfig correctly for a prompt with multiple versions", async () => {
      const all = (await list()).body.data;
      expect(all.find((p: any) => p.name === "prompt-1")).toMatchObject({ lastConfig: { version: 4 }, type: "text" });
      expect(all.find((p: any) => p.name === "prompt-2")).toMatchObject({ lastConfig: {}, type: "text" });
      const byLabel = (await list("?label=version2")).body.data;
      expect(byLabel).toHaveLength(1);
      expect(byLabel[0]).toMatchObject({ name: "prompt-1", lastConfig: { version: 2 }, type: "text" });
      const byVersion = (await list("?version=1")).body.data;
      expect(byVersion).toHaveLength(3);
      expect(byVersion.find((p: any) => p.name === "prompt-1")).toMatchObject({
        lastConfig: { version: 1 },
        type: "text",
      });
    });

    // Langfuse seeds updatedAt; here the boundaries are the server's own updatedAt of versions made in order:
    // A (one version), then B's three (no labels, so no later label move touches them).
    it("should respect the fromUpdatedAt and toUpdatedAt filters on GET /prompts", async () => {
      await create({ name: "window/a", prompt: "a" }, t);
      for (const n of [1, 2, 3]) await create({ name: "window/b", prompt: `b${n}` }, t);
      const at = async (name: string, v: number) => (await get(name, `?version=${v}`, t)).body.updatedAt as string;
      const [a1, b1, b2, b3] = [
        await at("window/a", 1),
        await at("window/b", 1),
        await at("window/b", 2),
        await at("window/b", 3),
      ];
      expect([a1 < b1, b1 < b2, b2 < b3]).toEqual([true, true, true]);
      const window = (q: string) => list(`?${q}&name=window/b`);

      const both = (await window(`fromUpdatedAt=${b2}&toUpdatedAt=${b3}`)).body;
      expect(both.data).toHaveLength(1);
      expect(both.data[0]).toMatchObject({ name: "window/b", lastUpdatedAt: b2, versions: [2] });
      expect(both.meta.totalItems).toBe(1);

      const from = (await window(`fromUpdatedAt=${b2}`)).body;
      expect(from.data[0]).toMatchObject({ lastUpdatedAt: b3, versions: [2, 3] });

      const to = (await list(`?toUpdatedAt=${b3}`)).body.data.filter((p: any) => p.name.startsWith("window/"));
      expect(to.map((p: any) => [p.name, p.lastUpdatedAt, p.versions])).toEqual([
        ["window/a", a1, [1]],
        ["window/b", b2, [1, 2]],
      ]);
    });
  });

  // Langfuse gives each test its own project; Lectern's API tier cannot make projects over HTTP, so this
  // one seeds a second project into the server's database, which only the PostgreSQL tier can reach.
  it.runIf(Boolean(process.env.LECTERN_TEST_DATABASE_URL))(
    "should only return prompts from the current project",
    async () => {
      const other = await seedSecondProject();
      try {
        const name = `prompt-5-${uniq()}`;
        await create({ name, prompt: "prompt-5", labels: ["production"] }, other);
        const mine = await lf("GET", `${baseURI}?name=${enc(name)}`);
        expect(mine.status).toBe(200);
        expect(mine.body.data).toEqual([]);
        expect((await get(name)).status).toBe(404);
        const theirs = await lf("GET", `${baseURI}?name=${enc(name)}`, undefined, other);
        expect(theirs.body.data.map((p: any) => p.name)).toEqual([name]);
      } finally {
        await other.close();
      }
    },
  );

  it.runIf(Boolean(process.env.LECTERN_TEST_DATABASE_URL))(
    "should return an error when a dependent prompt exists but in a different project",
    async () => {
      const other = await seedSecondProject();
      try {
        const name = `cross-project-prompt-${uniq()}`;
        await create({ name, prompt: "This prompt belongs to project 1" }, other);
        const cross = await post(
          `prompt-with-cross-project-dependency-${uniq()}`,
          `This prompt references a prompt from another project: ${dep(name, "version=1")} End of prompt.`,
          "text",
        );
        expect(cross.status).toBe(400);
        expect(JSON.stringify(cross.body)).toContain("not found");
      } finally {
        await other.close();
      }
    },
  );

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

  describe("DELETE /api/public/v2/prompts/:promptName", () => {
    const visible = async (name: string) =>
      (await lf("GET", `${baseURI}?name=${enc(name)}`)).body.data[0]?.versions ?? [];

    it("deletes all versions of a prompt", async () => {
      const name = `deletePrompt${uniq()}`;
      await create({ name, prompt: "p1", labels: ["production"] });
      await create({ name, prompt: "p2", labels: [] });
      const res = await del(name);
      expect(res.status).toBe(204);
      expect(await visible(name)).toEqual([]);
      for (const q of ["", "?version=1", "?version=2", "?label=latest"]) expect((await get(name, q)).status).toBe(404);
    });

    it("deletes by label and version", async () => {
      const name = `deletePromptFiltered${uniq()}`;
      await create({ name, prompt: "p1", labels: ["production"] });
      await create({ name, prompt: "p2", labels: ["dev"] });
      expect((await del(name, "?version=1")).status).toBe(204);
      expect(await visible(name)).toEqual([2]);
      expect((await del(name, "?label=dev")).status).toBe(204);
      expect(await visible(name)).toEqual([]);
    });

    it("is audited, and Lectern's own resolve stops serving what was deleted at once", async () => {
      const name = `deleteAudited${uniq()}`;
      await create({ name, prompt: "p1", labels: ["production"] });
      await create({ name, prompt: "p2", labels: ["production"] });
      const resolve = () => call("GET", `/api/v1/prompts/resolve?name=${enc(name)}&environment=production`);
      expect((await resolve()).body).toMatchObject({ version: 2 }); // cached from here on
      expect((await del(name, "?version=2")).status).toBe(204);
      // Production served version 2: deleting it leaves production serving nothing, not a stale cached answer.
      const after = await resolve();
      expect(after.status).not.toBe(200);
      expect(JSON.stringify(after.body)).not.toContain('"version":2');
      expect((await del(name)).status).toBe(204);
      const audit = (await call("GET", "/api/v1/audit?objectType=prompt&limit=50")).body.data as {
        action: string;
        after: { name?: string; versions?: number[] };
      }[];
      const mine = audit
        .filter((r) => r.after?.name === name && r.action.endsWith(".archive"))
        .map((r) => [r.action, r.after.versions]);
      expect(mine).toEqual([
        ["prompt.archive", [1]],
        ["version.archive", [2]],
      ]);
    });

    it("deletes a prompt with slashes in name (folder structure)", async () => {
      const name = `folder/subfolder/deletePrompt${uniq()}`;
      await create({ name, prompt: "prompt in folder", labels: ["production"] });
      expect((await del(name)).status).toBe(204);
      expect(await visible(name)).toEqual([]);
    });

    it("returns 400 when deleting prompt with dependencies", async () => {
      const childName = `childPrompt${uniq()}`;
      const parentName = `parentPrompt${uniq()}`;
      await create({ name: childName, prompt: "I am a child prompt", labels: ["production"] });
      await create({
        name: parentName,
        prompt: `Parent with dependency: ${dep(childName, "version=1")}`,
        labels: ["production"],
      });
      const res = await del(childName);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain("depending on");
      expect(res.body.message).toContain(parentName);
      expect(await visible(childName)).toEqual([1]);
    });

    // Langfuse seeds `latest` on version 1 of two; here `latest` is always the newest version, so the same
    // three cases are made on version 2: pinned by version (blocks), by a label only version 2 has
    // (blocks), and by a label another version keeps (does not block).
    it("handles mixed version and label dependencies correctly", async () => {
      const childName = `childPrompt${uniq()}`;
      await create({ name: childName, prompt: "child v1", labels: ["staging"] });
      await create({ name: childName, prompt: "child v2", labels: ["production"] });
      const [parent1Name, parent2Name, parent3Name] = [`parent1${uniq()}`, `parent2${uniq()}`, `parent3${uniq()}`];
      await create({
        name: parent1Name,
        prompt: `Depends on ${dep(childName, "version=2")}`,
        labels: ["production"],
      });
      await create({
        name: parent2Name,
        prompt: `Depends on ${dep(childName, "label=staging")} and ${dep(childName, "label=latest")}`,
        labels: ["production"],
      });
      await create({
        name: parent3Name,
        prompt: `Depends on ${dep(childName)}`,
        labels: ["production"],
      });
      const res = await del(childName, "?version=2");
      expect(res.status).toBe(400);
      expect(res.body.message).toContain("depending on");
      expect(res.body.message).toContain(parent1Name);
      expect(res.body.message).toContain(parent3Name);
      expect(res.body.message).not.toContain(parent2Name);
    });

    it('reattaches "latest" label to highest remaining version when deleted', async () => {
      const name = `testPrompt${uniq()}`;
      await create({ name, prompt: "version 1", labels: ["dev"] });
      await create({ name, prompt: "version 2", labels: ["production"] });
      await create({ name, prompt: "version 3", labels: [] });
      expect((await del(name, "?version=3")).status).toBe(204);
      expect(await visible(name)).toEqual([1, 2]);
      expect((await get(name, "?version=2")).body.labels).toEqual(["production", "latest"]);
      expect((await get(name, "?version=1")).body.labels).toEqual(["dev"]);
    });
  });
});

// promptCache.servertest.ts tests Langfuse's Redis cache through mocks of Redis and Prisma. Its promises,
// seen from outside: a cached answer is the stored one, a version and a numeric label are different
// answers, resolve=false is never a cached resolved answer, and a change is served at once (Langfuse
// rotates a per-project epoch; Lectern's Langfuse route reads the database on every request).
describe("PromptService (translated: what the cache promises)", () => {
  it("should return cached prompt if available", async () => {
    const name = `testPrompt-${uniq()}`;
    await create({ name, prompt: "Test prompt content", labels: ["test"] });
    const first = await get(name, "?version=1");
    const second = await get(name, "?version=1");
    expect(second.body).toEqual(first.body);
    expect(first.body).toMatchObject({
      name,
      version: 1,
      prompt: "Test prompt content",
      labels: ["test", "latest"],
      createdBy: "API",
      type: "text",
      isActive: false,
      config: {},
      tags: [],
      commitMessage: null,
      resolutionGraph: null,
    });
  });

  it("does not share cached prompts between a version and numeric label", async () => {
    const name = `testPrompt-${uniq()}`;
    for (let v = 1; v <= 7; v++)
      await create({ name, prompt: v === 3 ? "Version 3 content" : v === 7 ? "Numeric label content" : `v${v}` });
    expect((await lf("PATCH", `${baseURI}/${enc(name)}/versions/7`, { newLabels: ["3"] })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await get(name, "?version=3")).body).toMatchObject({ version: 3, prompt: "Version 3 content" });
      expect((await get(name, "?label=3")).body).toMatchObject({
        version: 7,
        prompt: "Numeric label content",
        labels: ["3", "latest"],
      });
    }
  });

  /** `${p}-child` in production with `childPrompt`, and `${p}-parent` in production: "P " and the child by label. */
  const childAndParent = async (p: string, childPrompt: string) => {
    await create({ name: `${p}-child`, prompt: childPrompt, labels: ["production"] });
    await create({ name: `${p}-parent`, prompt: `P ${dep(`${p}-child`)}`, labels: ["production"] });
  };

  it("should bypass cache entirely when resolve is false", async () => {
    const p = uniq();
    await childAndParent(p, "child");
    expect((await get(`${p}-parent`)).body.prompt).toBe("P child");
    expect((await get(`${p}-parent`, "?resolve=false")).body.prompt).toBe(
      `P @@@langfusePrompt:name=${p}-child|label=production@@@`,
    );
    expect((await get(`${p}-parent`)).body.prompt).toBe("P child");
  });

  it("should rotate the epoch token for the project with TTL (every change is served at once)", async () => {
    const p = uniq();
    await childAndParent(p, "one");
    expect((await get(`${p}-parent`)).body.prompt).toBe("P one");
    await create({ name: `${p}-child`, prompt: "two", labels: ["production"] });
    expect((await get(`${p}-parent`)).body.prompt).toBe("P two");
    await lf("PATCH", `${baseURI}/${enc(`${p}-child`)}/versions/1`, { newLabels: ["production"] });
    expect((await get(`${p}-parent`)).body.prompt).toBe("P one");
    await create({ name: `${p}-other`, prompt: "x", labels: ["production"] });
    expect((await del(`${p}-other`)).status).toBe(204);
    expect((await get(`${p}-other`)).status).toBe(404);
  });
});

async function seedSecondProject(): Promise<Target & { close(): Promise<void> }> {
  const { openDatabase } = await import("../../db/client");
  const { createProject } = await import("../../lib/auth/projects");
  const { createApiKey } = await import("../../lib/auth/api-keys");
  const { projectContext } = await import("../../lib/context");
  const { noEvents } = await import("../../lib/announcements");
  const database = await openDatabase({ url: process.env.LECTERN_TEST_DATABASE_URL!, poolSize: 2 });
  const system = { type: "system" as const, label: "langfuse test" };
  const id = uniq();
  const project = await createProject(database.db, { slug: `lf-${id}`, name: `Langfuse ${id}` }, system);
  const { key } = await createApiKey(projectContext(database.db, system, project.id, noEvents), {
    name: "langfuse",
    scope: "admin",
  });
  return { url: baseUrl, key, publicId: project.publicId, close: () => database.close() };
}
