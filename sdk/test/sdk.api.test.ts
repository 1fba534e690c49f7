// @lectern/sdk against a real Lectern server (started by scripts/with-server.sh, which sets
// LECTERN_TEST_BASE_URL and LECTERN_TEST_ADMIN_KEY). Names carry a random suffix: the server is shared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  LecternAuthError,
  LecternNetworkError,
  LecternNotFoundError,
  LecternValidationError,
  type ClientOptions,
  type LecternClient,
  type Message,
} from "../src/index";
import { closedPort, eventually } from "./fake-server";
import { admin, baseUrl } from "./lectern";

if (!baseUrl)
  throw new Error("LECTERN_TEST_BASE_URL is not set: run the api tier through scripts/with-server.sh (npm test does).");

const suffix = Math.random().toString(36).slice(2, 8);
const tone = `sdk-${suffix}/tone`;
const reply = `sdk-${suffix}/reply`;
const live = `sdk-${suffix}/live`;
const enc = encodeURIComponent;
let runtimeKey = "";
const clients: LecternClient[] = [];

function client(opts: Partial<ClientOptions> = {}) {
  const c = createClient({ baseUrl, apiKey: runtimeKey, onError: () => {}, ...opts });
  clients.push(c);
  return c;
}

const replyValues = {
  customer: { name: "Ada", plan: "pro" },
  items: ["refund", "invoice"],
  question: "Where is my <order>?",
};

