// `lectern pull` / `push` of skills: a skill is a folder, prompts/<name>/ with SKILL.md and its other
// files byte for byte, and .lectern.yaml beside them (version, description, tags). Edits, new and removed files
// push as one new version; the server's changes merge file by file into local edits; a hand-made folder with a
// SKILL.md pushes as a new skill; a folder that breaks a rule is refused before anything is sent. A pulled skill
// (dotfiles, subfolders, an executable script) pushes back as it was: no edit, no version; a mode is an edit.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/api/client";
import { buildCli, createPrompt, enc, removeTemps, repo, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

const skillMd = (name: string, body = "Read references/guide.md.\n") =>
  `---\nname: ${name}\ndescription: Handles refunds.\n---\n${body}`;

async function latestFiles(name: string) {
  const r = await call("GET", `/api/v1/prompts/${enc(name)}/versions`);
  const v = r.body.data[0];
  return { version: v.version as number, files: v.files as Record<string, string> };
}

describe("a skill is a folder", () => {
  it("pulls byte for byte, pushes edits, new and removed files as one version, and merges the server's", async () => {
    const folder = `cli-skills-${uniq()}`;
    const name = `${folder}/refunds`;
    const files = {
      "SKILL.md": skillMd("refunds"),
      "references/guide.md": "# Guide\r\nUp to 100 €.\r\n",
      "scripts/check.py": "print('ok')\n",
    };
    // A skill's description is its frontmatter's, whatever the create says.
    await createPrompt({ name, type: "skill", files, description: "Refunds", tags: ["support"] });
    const r = repo(folder);
    const dir = path.join(r.dir, "prompts", folder, "refunds");
    const at = (p: string) => path.join(dir, ...p.split("/"));

    const pulled = await r.run(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`prompts/${name}/.lectern.yaml created (version 1)`);
    for (const [p, text] of Object.entries(files)) expect(readFileSync(at(p), "utf8")).toBe(text);
    expect(readFileSync(at(".lectern.yaml"), "utf8")).toBe(
      ["version: 1", "type: skill", "description: Handles refunds.", "tags:", "  - support", ""].join("\n"),
    );
    expect((await r.run(["status"])).code).toBe(0);

    // Edit one file, add one, remove one.
    writeFileSync(at("references/guide.md"), "# Guide\r\nUp to 200 €.\r\n");
    mkdirSync(path.dirname(at("references/faq.md")), { recursive: true });
    writeFileSync(at("references/faq.md"), "Q?\n");
    rmSync(at("scripts/check.py"));
    const pushed = await r.run(["push", "-m", "Raise the limit"]);
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`prompts/${name}/.lectern.yaml updated (version 1 → 2)`);
    expect(await latestFiles(name)).toEqual({
      version: 2,
      files: {
        "SKILL.md": files["SKILL.md"],
        "references/faq.md": "Q?\n",
        "references/guide.md": "# Guide\r\nUp to 200 €.\r\n",
      },
    });
    expect(readFileSync(at(".lectern.yaml"), "utf8")).toMatch(/^version: 2\n/);

    // The server changes SKILL.md while the folder edits the FAQ: pull merges both, push saves them.
    await call("POST", `/api/v1/prompts/${enc(name)}/versions`, {
      body: {
        type: "skill",
        files: { ...(await latestFiles(name)).files, "SKILL.md": skillMd("refunds", "New steps.\n") },
      },
    });
    writeFileSync(at("references/faq.md"), "Q? A.\n");
    const merged = await r.run(["pull"]);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(merged.stdout).toContain("merged version 3 into your edits of version 2");
    expect(readFileSync(at("SKILL.md"), "utf8")).toBe(skillMd("refunds", "New steps.\n"));
    expect(readFileSync(at("references/faq.md"), "utf8")).toBe("Q? A.\n");
    expect(existsSync(at("scripts/check.py"))).toBe(false);
    expect((await r.run(["push"])).code).toBe(0);
    expect((await latestFiles(name)).files["references/faq.md"]).toBe("Q? A.\n");
  });

  it("pushes a hand-made folder as a new skill, and refuses one that breaks a rule before sending it", async () => {
    const folder = `cli-skills-${uniq()}`;
    const r = repo(folder);
    const dir = path.join(r.dir, "prompts", folder, "tone");
    mkdirSync(path.join(dir, "examples"), { recursive: true });
    writeFileSync(path.join(dir, "SKILL.md"), skillMd("voice"));
    writeFileSync(path.join(dir, "examples", "a.md"), "Example\n");
    const bad = await r.run(["push"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(
      /name\.folder.*must equal the last segment of the prompt's name \("tone"\)/s,
    );
    expect((await call("GET", `/api/v1/prompts/${enc(`${folder}/tone`)}`)).status).toBe(404);

    writeFileSync(path.join(dir, "SKILL.md"), skillMd("tone"));
    const ok = await r.run(["push"]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`prompts/${folder}/tone/.lectern.yaml created (version 1)`);
    expect((await latestFiles(`${folder}/tone`)).files).toEqual({
      "SKILL.md": skillMd("tone"),
      "examples/a.md": "Example\n",
    });
    expect(readFileSync(path.join(dir, ".lectern.yaml"), "utf8")).toMatch(/^version: 1\n/);
  });
});

describe("a pulled skill pushes back as it was", () => {
  it("keeps dotfiles, subfolders and executable scripts through pull and push: no edit, no version", async () => {
    const folder = `cli-skills-${uniq()}`;
    const name = `${folder}/ops`;
    const files = {
      "SKILL.md": skillMd("ops"),
      "notes/.hidden": "kept\n",
      "references/deep/guide.md": "# Guide\n",
      "scripts/.env.example": "API_KEY=\n",
      "scripts/run.sh": "#!/bin/sh\necho ok\n",
    };
    await createPrompt({ name, type: "skill", files, modes: { "scripts/run.sh": "0755" } });
    const r = repo(folder);
    const dir = path.join(r.dir, "prompts", folder, "ops");
    const at = (p: string) => path.join(dir, ...p.split("/"));

    const pulled = await r.run(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (const [p, text] of Object.entries(files)) expect(readFileSync(at(p), "utf8"), p).toBe(text);
    expect(statSync(at("scripts/run.sh")).mode & 0o111).not.toBe(0);
    expect(statSync(at("scripts/.env.example")).mode & 0o111).toBe(0);

    const pushed = await r.run(["push"]);
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    expect(pushed.stdout).not.toContain("updated");
    const latest = await call("GET", `/api/v1/prompts/${enc(name)}/versions`);
    expect(latest.body.data.map((v: { version: number }) => v.version)).toEqual([1]);

    // A mode is part of the version: the script made not executable is one new version with every file.
    chmodSync(at("scripts/run.sh"), 0o644);
    const again = await r.run(["push", "-m", "Not a script"]);
    expect(again.stdout, again.stderr).toContain(`prompts/${name}/.lectern.yaml updated (version 1 → 2)`);
    const v2 = (await call("GET", `/api/v1/prompts/${enc(name)}/versions`)).body.data[0];
    expect([v2.version, v2.files, v2.modes]).toEqual([2, files, undefined]);
  });
});
