// Langfuse users switch by changing a base URL: the official @langfuse/client fetches and creates Lectern prompts.
import { randomBytes } from "node:crypto";
import { LangfuseClient } from "@langfuse/client";
import { describe, expect, it } from "vitest";
import { baseUrl, call } from "./client";
import { adminKey, expectLoggedFailure, publicId, runtimeKey, withLangfuseKeys } from "./langfuse-setup";

withLangfuseKeys();

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
    expect(res.body).toMatchObject({ error: "LangfuseConflictError", code: "conflict" });
    expect(res.body.details).toMatchObject({ rule: "requiresReview", environment: gated });
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

  it("a chat create with a string prompt is Langfuse's 400 naming the field, not a 500", async () => {
    const basic = `Basic ${Buffer.from(`${publicId}:${adminKey}`).toString("base64")}`;
    const res = await call("POST", "/api/public/v2/prompts", {
      key: null,
      headers: { authorization: basic },
      body: { name: `lf-bad-${randomBytes(3).toString("hex")}`, type: "chat", prompt: "hello" },
    });
    expect(res.status).toBe(400);
    // Langfuse's answer to input its request schema refuses, with Lectern's code and details beside it.
    expect(res.body).toMatchObject({
      message: "Invalid request data",
      error: [{ path: ["prompt"], message: 'prompt must be a list of messages when type is "chat"' }],
      code: "invalid_input",
      details: { field: "prompt" },
    });
  });
});
