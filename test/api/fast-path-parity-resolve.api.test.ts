// GET and POST /api/v1/prompts/resolve, answered by Lectern's own server (`npm start`) and by plain `next start`
// on one database and Redis: the same status, headers and body byte for byte (parity.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call } from "./client";
import { bearer, both, changesOn, nextUrl, paritySetup, raw, same } from "./parity";

let name = "";
let runtimeKey = "";
let limitedKey = "";
let publicId = "";

beforeAll(async () => {
  ({ name, runtimeKey, limitedKey, publicId } = await paritySetup());
});

describe("GET /api/v1/prompts/resolve: the same answer from both servers", () => {
  it("an L1 hit: status, ETag, cache headers, security headers and body", async () => {
    const r = await same("GET", `/api/v1/prompts/resolve?name=${name}&subject=user-7`, bearer(runtimeKey));
    expect(r.status).toBe(200);
    expect(r.headers["x-lectern-cache"]).toBe("l1");
    expect(r.headers.etag).toMatch(/^"/);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(r.body)).toMatchObject({ name, version: 1, subject: "user-7" });
  });

  it("304 on If-None-Match (strong, weak, in a list) and 200 on another ETag", async () => {
    const etag = (await raw(baseUrl, "GET", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey))).headers.etag!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`]) {
      const r = await same("GET", `/api/v1/prompts/resolve?name=${name}`, {
        ...bearer(runtimeKey),
        "if-none-match": inm,
      });
      expect(r.status).toBe(304);
      expect(r.body).toBe("");
    }
    expect(
      (await same("GET", `/api/v1/prompts/resolve?name=${name}`, { ...bearer(runtimeKey), "if-none-match": '"other"' }))
        .status,
    ).toBe(200);
  });

  it("pins, point-in-time answers and include=experiment", async () => {
    // Each instance caches the pin once; the second asks warm it first, so both say l1.
    for (const q of ["version=2", "include=experiment"])
      for (const base of [baseUrl, nextUrl])
        await raw(base, "GET", `/api/v1/prompts/resolve?name=${name}&${q}`, bearer(runtimeKey));
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}&version=2`, bearer(runtimeKey))).status).toBe(200);
    expect(
      (
        await same(
          "GET",
          `/api/v1/prompts/resolve?name=${name}&at=${encodeURIComponent(new Date().toISOString())}`,
          bearer(runtimeKey),
        )
      ).status,
    ).toBe(200);
    expect(
      (await same("GET", `/api/v1/prompts/resolve?name=${name}&include=experiment`, bearer(runtimeKey))).status,
    ).toBe(200);
  });

  it.each([
    ["no key", "", {}, 401],
    ["a malformed Authorization header", "", { authorization: "Token abc" }, 401],
    ["an unknown key", "", { authorization: "Bearer lk_nope_0000000000000000000000" }, 401],
    [
      "a Basic header with another project's public id",
      "",
      { authorization: `Basic ${Buffer.from("pk-nope:KEY").toString("base64")}` },
      401,
    ],
    ["no name", "environment=production", "runtime", 400],
    ["a bad version", "version=abc&name=NAME", "runtime", 400],
    ["a bad include", "include=all&name=NAME", "runtime", 400],
    ["a bad at", "at=yesterday&name=NAME", "runtime", 400],
    ["a NUL in the query", "name=a%00b", "runtime", 400],
    ["an unknown prompt", "name=does-not-exist-anywhere", "runtime", 404],
    ["an unknown environment", "name=NAME&environment=nowhere", "runtime", 404],
    ["a limited key outside its environments", "name=NAME", "limited", 403],
    ["a limited key asking for a version", "name=NAME&environment=staging&version=2", "limited", 403],
  ])("the same error for %s", async (_what, q, who, status) => {
    const headers =
      who === "runtime" ? bearer(runtimeKey) : who === "limited" ? bearer(limitedKey) : (who as Record<string, string>);
    const r = await same("GET", `/api/v1/prompts/resolve?${q.replace("NAME", name)}`, headers);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body).error.code).toEqual(expect.any(String));
  });

  it("a Basic header with the project's public id (Langfuse style) is accepted by both", async () => {
    const basic = { authorization: `Basic ${Buffer.from(`${publicId}:${runtimeKey}`).toString("base64")}` };
    expect((await same("GET", `/api/v1/prompts/resolve?name=${name}`, basic)).status).toBe(200);
  });

  it("methods other than GET and POST", async () => {
    expect((await same("PUT", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey))).status).toBe(405);
    expect((await same("DELETE", "/api/v1/events", bearer(runtimeKey))).status).toBe(405);
  });

  it("HEAD: the GET answer's status and headers, no body (and no event stream held open)", async () => {
    const r = await same("HEAD", `/api/v1/prompts/resolve?name=${name}`, bearer(runtimeKey));
    expect(r.status).toBe(200);
    expect(r.headers.etag).toMatch(/^"/);
    expect(r.body).toBe("");
    expect(
      (await same("HEAD", `/api/v1/prompts/resolve?name=does-not-exist-anywhere`, bearer(runtimeKey))).status,
    ).toBe(404);
    expect((await same("HEAD", `/api/v1/prompts/resolve?name=${name}`)).status).toBe(401);
    const events = await same("HEAD", "/api/v1/events", bearer(runtimeKey));
    expect(events.status).toBe(200);
    expect(events.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  });
});

