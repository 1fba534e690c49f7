// A Langfuse migration without refusals, with the real @langfuse/client: labels no environment has (`v1.2`,
// `approved`) are kept as version labels that every path reads (get by label, update, list, Lectern's own
// resolve), environments' names still promote, and message roles Langfuse accepts are kept as given.
import { describe, expect, it } from "vitest";
import { call } from "./client";
import { adminKey, langfuse, publicId, runtimeKey, uniqueName, withLangfuseClient } from "./langfuse-setup";

withLangfuseClient();

const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${publicId}:${key}`).toString("base64")}` });
const enc = encodeURIComponent;

describe("Langfuse labels that are not environments", () => {
  it("are kept as version labels: created with a version, fetched by, moved by update, listed", async () => {
    const name = uniqueName("vl");
    const v1 = await langfuse.prompt.create({ name, prompt: "one", labels: ["production", "v1.2", "approved"] });
    expect(v1.labels).toEqual(["production", "approved", "v1.2", "latest"]);
    const v2 = await langfuse.prompt.create({ name, prompt: "two" });
    const byLabel = await langfuse.prompt.get(name, { label: "v1.2", cacheTtlSeconds: 0 });
    expect([byLabel.version, byLabel.prompt]).toEqual([1, "one"]);
    await langfuse.prompt.update({ name, version: v2.version, newLabels: ["v1.2"] });
    expect((await langfuse.prompt.get(name, { label: "v1.2", cacheTtlSeconds: 0 })).version).toBe(2);
    expect((await langfuse.prompt.get(name, { version: 1, cacheTtlSeconds: 0 })).labels).toEqual([
      "production",
      "approved",
    ]);
    // Production never moved: a version label is not an environment.
    expect((await langfuse.prompt.get(name, { cacheTtlSeconds: 0 })).version).toBe(1);
    const listed = await call("GET", `/api/public/v2/prompts?name=${enc(name)}`, {
      key: null,
      headers: basic(runtimeKey),
    });
    expect(listed.body.data[0].labels).toEqual(expect.arrayContaining(["approved", "v1.2", "production", "latest"]));
    const filtered = await call("GET", `/api/public/v2/prompts?name=${enc(name)}&label=v1.2`, {
      key: null,
      headers: basic(runtimeKey),
    });
    expect(filtered.body.data[0].versions).toEqual([2]);
    // Lectern's own resolve by the label, twice: the second answer comes from the in-process cache.
    const resolve = () => call("GET", `/api/v1/prompts/resolve?name=${enc(name)}&label=v1.2`, { key: runtimeKey });
    const first = await resolve();
    expect([first.status, first.body.version, first.body.pinned]).toEqual([200, 2, true]);
    expect((await resolve()).headers.get("x-lectern-cache")).toBe("l1");
    // The moves are Lectern's version-label operations: audited, listed with their history.
    const labels = await call("GET", `/api/v1/prompts/${enc(name)}/version-labels`);
    expect(labels.body.history.map((m: { label: string; version: number }) => [m.label, m.version])).toEqual([
      ["v1.2", 2],
      ["v1.2", 1],
      ["approved", 1],
    ]);
  });

  it("refuses a label of only dots, and an environment later named like a version label", async () => {
    const name = uniqueName("vl-refuse");
    const dots = await call("POST", "/api/public/v2/prompts", {
      key: null,
      headers: basic(adminKey),
      body: { name, prompt: "x", labels: [".."] },
    });
    expect([dots.status, dots.body.error, dots.body.message]).toEqual([
      400,
      "InvalidRequestError",
      expect.stringContaining("only dots"),
    ]);
    await langfuse.prompt.create({ name, prompt: "x", labels: ["reviewed-ok"] });
    const env = await call("POST", "/api/v1/environments", { body: { name: "reviewed-ok" } });
    expect([env.status, env.body.error.details.prompts]).toEqual([409, [name]]);
  });

  it("a key limited to environments fetches a version label only when its version was live there", async () => {
    const name = uniqueName("vl-limited");
    await langfuse.prompt.create({ name, prompt: "draft", labels: ["candidate"] });
    const limited = (
      await call("POST", "/api/v1/api-keys", {
        body: { name: "dev only labels", scope: "runtime", environments: ["development"] },
      })
    ).body.key as string;
    const get = () =>
      call("GET", `/api/public/v2/prompts/${enc(name)}?label=candidate`, { key: null, headers: basic(limited) });
    expect((await get()).status).toBe(403);
    await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, {
      body: { environment: "development", version: 1 },
    });
    const after = await get();
    expect([after.status, after.body.version, after.body.labels]).toEqual([200, 1, ["development", "candidate"]]);
  });
});

describe("message roles Langfuse accepts", () => {
  it("are kept as given: stored, fetched, compiled, rendered by Lectern's resolve", async () => {
    const name = uniqueName("roles");
    const prompt = [
      { role: "system", content: "You call tools." },
      { role: "function", content: "lookup → {{answer}}" },
      { role: "critic", content: "Check it." },
    ];
    const created = await langfuse.prompt.create({ name, type: "chat", prompt, labels: ["production"] });
    expect((created.prompt as { role?: string }[]).map((m) => m.role)).toEqual(["system", "function", "critic"]);
    const fetched = await langfuse.prompt.get(name, { type: "chat", cacheTtlSeconds: 0 });
    expect(fetched.compile({ answer: "42" }).map((m) => ("role" in m ? m.role : null))).toEqual([
      "system",
      "function",
      "critic",
    ]);
    const rendered = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { answer: "42" } },
    });
    expect(rendered.body.rendered[1]).toEqual({ role: "function", content: "lookup → 42" });
    // The formats that have no such role say so instead of guessing.
    const anthropic = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { answer: "42" }, format: "anthropic" },
    });
    expect([anthropic.status, anthropic.body.error.message]).toEqual([
      422,
      expect.stringContaining("Anthropic messages have no function role"),
    ]);
  });
});
