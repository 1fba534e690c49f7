// Skills over MCP with the official TypeScript SDK's client (issue 60): the session's environment's skills are
// resources, skill://<name>/SKILL.md and each file (SEP-2640's scheme); resources/read answers each file's text
// as stored; a file the environment does not serve is "resource not found"; a promotion tells the client.
import { randomBytes } from "node:crypto";
import { ResourceListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
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
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, {
      type: "skill",
      files: { ...files, "references/guide.md": "# Guide\nTables first.\n" },
    });
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 2 });
    await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
    const read = await client.readResource({ uri: `skill://${name}/references/guide.md` });
    expect(read.contents[0]).toMatchObject({ text: "# Guide\nTables first.\n" });
  });
});
