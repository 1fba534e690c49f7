// MCP's skills extension (SEP-2640) through the official TypeScript SDK's client: the capability
// beside `resources`; skills/list and skills/get answer {uri, frontmatter, resources: [{uri, digest, size}]}, the
// frontmatter as written and each digest that of exactly the bytes resources/read answers — the same SHA-256 the
// discovery index publishes for a one-file skill, and of each file its archive holds; the list pages with this
// server's cursors; a key limited to an environment sees its skills alone; bad params are -32602 in words; and
// resources/list_changed is sent when a skill changes, not when a template prompt does (prompts' the other way).
import { createHash } from "node:crypto";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { gunzipSync } from "fflate";
import { unpackTar } from "modern-tar";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createApiKey } from "@/lib/auth/api-keys";
import { encodeCursor } from "@/lib/mcp/cursor";
import { announceChange, changeOf } from "@/lib/mcp/server";
import { listMcpSkills } from "@/lib/mcp/skills";
import { createPrompt } from "@/lib/registry/prompts";
import { promoteVersion } from "@/lib/release/promote";
import { discoveryIndex } from "@/lib/skills/discovery";
import { versionArchive } from "@/lib/skills/artifact";
import { servedSkillHeads, servedSkills } from "@/lib/skills/live-skills";
import { skillSummaries } from "@/lib/skills/skill-summary";
import { connect, f, failure, keys, setUpMcp, t, wiring } from "./mcp-int-setup";
import { projectContext } from "../../../context";
import { noEvents } from "../../../announcements";

vi.mock("../../wiring/db", () => wiring.db);
vi.mock("../../wiring/env", (original) => wiring.env(original));

setUpMcp("mcp-skills");

/** The extension's entry and results, as its specification types them (the SDK has no schema for them). */
const Skill = z
  .object({
    uri: z.string(),
    frontmatter: z.object({ name: z.string(), description: z.string() }).loose(),
    resources: z.array(
      z.object({ uri: z.string(), digest: z.string().regex(/^sha256:[0-9a-f]{64}$/), size: z.number() }).strict(),
    ),
  })
  .strict();
const ListSkillsResult = z.object({ skills: z.array(Skill), nextCursor: z.string().optional() });
const GetSkillResult = z.object({ skill: Skill });

const refundsMd =
  "---\nname: refunds\ndescription: Answers support tickets about refunds.\nlicense: MIT\nmetadata:\n  owner: support\n---\n# Refunds\n\nFollow references/guide.md.\n";
const refunds = {
  "SKILL.md": refundsMd,
  "references/guide.md": "# Guide\n\nStep one.\r\nStep two: 100 €.\n",
  "scripts/check.py": "print('ok')\n",
};
const skillMd = (name: string) => `---\nname: ${name}\ndescription: The ${name} skill.\n---\n# ${name}\n`;
let stagingKey = "";

beforeAll(async () => {
  const ctx = f.ctx(f.admin);
  await createPrompt(ctx, { name: "kit/refunds", type: "skill", files: refunds });
  await createPrompt(ctx, { name: "one-file", type: "skill", files: { "SKILL.md": skillMd("one-file") } });
  await createPrompt(ctx, { name: "notes", type: "skill", files: { "SKILL.md": skillMd("notes") } });
  for (const name of ["kit/refunds", "one-file"])
    await promoteVersion(ctx, name, { environment: "production", version: 1 });
  await promoteVersion(ctx, "notes", { environment: "staging", version: 1 });
  const limited = { name: "staging", scope: "runtime" as const, environments: ["staging"] };
  stagingKey = (await createApiKey(projectContext(t.db, f.admin, f.projectId, noEvents), limited)).key;
}, 60_000);

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const utf8 = new TextEncoder();
const list = (client: Awaited<ReturnType<typeof connect>>, params: Record<string, unknown> = {}) =>
  client.request({ method: "skills/list", params }, ListSkillsResult);
const get = (client: Awaited<ReturnType<typeof connect>>, params: Record<string, unknown>) =>
  client.request({ method: "skills/get", params }, GetSkillResult);