describe("POST /api/v1/prompts/resolve: the same answer from both servers", () => {
  const post = (body: unknown, headers: Record<string, string> = bearer(runtimeKey)) =>
    same(
      "POST",
      "/api/v1/prompts/resolve",
      { ...headers, "content-type": "application/json" },
      typeof body === "string" ? body : JSON.stringify(body),
    );

  it("renders, and refuses bad input the same way", async () => {
    // POST reads the cache through get(): warm both so the layer header agrees.
    await both(
      "POST",
      "/api/v1/prompts/resolve",
      { ...bearer(runtimeKey), "content-type": "application/json" },
      JSON.stringify({ name, variables: { name: "Ada" } }),
    );
    const ok = await post({ name, variables: { name: "Ada" } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).rendered).toBe("Hello Ada!");
    expect((await post({ name })).status).toBe(422);
    expect((await post({ name, variables: [] })).status).toBe(400);
    expect((await post("{not json")).status).toBe(400);
    expect((await post("")).status).toBe(400);
    expect((await post({ name, variables: { name: "a\u0000b" } })).status).toBe(400);
    expect((await post({ name }, {})).status).toBe(401);
  });

  it("413 for a body over 1 MiB, declared or streamed without a length", async () => {
    const big = JSON.stringify({ name, variables: { name: "x".repeat(1024 * 1024 + 10) } });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.details).toEqual({ limit: 1024 * 1024 });
    const streamed = await same(
      "POST",
      "/api/v1/prompts/resolve",
      { ...bearer(runtimeKey), "content-type": "application/json" },
      big,
      { chunked: true },
    );
    expect(streamed).toEqual(declared);
  });
});

// Last: moving a label drops every cached answer of the project, which the tests above compare layer for layer.
describe("resolve by version label: the same answer from both servers", () => {
  it("a version label: the labeled version from L1 on both, and the same refusals", async () => {
    // Each server warms its L1 once it has applied the label's move (plain `next start` hears of it through
    // Pub/Sub, after the PUT has answered): a move applied after the warming read would empty L1 again.
    const streams = await Promise.all([baseUrl, nextUrl].map((base) => changesOn(base, runtimeKey)));
    expect((await call("PUT", `/api/v1/prompts/${name}/version-labels/v1.2`, { body: { version: 2 } })).status).toBe(
      200,
    );
    await Promise.all(streams.map((s) => s.heard('"label":"v1.2"', "the move of label v1.2")));
    for (const base of [baseUrl, nextUrl])
      await raw(base, "GET", `/api/v1/prompts/resolve?name=${name}&label=v1.2`, bearer(runtimeKey));
    const r = await same("GET", `/api/v1/prompts/resolve?name=${name}&label=v1.2`, bearer(runtimeKey));
    expect([r.status, r.headers["x-lectern-cache"], JSON.parse(r.body).version]).toEqual([200, "l1", 2]);
    for (const [q, status] of [
      ["label=production", 400],
      ["label=v1.2&version=1", 400],
      ["label=nope", 404],
      ["label=Bad", 400],
    ] as const)
      expect((await same("GET", `/api/v1/prompts/resolve?name=${name}&${q}`, bearer(runtimeKey))).status, q).toBe(
        status,
      );
    // A key limited to staging: version 2 was never live there.
    expect(
      (await same("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging&label=v1.2`, bearer(limitedKey)))
        .status,
    ).toBe(403);
  });
});
