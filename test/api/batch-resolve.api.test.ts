// Batch resolve: one request answers many prompts of one environment, each answered or refused on its
// own, and the SDK's prefetch fills its cache with it (a later getPrompt asks the server nothing).
import { request, type IncomingHttpHeaders } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../sdk/src/index";
import { baseUrl, call, errorCode } from "./client";

const suffix = Math.random().toString(36).slice(2, 8);
const env = `batch${suffix}`;
const a = `batch-${suffix}/a`;
const b = `batch-${suffix}/B, with a comma`;
const undeployed = `batch-${suffix}/draft`;
let runtimeKey = "";

async function created(path: string, body: unknown) {
  const r = await call("POST", path, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

beforeAll(async () => {
  await created("/api/v1/environments", { name: env });
  await created("/api/v1/prompts", { name: a, type: "text", template: "A says {{x}}", variables: [{ name: "x" }] });
  await created("/api/v1/prompts", { name: b, type: "text", template: "B says hi" });
  await created("/api/v1/prompts", { name: undeployed, type: "text", template: "never live" });
  await created(`/api/v1/prompts/${encodeURIComponent(a)}/deployments`, { environment: env, version: 1 });
  await created(`/api/v1/prompts/${encodeURIComponent(b)}/deployments`, { environment: env, version: 1 });
  runtimeKey = (await created("/api/v1/api-keys", { name: "batch", scope: "runtime" })).key;
});

/** An environment serving 12 prompts of about 1 MB each once their 5 partials are in (made once). */
let heavyPrompts: Promise<{ big: string; names: string[] }> | undefined;
function heavy() {
  heavyPrompts ??= (async () => {
    const big = `big${suffix}`;
    await created("/api/v1/environments", { name: big });
    const deploy = (name: string) =>
      created(`/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: big, version: 1 });
    const parts = Array.from({ length: 5 }, (_, i) => `batch-${suffix}/part${i}`);
    for (const [i, name] of parts.entries()) {
      await created("/api/v1/prompts", { name, type: "text", template: String(i).repeat(199_000) });
      await deploy(name);
    }
    // 12 of them would make a 12 MB answer.
    const names = Array.from({ length: 12 }, (_, i) => `batch-${suffix}/heavy${i}`);
    for (const name of names) {
      await created("/api/v1/prompts", { name, type: "text", template: parts.map((p) => `{{> ${p}}}`).join("\n") });
      await deploy(name);
    }
    return { big, names };
  })();
  return heavyPrompts;
}

describe("batch resolve", () => {
  it("GET names=…: each prompt as the single resolve answers it, and each failure named", async () => {
    const q = new URLSearchParams({ names: `${a},${undeployed},no such/${suffix},bad|name`, environment: env });
    const r = await call("GET", `/api/v1/prompts/resolve?${q}`, { key: runtimeKey });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.prompts.map((p: { name: string }) => p.name)).toEqual([a]);
    const single = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(a)}&environment=${env}`, {
      key: runtimeKey,
    });
    const { resolvedAt: _1, etag, ...fromBatch } = r.body.prompts[0];
    const { resolvedAt: _2, ...alone } = single.body;
    expect(fromBatch).toEqual(alone);
    expect(etag).toBe(single.headers.get("etag"));
    const errors = Object.fromEntries(
      r.body.errors.map((e: { name: string; error: { code: string } }) => [e.name, e.error.code]),
    );
    expect(errors).toEqual({
      [undeployed]: expect.stringMatching(/^not_(found|deployed)$/),
      [`no such/${suffix}`]: "not_found",
      "bad|name": "invalid_input",
    });
  });

  it("POST names: names holding commas, duplicates answered once; all: true lists what the environment serves", async () => {
    const r = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { names: [b, a, b], environment: env },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.prompts.map((p: { name: string }) => p.name)).toEqual([b, a]);
    expect(r.body.errors).toEqual([]);
    const all = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { all: true, environment: env },
    });
    expect(all.status).toBe(200);
    expect(all.body.prompts.map((p: { name: string }) => p.name).sort()).toEqual([a, b].sort());
    expect(all.body.errors).toEqual([]);
    // The single POST (render with variables) is unchanged.
    const one = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name: a, environment: env, variables: { x: "1" } },
    });
    expect(one.body.rendered).toBe("A says 1");
  });

  it("refuses a bad batch as a whole, naming the problem", async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `n${i}`);
    for (const body of [{ names: [] }, { names: tooMany }, { names: "a" }, { names: [a], all: true }, { all: false }]) {
      const r = await call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { ...body, environment: env } });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(r)).toBe("invalid_input");
    }
    const get = await call("GET", `/api/v1/prompts/resolve?names=${tooMany.join(",")}`, { key: runtimeKey });
    expect(get.status).toBe(400);
    expect(get.body.error.message).toMatch(/at most 100/);
  });

  it("a key limited to other environments is refused as a whole", async () => {
    const limited = await created("/api/v1/api-keys", { name: "batch limited", scope: "runtime", environments: [env] });
    const ok = await call("POST", "/api/v1/prompts/resolve", {
      key: limited.key,
      body: { names: [a], environment: env },
    });
    expect(ok.body.prompts).toHaveLength(1);
    const other = await call("POST", "/api/v1/prompts/resolve", {
      key: limited.key,
      body: { names: [a], environment: "production" },
    });
    expect(other.status).toBe(403);
    expect(errorCode(other)).toBe("forbidden");
  });

  it("keeps one batch answer within 8 MiB: prompts past it are named in errors, to be resolved alone", async () => {
    const { big, names } = await heavy();
    const r = await call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { names, environment: big } });
    expect(r.status).toBe(200);
    expect(Number(r.headers.get("content-length") ?? JSON.stringify(r.body).length)).toBeLessThanOrEqual(8 * 2 ** 20);
    const refused = r.body.errors.filter((e: { error: { code: string } }) => e.error.code === "payload_too_large");
    expect(r.body.prompts.length + refused.length).toBe(12);
    expect(r.body.prompts.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].error.message).toMatch(/larger than 8 MiB with this prompt: resolve it on its own/);
    // Alone, a refused prompt resolves.
    const alone = await call(
      "GET",
      `/api/v1/prompts/resolve?name=${encodeURIComponent(refused[0].name)}&environment=${big}`,
      {
        key: runtimeKey,
      },
    );
    expect(alone.status).toBe(200);
  });

  it("streams the answer as the client reads it: a reader that pauses gets every byte, in order", async () => {
    const { big, names } = await heavy();
    const body = JSON.stringify({ names, environment: big });
    const url = new URL("/api/v1/prompts/resolve", baseUrl);
    const { headers, text } = await new Promise<{ headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          headers: { authorization: `Bearer ${runtimeKey}`, "content-type": "application/json" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.pause(); // reads nothing for a second: the server waits rather than queueing the rest
          setTimeout(() => res.resume(), 1000);
          res.on("data", (d: Buffer) => chunks.push(d));
          res.on("end", () => resolve({ headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(headers["transfer-encoding"]).toBe("chunked");
    const answer = JSON.parse(text) as { prompts: { name: string }[]; errors: { name: string }[] };
    expect(answer.prompts.length + answer.errors.length).toBe(12);
    expect([...answer.prompts, ...answer.errors].map((p) => p.name).sort()).toEqual([...names].sort());
    expect(answer.prompts.map((p) => p.name)).toEqual(names.filter((n) => answer.prompts.some((p) => p.name === n)));
  });

  it("the SDK's prefetch fills the cache in one request", async () => {
    let requests = 0;
    const lectern = createClient({
      baseUrl,
      apiKey: runtimeKey,
      environment: env,
      push: false,
      fetch: (input, init) => {
        requests++;
        return fetch(input, init);
      },
    });
    const r = await lectern.prefetch([a, b, undeployed]);
    expect(r.loaded.sort()).toEqual([a, b].sort());
    expect(r.errors.map((e) => e.name)).toEqual([undeployed]);
    expect(requests).toBe(1);
    const p = await lectern.getPrompt(a);
    expect(p.render({ x: "2" })).toBe("A says 2");
    expect(requests).toBe(1);
    await lectern.close();
  });
});
