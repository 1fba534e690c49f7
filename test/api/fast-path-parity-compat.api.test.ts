// The compatibility APIs' reads — PromptLayer's templates.get (POST) and raw template (GET), LangSmith's pull,
// Pezzo's getPrompt — answered by Lectern's own server (gateway/fast-reads.ts) and by plain `next start` on one
// database and Redis: the same status, headers and body byte for byte (parity.ts), a strong ETag and its 304,
// the same refusals, and after a promote the next read shows the new version.
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, created } from "./client";
import { nextUrl, raw, same, uniq } from "./parity";

const name = `fastcompat-${uniq()}`;
let key = "";
let limited = "";
let slug = "";
let projectId = "";

const pl = (id = name) => `/api/compat/promptlayer/prompt-templates/${encodeURIComponent(id)}`;
const ls = (ref: string) => `/api/compat/langsmith/commits/${slug}/${encodeURIComponent(name)}/${ref}`;
const pezzo = (env = "Production", n = name) =>
  `/api/compat/pezzo/api/prompts/v2/deployment?name=${encodeURIComponent(n)}&environmentName=${env}`;
const xKey = (k: string) => ({ "x-api-key": k });
const pezzoKey = (k: string) => ({ "x-pezzo-api-key": k, "x-pezzo-project-id": projectId });
const json: Record<string, string> = { "content-type": "application/json" };
/** A refusal both servers must word the same: its name, method, path, headers, body and status. */
type Refusal = [string, string, () => string, () => Record<string, string>, string | undefined, number];

async function deploy(version: number, environment = "production") {
  await created(`/api/v1/prompts/${name}/deployments`, { environment, version });
}

beforeAll(async () => {
  expect(nextUrl, "run with LECTERN_TEST_SERVER=both").not.toBe("");
  await created("/api/v1/prompts", {
    name,
    type: "chat",
    template: [
      { role: "system", content: "You are {{tone}}." },
      { role: "user", content: "Q: {{question}}" },
    ],
    variables: [{ name: "tone" }, { name: "question" }],
  });
  await created(`/api/v1/prompts/${name}/versions`, {
    template: [{ role: "system", content: "Version two, {{tone}}." }],
  });
  await deploy(1);
  key = (await call("POST", "/api/v1/api-keys", { body: { name: "fastcompat", scope: "runtime" } })).body.key;
  limited = (
    await call("POST", "/api/v1/api-keys", {
      body: { name: "fastcompat staging", scope: "runtime", environments: ["staging"] },
    })
  ).body.key;
  ({ slug, id: projectId } = (await call("GET", "/api/v1/project")).body);
});

describe("the same answer from both servers", () => {
  it("PromptLayer templates.get (POST, rendered) and its raw template (GET)", async () => {
    const body = JSON.stringify({ label: "production", input_variables: { tone: "kind", question: "why?" } });
    const r = await same("POST", pl(), { ...xKey(key), ...json }, body);
    expect([r.status, r.headers["content-type"], r.headers.etag]).toEqual([
      200,
      "application/json",
      expect.any(String),
    ]);
    expect(r.body).toContain("You are kind.");
    const g = await same("GET", `${pl()}?label=production`, xKey(key));
    expect(g.status).toBe(200);
    expect(JSON.parse(g.body)).toMatchObject({ llm_kwargs: null });
    expect((await same("GET", `${pl()}?version=2&include_llm_kwargs=true`, xKey(key))).status).toBe(200);
  });

  it("LangSmith pull: latest, a tag, a commit", async () => {
    const latest = await same("GET", ls("latest"), xKey(key));
    expect(latest.status).toBe(200);
    const hash = (JSON.parse(latest.body) as { commit_hash: string }).commit_hash;
    for (const ref of ["production", hash.slice(0, 8), "latest?include_model=true"])
      expect((await same("GET", ls(ref), xKey(key))).status, ref).toBe(200);
  });

  it("Pezzo getPrompt", async () => {
    const r = await same("GET", pezzo(), pezzoKey(key));
    expect(r.status).toBe(200);
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
  });

  it.each<Refusal>([
    ["PromptLayer, no key", "POST", () => pl(), () => json, "{}", 401],
    [
      "PromptLayer, an unknown prompt",
      "POST",
      () => pl(`nope-${uniq()}`),
      () => ({ ...xKey(key), ...json }),
      "{}",
      404,
    ],
    ["PromptLayer, a bad body", "POST", () => pl(), () => ({ ...xKey(key), ...json }), '{"version":"x"}', 400],
    ["PromptLayer, not JSON", "POST", () => pl(), () => ({ ...xKey(key), ...json }), "{", 400],
    [
      "PromptLayer, a limited key",
      "POST",
      () => pl(),
      () => ({ ...xKey(limited), ...json }),
      '{"label":"production"}',
      403,
    ],
    ["PromptLayer raw, a bad version", "GET", () => `${pl()}?version=abc`, () => xKey(key), undefined, 400],
    [
      "LangSmith, an unknown key",
      "GET",
      () => ls("latest"),
      () => xKey("lk_nope_0000000000000000000000"),
      undefined,
      401,
    ],
    ["LangSmith, an unknown tag", "GET", () => ls("nowhere"), () => xKey(key), undefined, 404],
    [
      "LangSmith, another owner",
      "GET",
      () => ls("latest").replace(`/${slug}/`, "/someone/"),
      () => xKey(key),
      undefined,
      404,
    ],
    ["Pezzo, no name", "GET", () => "/api/compat/pezzo/api/prompts/v2/deployment", () => pezzoKey(key), undefined, 400],
    [
      "Pezzo, another project",
      "GET",
      () => pezzo(),
      () => ({ ...pezzoKey(key), "x-pezzo-project-id": "other" }),
      undefined,
      403,
    ],
    ["Pezzo, a NUL in the query", "GET", () => pezzo("Production", "a\u0000b"), () => pezzoKey(key), undefined, 400],
  ])("refused the same: %s", async (_n, method, path, headers, body, status) => {
    const r = await same(method, path(), headers(), body);
    expect(r.status).toBe(status);
    expect(r.headers.etag).toBeUndefined();
  });
});

