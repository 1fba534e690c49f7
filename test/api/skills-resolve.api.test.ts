// A skill through resolve and the TypeScript SDK against the running server: resolve answers its
// files (no template) on both paths — Lectern's own fast path and Next — a version pin answers that version, the
// SDK's getSkill reads them and refuses a prompt, prefetch of everything leaves skills out, and a bundle puts a
// skill member under skills.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type LecternClient } from "../../sdk/src/index";
import { baseUrl, call } from "./client";

const suffix = randomBytes(3).toString("hex");
const env = `skills-resolve-${suffix}`;
const folder = `guide-${suffix}`;
const name = `kb-${suffix}/${folder}`;
const files = {
  "SKILL.md": `---\nname: ${folder}\ndescription: Answers from the guide.\n---\nRead references/faq.md.\n`,
  "references/faq.md": "Q: refunds?\r\nA: yes ✓\n",
};
let key = "";
const clients: LecternClient[] = [];
const enc = encodeURIComponent;

const ok = async (method: string, path: string, body?: unknown) => {
  const r = await call(method, path, { body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

beforeAll(async () => {
  await ok("POST", "/api/v1/environments", { name: env });
  await ok("POST", "/api/v1/prompts", { name, type: "skill", files });
  await ok("POST", `/api/v1/prompts/${enc(name)}/versions`, {
    type: "skill",
    files: { ...files, "references/faq.md": "Q: refunds?\nA: within 30 days.\n" },
  });
  await ok("POST", "/api/v1/prompts", { name: `kb-${suffix}/hello`, type: "text", template: "Hello" });
  for (const [p, v] of [
    [name, 1],
    [`kb-${suffix}/hello`, 1],
  ] as const)
    await ok("POST", `/api/v1/prompts/${enc(p)}/deployments`, { environment: env, version: v });
  await ok("POST", "/api/v1/bundles", { name: `kb-${suffix}`, prompts: [name, `kb-${suffix}/hello`] });
  key = (await ok("POST", "/api/v1/api-keys", { name: `resolve ${suffix}`, scope: "runtime" })).key;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("a skill through resolve and the SDK", () => {
  it("resolve answers its files, as the environment serves it or pinned", async () => {
    const r = await call("GET", `/api/v1/prompts/resolve?name=${enc(name)}&environment=${env}`, { key });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name, type: "skill", version: 1, files, partials: {} });
    expect(r.body).not.toHaveProperty("template");
    const pinned = await call("GET", `/api/v1/prompts/resolve?name=${enc(name)}&environment=${env}&version=2`);
    expect(pinned.body.files["references/faq.md"]).toBe("Q: refunds?\nA: within 30 days.\n");
    // Rendering a skill is refused in words.
    const rendered = await call("POST", "/api/v1/prompts/resolve", { key, body: { name, environment: env } });
    expect([rendered.status, rendered.body.error?.message]).toEqual([
      422,
      expect.stringMatching(/A skill is not rendered/),
    ]);
  });

  it("getSkill reads them; prefetch of everything and getPrompt leave the skill to it", async () => {
    const lectern = createClient({ baseUrl, apiKey: key, environment: env, push: false, pollIntervalMs: 0 });
    clients.push(lectern);
    const skill = await lectern.getSkill(name);
    expect(skill).toEqual({ name, folder, version: 1, environment: env, liveSince: expect.any(String), files });
    expect((await lectern.getSkill(name, { version: 2 })).version).toBe(2);
    await expect(lectern.getSkill(`kb-${suffix}/hello`)).rejects.toThrow(/is a text prompt, not a skill/);
    const all = await lectern.prefetch();
    expect(all.loaded).toContain(`kb-${suffix}/hello`);
    expect(all.loaded).not.toContain(name);
    const bundle = await lectern.getBundle(`kb-${suffix}`);
    expect(Object.keys(bundle.prompts)).toEqual([`kb-${suffix}/hello`]);
    expect(bundle.skills[name]).toMatchObject({ version: 1, files });
  });
});