beforeAll(async () => {
  runtimeKey = (await admin<{ key: string }>("POST", "/api/v1/api-keys", { name: `sdk-${suffix}`, scope: "runtime" }))
    .key;
  await admin("POST", "/api/v1/prompts", {
    name: tone,
    type: "text",
    template: "Be {{mood}}.",
    variables: [{ name: "mood", default: "kind" }],
  });
  await admin("POST", "/api/v1/prompts", {
    name: reply,
    type: "chat",
    template: [
      { role: "system", content: `{{> ${tone}}}\nYou help {{customer.name}} ({{customer}}).` },
      { role: "user", content: "{{#items}}- {{.}}\n{{/items}}{{question}}" },
    ],
    variables: [
      { name: "customer", type: "json" },
      { name: "items", type: "json", required: false, default: [] },
      { name: "question" },
    ],
    config: { model: "gpt-test", temperature: 0.3 },
  });
  await admin("POST", "/api/v1/prompts", {
    name: live,
    type: "text",
    template: "version one {{x}}",
    variables: [{ name: "x" }],
  });
  await admin("POST", `/api/v1/prompts/${enc(live)}/versions`, {
    type: "text",
    template: "version two {{x}}",
    variables: [{ name: "x" }],
  });
  for (const name of [tone, reply, live])
    await admin("POST", `/api/v1/prompts/${enc(name)}/deployments`, { environment: "production", version: 1 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("getPrompt and render", () => {
  it("renders exactly what the server renders", async () => {
    const lectern = client();
    const p = await lectern.getPrompt(reply, { subject: "user-1" });
    expect(p).toMatchObject({
      name: reply,
      version: 1,
      environment: "production",
      type: "chat",
      source: "network",
      isFallback: false,
      experiment: null,
    });
    expect(p.config).toMatchObject({ model: "gpt-test", temperature: 0.3 });
    const rendered = p.render(replyValues) as Message[];
    const server = await admin<{ rendered: Message[] }>(
      "POST",
      "/api/v1/prompts/resolve",
      { name: reply, variables: replyValues },
      runtimeKey,
    );
    expect(rendered).toEqual(server.rendered);
    expect(rendered[0]!.content).toBe(`Be kind.\nYou help Ada ({"name":"Ada","plan":"pro"}).`);
    expect((await lectern.getPrompt(reply, { subject: "user-1" })).source).toBe("cache");
  });

  it("throws the server's validation errors from render", async () => {
    const p = await client().getPrompt(reply);
    const err = (() => {
      try {
        p.render({ customer: "not json object is fine", question: 3 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LecternValidationError);
    expect(err).toMatchObject({
      code: "invalid_variables",
      invalid: [{ name: "question", expected: "string", got: "number" }],
    });
    expect(() => p.render({})).toThrow(
      expect.objectContaining({ code: "missing_variables", missing: ["customer", "question"] }) as Error,
    );
  });

  it("pins a version", async () => {
    const p = await client().getPrompt(live, { version: 2 });
    expect(p.version).toBe(2);
    expect(p.render({ x: "!" })).toBe("version two !");
  });

  it("revalidates with the ETag and gets 304", async () => {
    const seen: { status: number; ifNoneMatch: string | null }[] = [];
    let t = 1_800_000_000_000;
    const lectern = client({
      push: false,
      pollIntervalMs: 0,
      cacheTtlMs: 60_000,
      now: () => t,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        seen.push({ status: res.status, ifNoneMatch: new Headers(init?.headers).get("if-none-match") });
        return res;
      },
    });
    await lectern.getPrompt(tone);
    t += 60_000; // the cache lifetime passes
    expect((await lectern.getPrompt(tone)).version).toBe(1); // stale: served, and revalidated in the background
    await eventually(() => seen.length === 2, 10_000, "the revalidation");
    expect(seen[0]!.status).toBe(200);
    expect(seen[1]).toMatchObject({ status: 304 });
    expect(seen[1]!.ifNoneMatch).toMatch(/^"/);
  });
});

describe("push", () => {
  // Push, not a cache lifetime, delivers the rollback: polling is off and the TTL is 60 s, so 10 s is ample
  // (how fast push is, is measured by `npm run bench`, not asserted here).
  it("serves a rolled-back version through push, over node:http and over fetch", async () => {
    const viaNode = client({ pollIntervalMs: 0 });
    const viaFetch = client({ pollIntervalMs: 0, fetch: (input, init) => fetch(input, init) });
    for (const c of [viaNode, viaFetch]) expect((await c.getPrompt(live)).version).toBe(1);
    // Promote v2 and let push deliver it: this also proves both streams are connected (the TTL is 60 s).
    await admin("POST", `/api/v1/prompts/${enc(live)}/deployments`, { environment: "production", version: 2 });
    for (const c of [viaNode, viaFetch])
      await eventually(async () => (await c.getPrompt(live)).version === 2, 10_000, "version 2 via push");

    await admin("POST", `/api/v1/prompts/${enc(live)}/rollback`, { environment: "production" });
    for (const c of [viaNode, viaFetch])
      await eventually(async () => (await c.getPrompt(live)).version === 1, 10_000, "version 1 via push");
  });
});

describe("when the server cannot be reached", () => {
  it("serves the fallback, and throws a network error without one", async () => {
    const offline = client({ baseUrl: await closedPort() });
    const p = await offline.getPrompt(reply, {
      fallback: { type: "text", template: "Help {{customer.name}}: {{question}}" },
    });
    expect(p).toMatchObject({ isFallback: true, source: "fallback", version: 0 });
    expect(p.render(replyValues)).toBe("Help Ada: Where is my <order>?");
    await expect(offline.getPrompt(tone)).rejects.toBeInstanceOf(LecternNetworkError);
  });

  it("starts from a snapshot without the network", async () => {
    const online = client();
    await online.getPrompt(reply);
    await online.getPrompt(tone);
    const snapshot = JSON.parse(JSON.stringify(online.snapshot())) as ReturnType<LecternClient["snapshot"]>;
    const offline = client({ baseUrl: await closedPort(), bootstrap: snapshot });
    const p = await offline.getPrompt(reply);
    expect(p).toMatchObject({ version: 1, source: "bootstrap", isFallback: false });
    expect(p.render(replyValues)).toEqual((await online.getPrompt(reply)).render(replyValues));
  });
});

describe("typed errors", () => {
  it("404 for an unknown prompt and for one not deployed, even with a fallback", async () => {
    const lectern = client();
    const unknown = await lectern.getPrompt(`sdk-${suffix}/nope`, { fallback: "x" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(LecternNotFoundError);
    expect(unknown).toMatchObject({ code: "not_found", status: 404 });
    const undeployed = await lectern.getPrompt(reply, { environment: "staging" }).catch((e: unknown) => e);
    expect(undeployed).toBeInstanceOf(LecternNotFoundError);
    expect(undeployed).toMatchObject({ code: "not_deployed", status: 404 });
  });

  it("401 for a bad key", async () => {
    const err = await client({ apiKey: "lk_rt_not-a-real-key" })
      .getPrompt(reply, { fallback: "x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LecternAuthError);
    expect(err).toMatchObject({ code: "unauthorized", status: 401 });
  });
});

describe("getBundle", () => {
  it("gets every member at one release, rendered as the server would", async () => {
    const name = `sdk-${suffix}/agent`;
    await admin("POST", "/api/v1/bundles", { name, prompts: [reply, tone] });
    await admin("POST", `/api/v1/bundles/${enc(name)}/releases`, {
      environment: "production",
      versions: { [reply]: 1, [tone]: 1 },
    });
    const b = await client().getBundle(name);
    expect([b.name, b.environment, b.release?.current, Object.keys(b.prompts)]).toEqual([
      name,
      "production",
      true,
      [reply, tone],
    ]);
    expect(b.prompts[tone]!.render({ mood: "brief" })).toBe("Be brief.");
    expect(b.prompts[reply]!.version).toBe(1);
    await expect(client().getBundle(`sdk-${suffix}/none`)).rejects.toBeInstanceOf(LecternNotFoundError);
    await expect(client().getBundle("")).rejects.toThrow("getBundle takes a bundle name");
  });
});