describe("ETags", () => {
  it("a GET naming the ETag is answered 304 without a body, by both; another ETag gets the answer", async () => {
    for (const path of [ls("latest"), `${pl()}?label=production`, pezzo()]) {
      const headers = path.startsWith("/api/compat/pezzo") ? pezzoKey(key) : xKey(key);
      const etag = (await raw(baseUrl, "GET", path, headers)).headers.etag!;
      for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`]) {
        const r = await same("GET", path, { ...headers, "if-none-match": inm });
        expect([r.status, r.body, r.headers.etag]).toEqual([304, "", etag]);
      }
      expect((await same("GET", path, { ...headers, "if-none-match": '"other"' })).status).toBe(200);
    }
  });

  it("a POST is never answered 304 (RFC 9110 §13.1.2), and its ETag is its answer's", async () => {
    const body = JSON.stringify({ label: "production" });
    const first = await raw(baseUrl, "POST", pl(), { ...xKey(key), ...json }, body);
    const again = await same("POST", pl(), { ...xKey(key), ...json, "if-none-match": first.headers.etag! }, body);
    expect([again.status, again.headers.etag]).toEqual([200, first.headers.etag]);
  });
});

describe("a promote is seen by the next read", () => {
  it("each read after the deployment returns answers the new version, with a new ETag", async () => {
    const before = {
      ls: await raw(baseUrl, "GET", ls("production"), xKey(key)),
      pl: await raw(baseUrl, "GET", `${pl()}?label=production`, xKey(key)),
      pezzo: await raw(baseUrl, "GET", pezzo(), pezzoKey(key)),
    };
    expect(before.pl.body).toContain("You are {tone}.");
    await deploy(2);
    // Lectern's own server holds the deployment's answer until it has applied its invalidation (gateway/forward-to-next.ts).
    const after = {
      ls: await raw(baseUrl, "GET", ls("production"), { ...xKey(key), "if-none-match": before.ls.headers.etag! }),
      pl: await raw(baseUrl, "GET", `${pl()}?label=production`, xKey(key)),
      pezzo: await raw(baseUrl, "GET", pezzo(), { ...pezzoKey(key), "if-none-match": before.pezzo.headers.etag! }),
    };
    expect(after.ls.status).toBe(200);
    expect(after.ls.headers.etag).not.toBe(before.ls.headers.etag);
    expect(after.pl.body).toContain("Version two, {tone}.");
    expect(after.pezzo.status).toBe(200);
    expect(after.pezzo.body).not.toBe(before.pezzo.body);
    // The other instance hears of it over Pub/Sub; then both answer the same again.
    await expect
      .poll(async () => (await raw(nextUrl, "GET", `${pl()}?label=production`, xKey(key))).body, { timeout: 5_000 })
      .toContain("Version two");
    expect((await same("GET", ls("production"), xKey(key))).status).toBe(200);
    await deploy(1);
    expect((await raw(baseUrl, "GET", `${pl()}?label=production`, xKey(key))).body).toContain("You are {tone}.");
  });

  it("a new version is the next pull of latest (the pull is kept in resolve's cache, dropped by the version)", async () => {
    const before = await raw(baseUrl, "GET", ls("latest"), xKey(key));
    expect((await raw(baseUrl, "GET", ls("latest"), xKey(key))).body).toBe(before.body); // from the cache now
    await created(`/api/v1/prompts/${name}/versions`, {
      template: [{ role: "system", content: "Version three, {{tone}}." }],
    });
    const after = await raw(baseUrl, "GET", ls("latest"), { ...xKey(key), "if-none-match": before.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.body).toContain("Version three");
    expect(JSON.parse(after.body).commit_hash).not.toBe(JSON.parse(before.body).commit_hash);
  });

  it("HEAD is answered as GET without a body, by both", async () => {
    const r = await same("HEAD", ls("latest"), xKey(key));
    expect([r.status, r.body, r.headers.etag]).toEqual([200, "", expect.any(String)]);
  });
});
