// Skills over MCP with the official TypeScript SDK's client: the session's environment's skills are
// resources, skill://<name>/SKILL.md and each file (SEP-2640's scheme); resources/read answers each file's text
// as stored; a file the environment does not serve is "resource not found"; a skill's promotion tells the client,
// a template prompt's does not; skills/list (SEP-2640) gives each file the SHA-256 of what it reads.
import { createHash, randomBytes } from "node:crypto";
import { ResourceListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { quietFor } from "../waits";
import { mcpClientsForFile, ok, streamOpened } from "./mcp-setup";

const suffix = randomBytes(3).toString("hex");
const env = `mcp-skills-${suffix}`;
const folder = `pdf-report-${suffix}`;
const name = `team-${suffix}/${folder}`;
const files: Record<string, string> = {
  "SKILL.md": `---\nname: ${folder}\ndescription: Writes PDF reports.\nlicense: MIT\n---\nUse references/guide.md.\n`,
  "references/guide.md": "# Guide\r\nCharts first. ✓\n",
  "scripts/render.py": "print('render')\n",
};
let runtimeKey = "";

const connectTo = mcpClientsForFile("lectern-skills-test");
const connect = () => connectTo(runtimeKey, `?environment=${env}`);

beforeAll(async () => {
  await ok("POST", "/api/v1/environments", { name: env });
  await ok("POST", "/api/v1/prompts", { name, type: "skill", files });
  await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 1 });
  runtimeKey = (
    await ok("POST", "/api/v1/api-keys", { name: `mcp-skills ${suffix}`, scope: "runtime", environments: [env] })
  ).key;
});

describe("MCP: skills as resources", () => {
  it("lists skill://<name>/SKILL.md and each file, and reads each as stored", async () => {
    const client = await connect();
    expect(client.getServerCapabilities()?.resources).toMatchObject({ listChanged: true });
    const { resources } = await client.listResources();
    const mine = resources.filter((r) => r.uri.startsWith(`skill://${name}/`));
    expect(mine.map((r) => r.uri)).toEqual([
      `skill://${name}/SKILL.md`,
      `skill://${name}/references/guide.md`,
      `skill://${name}/scripts/render.py`,
    ]);
    expect(mine[0]).toMatchObject({ name: folder, description: "Writes PDF reports.", mimeType: "text/markdown" });
    for (const [path, text] of Object.entries(files)) {
      const read = await client.readResource({ uri: `skill://${name}/${path}` });
      expect(read.contents).toEqual([expect.objectContaining({ uri: `skill://${name}/${path}`, text })]);
    }
    await expect(client.readResource({ uri: `skill://${name}/nope.md` })).rejects.toThrow(/-32002/);
    // Skills are resources, not prompts a model is given.
    expect((await client.listPrompts()).prompts.map((p) => p.name)).not.toContain(name);
  });

  it("tells the client when a promotion changes the files", async () => {
    const client = await connect();
    let told = 0;
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      told++;
    });
    await streamOpened(client);
    // A template prompt's promotion changes no resource: no resources/list_changed.
    const tone = `team-${suffix}/tone`;
    await ok("POST", "/api/v1/prompts", { name: tone, type: "text", template: "Be calm." });
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(tone)}/deployments`, { environment: env, version: 1 });
    await quietFor("resources/list_changed after a template prompt's promotion", () => told, 500);
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, {
      type: "skill",
      files: { ...files, "references/guide.md": "# Guide\nTables first.\n" },
    });
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 2 });
    await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
    const read = await client.readResource({ uri: `skill://${name}/references/guide.md` });
    expect(read.contents[0]).toMatchObject({ text: "# Guide\nTables first.\n" });
  });

  it("answers skills/list and skills/get with each file's SHA-256 and size as resources/read gives it", async () => {
    const client = await connect();
    expect(client.getServerCapabilities()?.extensions).toEqual({ "io.modelcontextprotocol/skills": {} });
    const entry = z.object({
      uri: z.string(),
      frontmatter: z.record(z.string(), z.unknown()),
      resources: z.array(z.object({ uri: z.string(), digest: z.string(), size: z.number() })),
    });
    const { skills } = await client.request(
      { method: "skills/list", params: {} },
      z.object({ skills: z.array(entry), nextCursor: z.string().optional() }),
    );
    const mine = skills.find((s) => s.uri === `skill://${name}/SKILL.md`)!;
    expect(mine.frontmatter).toMatchObject({ name: folder, description: "Writes PDF reports.", license: "MIT" });
    for (const r of mine.resources) {
      const text = ((await client.readResource({ uri: r.uri })).contents[0] as { text: string }).text;
      const bytes = Buffer.from(text, "utf8");
      expect([r.digest, r.size]).toEqual([`sha256:${createHash("sha256").update(bytes).digest("hex")}`, bytes.length]);
    }
    const got = await client.request({ method: "skills/get", params: { uri: mine.uri } }, z.object({ skill: entry }));
    expect(got.skill).toEqual(mine);
    await expect(
      client.request({ method: "skills/get", params: { uri: `skill://${name}/nope/SKILL.md` } }, z.object({})),
    ).rejects.toThrow(/-32602/);
  });
});
