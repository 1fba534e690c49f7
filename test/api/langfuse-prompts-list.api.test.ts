// Langfuse's server tests of its public prompt API, translated (the translation's notes: test/api/langfuse-fixture.ts).
// prompts.v2.servertest.ts: the prompt list, on a fresh server of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ServerProcess } from "../cluster/harness";
import {
  baseURI,
  uniq,
  enc,
  post,
  dep,
  create,
  get,
  lf,
  type Target,
  targetOf,
  seedSecondProject,
} from "./langfuse-fixture";

describe("/api/public/v2/prompts API Endpoint", () => {
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
});
