// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts's deletion block, then promptCache.servertest.ts.
import { describe, expect, it } from "vitest";
import { call } from "./client";
import { baseURI, uniq, enc, dep, del, create, get, lf } from "./langfuse-fixture";

describe("PATCH api/public/v2/prompts/[promptName]/versions/[version]", () => {
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
