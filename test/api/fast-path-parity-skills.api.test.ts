// The files under a skills URL — the discovery index, an archive, a SKILL.md — answered by Lectern's own server
// (gateway/fast-reads.ts) and by plain `next start` on one database and Redis: the same status, headers and bytes
// (parity.ts), a strong ETag and its 304, the same refusals, and after a promote the next read shows it.
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call } from "./client";
import { nextUrl, raw, same, uniq } from "./parity";

const suffix = uniq();
const env = `fastskills-${suffix}`;
const folder = `guide-${suffix}`;
const name = `kb-${suffix}/${folder}`;
const skillMd = (v: string) => `---\nname: ${folder}\ndescription: Answers from the guide ${v}.\n---\nRead it.\n`;
let base = ""; // the key's skills URL, as a path
let key = "";
const wk = ".well-known/agent-skills";

const ok = async (method: string, path: string, body?: unknown) => {
  const r = await call(method, path, { body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

beforeAll(async () => {
  expect(nextUrl, "run with LECTERN_TEST_SERVER=both").not.toBe("");
  await ok("POST", "/api/v1/environments", { name: env });
  await ok("POST", "/api/v1/prompts", { name, type: "skill", files: { "SKILL.md": skillMd("one") } });
  await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, {
    type: "skill",
    files: { "SKILL.md": skillMd("two") },
  });
  await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 1 });
  const created = await ok("POST", "/api/v1/api-keys", {
    name: `skills ${suffix}`,
    scope: "skills",
    environments: [env],
  });
  key = created.key;
  base = new URL(created.skillsUrl as string).pathname;
});

describe("the same answer from both servers", () => {
  it("the index, an archive and a SKILL.md, with the private headers", async () => {
    const index = await same("GET", `${base}/${wk}/index.json`);
    expect([index.status, index.headers["content-type"], index.headers["cache-control"]]).toEqual([
      200,
      "application/json",
      "no-store",
    ]);
    expect(index.headers["referrer-policy"]).toBe("no-referrer");
    expect(index.body).toContain(folder);
    for (const file of [`${folder}.tar.gz`, `${folder}.zip`, `${folder}/SKILL.md`]) {
      const r = await same("GET", `${base}/${wk}/${file}`);
      expect(r.status, file).toBe(200);
    }
  });

  it.each([
    ["an unknown key", () => `${base.replace(key, "lk_nope_0000000000000000000000")}/${wk}/index.json`, 401],
    ["outside .well-known", () => `${base}/prompts`, 404],
    ["an unknown skill", () => `${base}/${wk}/nope.tar.gz`, 404],
    ["a traversal", () => `${base}/${wk}/..%2F..%2Fprompts`, 404],
    ["no published skills", () => `/api/v1/skills/public/no-such-${suffix}/${wk}/index.json`, 404],
  ] as const)("refused the same: %s", async (_n, path, status) => {
    const r = await same("GET", path());
    expect(r.status).toBe(status);
    expect(r.headers["cache-control"]).toBe("no-store");
  });
});

describe("ETags and promotes", () => {
  it("304 on If-None-Match from both; after a promote the next read is the new version", async () => {
    const index = `${base}/${wk}/index.json`;
    const first = await raw(baseUrl, "GET", index);
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const r = await same("GET", index, { "if-none-match": first.headers.etag! });
    expect([r.status, r.body]).toEqual([304, ""]);
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 2 });
    const after = await raw(baseUrl, "GET", index, { "if-none-match": first.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.body).not.toBe(first.body);
    expect((await raw(baseUrl, "GET", `${base}/${wk}/${folder}/SKILL.md`)).body).toBe(skillMd("two"));
    expect((await same("GET", index)).status).toBe(200);
  });
});
