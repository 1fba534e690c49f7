// Agent skills installed by the real `skills` CLI (npm `skills`, run on Node 20 through test/skills-cli/preload.mjs)
// from a running Lectern: a skills key's URL is all `npx skills add` needs; a multi-file skill arrives byte for
// byte (CRLF, non-ASCII, an empty file, nested folders) from the .tar.gz the discovery index lists with its
// digest, a one-file skill from its SKILL.md, and a .zip from its direct URL. The URL needs no header, opens
// nothing else, and ends with its key. Published skills: a URL that needs no key, which the CLI records in
// skills-lock.json without a secret; installed from its .tar.gz, a script keeps its executable mode. What is
// installed passes the reference validator (skills-ref).
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { validate } from "skills-ref";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { run } from "./install-harness";

const repo = path.resolve(import.meta.dirname, "../..");
const suffix = randomBytes(3).toString("hex");
const env = `skills-${suffix}`;
const folder = `refunds-${suffix}`;
const skill = `support-${suffix}/${folder}`;
const single = `tone-${suffix}`;
const ops = `ops-${suffix}`;
const opsFiles: Record<string, string> = {
  "SKILL.md": `---\nname: ${ops}\ndescription: Runs the checks. Use before a release.\n---\nRun scripts/run.sh.\n`,
  "scripts/run.sh": "#!/bin/sh\necho ok\n",
  "scripts/.env.example": "API_KEY=\n",
};
const files: Record<string, string> = {
  "SKILL.md": `---\nname: ${folder}\ndescription: Handles refund requests. Use when a customer asks for money back.\n---\n# Refunds\n\nRead references/guide.md, then run scripts/check.py.\n`,
  "references/guide.md": "# Guide\r\n\r\nRefunds up to 100 € need no approval.\r\n",
  "scripts/check.py": "#!/usr/bin/env python3\nprint('ok ✓')\n",
  "assets/templates/empty.txt": "",
};
const scratch: string[] = [];
let key = "";
let skillsUrl = "";