describe("MCP's skills extension", () => {
  it("declares the extension beside resources, and answers resources/templates/list", async () => {
    const client = await connect(keys.runtime);
    const caps = client.getServerCapabilities();
    expect(caps?.extensions).toEqual({ "io.modelcontextprotocol/skills": {} });
    expect(caps?.resources).toEqual({ listChanged: true });
    // No resource templates (every file has its URI), but an answer rather than "method not found".
    expect(await client.listResourceTemplates()).toEqual({ resourceTemplates: [] });
  });

  it("lists each served skill's entry: its SKILL.md URI, its frontmatter as written, every file", async () => {
    const client = await connect(keys.runtime);
    const { skills, nextCursor } = await list(client);
    expect(nextCursor).toBeUndefined();
    expect(skills.map(({ uri, frontmatter }) => ({ uri, frontmatter }))).toEqual([
      {
        uri: "skill://kit/refunds/SKILL.md",
        frontmatter: {
          name: "refunds",
          description: "Answers support tickets about refunds.",
          license: "MIT",
          metadata: { owner: "support" },
        },
      },
      { uri: "skill://one-file/SKILL.md", frontmatter: { name: "one-file", description: "The one-file skill." } },
    ]);
    expect(skills[0]!.resources.map((r) => r.uri)).toEqual([
      "skill://kit/refunds/SKILL.md",
      "skill://kit/refunds/references/guide.md",
      "skill://kit/refunds/scripts/check.py",
    ]);
    // skills/get answers the same entry as the list.
    for (const s of skills) expect((await get(client, { uri: s.uri })).skill).toEqual(s);
  });

  it("gives each file the digest and size of exactly what resources/read answers, the index's and archive's", async () => {
    const client = await connect(keys.runtime);
    const { skills } = await list(client);
    for (const s of skills)
      for (const r of s.resources) {
        const read = await client.readResource({ uri: r.uri });
        const bytes = utf8.encode((read.contents[0] as { text: string }).text);
        expect([r.digest, r.size]).toEqual([sha256(bytes), bytes.length]);
      }
    const index = discoveryIndex(await skillSummaries(t.db, await servedSkillHeads(t.db, f.projectId, "production")));
    // A skill of one file is published as its SKILL.md: the index's digest is the entry's.
    const oneFile = index.skills.find((e) => e.name === "one-file")!;
    expect(oneFile.digest).toBe(skills[1]!.resources[0]!.digest);
    // A skill of several is a .tar.gz: the index's digest is the archive's, whose files are the entry's digests.
    const served = (await servedSkills(t.db, f.projectId, "production")).find((s) => s.folder === "refunds")!;
    const archive = await versionArchive(served, "tar.gz");
    expect(index.skills.find((e) => e.name === "refunds")!.digest).toBe(archive.digest);
    const inArchive = (await unpackTar(gunzipSync(archive.bytes))).map((e) => [
      `skill://kit/refunds/${e.header.name}`,
      sha256(e.data!),
    ]);
    expect(inArchive).toEqual(skills[0]!.resources.map((r) => [r.uri, r.digest]));
  });

  it("pages with its own cursors, and refuses one it never gave", async () => {
    const client = await connect(keys.runtime);
    const after = await list(client, { cursor: encodeCursor("skill://kit/refunds/SKILL.md") });
    expect(after.skills.map((s) => s.uri)).toEqual(["skill://one-file/SKILL.md"]);
    const principal = { projectId: f.projectId, environments: null, name: "test" };
    const first = await listMcpSkills(t.db, principal, "production", undefined, 1);
    expect(first.skills.map((s) => s.uri)).toEqual(["skill://kit/refunds/SKILL.md"]);
    const second = await listMcpSkills(t.db, principal, "production", first.nextCursor, 1);
    expect([second.skills.map((s) => s.uri), second.nextCursor]).toEqual([["skill://one-file/SKILL.md"], undefined]);
    for (const cursor of ["junk", "c1.", "c1.!!"]) {
      const e = await failure(list(client, { cursor }));
      expect([e.code, e.message]).toEqual([-32602, expect.stringMatching(/^MCP error -32602: invalid cursor/)]);
    }
  });

  it("shows a key limited to an environment that environment's skills alone", async () => {
    const client = await connect(stagingKey);
    expect((await list(client)).skills.map((s) => s.uri)).toEqual(["skill://notes/SKILL.md"]);
    const e = await failure(get(client, { uri: "skill://one-file/SKILL.md" }));
    expect(e.code).toBe(-32602);
    expect((await get(client, { uri: "skill://notes/SKILL.md" })).skill.frontmatter.name).toBe("notes");
  });

  it("answers bad params with -32602 in words: no URI, not a string, not a served skill's SKILL.md", async () => {
    const client = await connect(keys.runtime);
    const missing = await failure(get(client, {}));
    expect([missing.code, missing.message]).toEqual([
      -32602,
      "MCP error -32602: Invalid skills/get request: params.uri is required (a string).",
    ]);
    const number = await failure(get(client, { uri: 7 }));
    expect([number.code, number.message]).toEqual([
      -32602,
      "MCP error -32602: Invalid skills/get request: params.uri must be a string, not a number.",
    ]);
    for (const uri of [
      "skill://kit/refunds/references/guide.md",
      "skill://notes/SKILL.md",
      "skill://nope/SKILL.md",
      "skill://%E0%A4%A/SKILL.md",
      "https://x/SKILL.md",
      "skill:///SKILL.md",
    ]) {
      const e = await failure(get(client, { uri }));
      expect([e.code, e.message]).toEqual([-32602, expect.stringContaining(`No skill ${uri}: production serves`)]);
    }
    const badCursor = await failure(list(client, { cursor: 3 }));
    expect(badCursor.code).toBe(-32602);
  });

  it("announces resources/list_changed for a skill's change and prompts/list_changed for a template's", async () => {
    const told = async (prompts: string[] | null) => {
      const sent: string[] = [];
      const server = {
        sendPromptListChanged: async () => void sent.push("prompts"),
        sendResourceListChanged: async () => void sent.push("resources"),
      } as unknown as Server;
      await announceChange(server, await changeOf(t.db, f.projectId, prompts));
      return sent;
    };
    expect(await told(["tone"])).toEqual(["prompts"]);
    expect(await told(["notes", "kit/refunds"])).toEqual(["resources"]);
    expect(await told(["tone", "notes"])).toEqual(["prompts", "resources"]);
    // A reset (changes may have been missed) is both.
    expect(await told(null)).toEqual(["prompts", "resources"]);
  });
});