const ok = async (method: string, p: string, body?: unknown) => {
  const r = await call(method, p, { body });
  expect(r.status, `${method} ${p}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};

/** `skills add <source> -y -a claude-code --copy` in a fresh folder; returns the folder and what the CLI printed. */
async function skillsAdd(source: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "lectern-skills-"));
  scratch.push(dir);
  const cli = path.join(repo, "node_modules/skills/bin/cli.mjs");
  const preload = path.join(repo, "test/skills-cli/preload.mjs");
  const env = { ...process.env, HOME: dir, XDG_STATE_HOME: dir, DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", CI: "1" };
  const out = await run("node", ["--import", preload, cli, "add", source, "-y", "-a", "claude-code", "--copy"], {
    cwd: dir,
    env,
    timeout: 60_000,
  });
  return { dir, output: `${out.stdout}\n${out.stderr}` };
}

/** Every file under `root`, relative path → text. */
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(root, full).split(path.sep).join("/")] = await readFile(full, "utf8");
  }
  return out;
}

beforeAll(async () => {
  await ok("POST", "/api/v1/environments", { name: env });
  await ok("POST", "/api/v1/prompts", { name: skill, type: "skill", files, commitMessage: "Refund skill" });
  await ok("POST", "/api/v1/prompts", {
    name: single,
    type: "skill",
    files: { "SKILL.md": `---\nname: ${single}\ndescription: Sets the tone.\n---\nBe kind.\n` },
  });
  await ok("POST", "/api/v1/prompts", {
    name: `tools-${suffix}/${ops}`,
    type: "skill",
    files: opsFiles,
    modes: { "scripts/run.sh": "0755" },
  });
  for (const name of [skill, single, `tools-${suffix}/${ops}`])
    await ok("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment: env, version: 1 });
  const created = await call("POST", "/api/v1/api-keys", {
    body: { name: `skills ${suffix}`, scope: "skills", environments: [env] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  ({ key, skillsUrl } = created.body as { key: string; skillsUrl: string });
}, 60_000);
afterAll(async () => {
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

describe("a skills key", () => {
  it("answers with its URL, whose index needs no header", async () => {
    expect(skillsUrl).toBe(`${process.env.LECTERN_TEST_BASE_URL}/api/v1/skills/${key}`);
    const res = await fetch(`${skillsUrl}/.well-known/agent-skills/index.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // The route's own policy, not the global header of next.config.mjs: the URL holds a key.
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const index = (await res.json()) as {
      $schema: string;
      skills: { name: string; type: string; url: string; digest: string }[];
    };
    expect(index.$schema).toBe("https://schemas.agentskills.io/discovery/0.2.0/schema.json");
    const mine = index.skills.filter((s) => s.name.endsWith(suffix));
    expect(mine.map((s) => [s.name, s.type, s.url])).toEqual([
      [ops, "archive", `${ops}.tar.gz`],
      [folder, "archive", `${folder}.tar.gz`],
      [single, "skill-md", `${single}/SKILL.md`],
    ]);
    for (const s of mine) expect(s.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("installs a multi-file skill and a one-file skill with the skills CLI, byte for byte", async () => {
    const { dir, output } = await skillsAdd(skillsUrl);
    expect(await tree(path.join(dir, ".claude/skills", folder)), output).toEqual(files);
    expect(await tree(path.join(dir, ".claude/skills", single))).toEqual({
      "SKILL.md": `---\nname: ${single}\ndescription: Sets the tone.\n---\nBe kind.\n`,
    });
    // What the skills URL serves passes the agentskills.io reference validator (`skills-ref validate`).
    for (const name of [folder, single]) expect(await validate(path.join(dir, ".claude/skills", name))).toEqual([]);
  }, 90_000);

  it("serves the same skill as a .zip the CLI installs from its direct URL", async () => {
    const { dir, output } = await skillsAdd(`${skillsUrl}/.well-known/agent-skills/${folder}.zip`);
    expect(await tree(path.join(dir, ".claude/skills", folder)), output).toEqual(files);
  }, 90_000);

  it("installs a script executable from the skill's .tar.gz", async () => {
    const { dir, output } = await skillsAdd(`${skillsUrl}/.well-known/agent-skills/${ops}.tar.gz`);
    const installed = path.join(dir, ".claude/skills", ops);
    expect(await tree(installed), output).toEqual(opsFiles);
    expect((await stat(path.join(installed, "scripts/run.sh"))).mode & 0o111).not.toBe(0);
    expect((await stat(path.join(installed, "scripts/.env.example"))).mode & 0o111).toBe(0);
  }, 90_000);

  it("opens nothing else: not as a header, and another key's token is no skills URL", async () => {
    const resolve = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(skill)}&environment=${env}`, {
      key,
    });
    expect([resolve.status, errorCode(resolve)]).toEqual([403, "forbidden"]);
    expect((await call("GET", "/api/v1/prompts", { key })).status).toBe(403);
    const runtime = (await ok("POST", "/api/v1/api-keys", { name: `rt ${suffix}`, scope: "runtime" })).key as string;
    const other = await fetch(`${skillsUrl.replace(key, runtime)}/.well-known/agent-skills/index.json`);
    expect(other.status).toBe(401);
    const traversal = await fetch(`${skillsUrl}/.well-known/agent-skills/..%2F..%2Fprompts`);
    expect(traversal.status).toBe(404);
  });

  it("is refused for any scope but one environment", async () => {
    const none = await call("POST", "/api/v1/api-keys", { body: { name: "x", scope: "skills" } });
    expect([none.status, errorCode(none)]).toEqual([400, "invalid_input"]);
    const two = await call("POST", "/api/v1/api-keys", {
      body: { name: "x", scope: "skills", environments: [env, "production"] },
    });
    expect(two.status).toBe(400);
  });

  it("ends with its key: a revoked key's URL answers 401 and the CLI installs nothing", async () => {
    const keys = (await ok("GET", "/api/v1/api-keys")).data as { id: string; name: string }[];
    const id = keys.find((k) => k.name === `skills ${suffix}`)!.id;
    await ok("DELETE", `/api/v1/api-keys/${id}`);
    for (const p of ["index.json", `${folder}.tar.gz`, `${single}/SKILL.md`]) {
      const res = await fetch(`${skillsUrl}/.well-known/agent-skills/${p}`);
      expect(res.status, p).toBe(401);
      expect(res.headers.get("referrer-policy"), p).toBe("no-referrer");
    }
    const failed = await skillsAdd(skillsUrl).then(
      (r) => r,
      (e: Error) => ({ dir: "", output: e.message }),
    );
    const installed = failed.dir
      ? await readdir(path.join(failed.dir, ".claude/skills")).catch(() => [] as string[])
      : [];
    expect(installed).toEqual([]);
  }, 90_000);
});

describe("published skills: a URL that needs no key", () => {
  it("is off by default; published, the CLI records it with no key, and a script installs executable", async () => {
    const base = `${process.env.LECTERN_TEST_BASE_URL}/api/v1/skills/public`;
    const slug = ((await ok("GET", "/api/v1/project")) as { slug: string }).slug;
    await call("DELETE", "/api/v1/skills/published");
    expect((await fetch(`${base}/${slug}/.well-known/agent-skills/index.json`)).status).toBe(404);
    expect((await fetch(`${base}/no-such-project/.well-known/agent-skills/index.json`)).status).toBe(404);

    const published = await ok("PUT", "/api/v1/skills/published", {
      environment: env,
      skills: [`tools-${suffix}/${ops}`],
    });
    const url = (published as { url: string }).url;
    expect(url).toBe(`${base}/${slug}`);
    const res = await fetch(`${url}/.well-known/agent-skills/index.json`);
    expect([res.status, res.headers.get("referrer-policy")]).toEqual([200, "no-referrer"]);
    expect(((await res.json()) as { skills: { name: string }[] }).skills.map((s) => s.name)).toEqual([ops]);

    const viaIndex = await skillsAdd(url);
    expect(await tree(path.join(viaIndex.dir, ".claude/skills", ops)), viaIndex.output).toEqual(opsFiles);
    const lock = await readFile(path.join(viaIndex.dir, "skills-lock.json"), "utf8");
    expect(lock).toContain(url);
    expect(lock).not.toMatch(/lk_/);

    const viaArchive = await skillsAdd(`${url}/.well-known/agent-skills/${ops}.tar.gz`);
    const script = path.join(viaArchive.dir, ".claude/skills", ops, "scripts/run.sh");
    expect((await stat(script)).mode & 0o111, viaArchive.output).not.toBe(0);
    // A direct download records no skills-lock.json (skills 1.7); if a later CLI writes one, it holds no key.
    expect(await readFile(path.join(viaArchive.dir, "skills-lock.json"), "utf8").catch(() => "")).not.toMatch(/lk_/);

    expect((await call("DELETE", "/api/v1/skills/published")).status).toBe(204);
    expect((await fetch(`${url}/.well-known/agent-skills/index.json`)).status).toBe(404);
  }, 120_000);
});
