// A skill folder on disk: read as the skill's files with their modes (dotfiles included; .lectern.yaml, .git, litter
// and symbolic links aside, binary refused), found by the workspace as one skill named by its folder, and written
// back to exactly a version's files and modes, refusing a path that is not safe to write.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempTrees } from "../test/temp-tree";
import { readSkillFiles, writeSkillFiles } from "./skill-folder";
import { readWorkspace } from "./workspace";

const temp = tempTrees("lectern-skill-");
const put = (file: string, text: string | Buffer) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const skillMd = (name: string) => `---\nname: ${name}\ndescription: d\n---\nBody\n`;

describe("a skill folder", () => {
  it("is read as its files, byte for byte, dotfiles and modes included, refusing links and binary files", () => {
    const d = temp({
      "SKILL.md": skillMd("x"),
      "refs/guide.md": "a\r\nb ✓\n",
      "notes/.hidden": "h\n",
      "scripts/.env.example": "KEY=\n",
      "scripts/run.sh": "#!/bin/sh\necho ok\n",
      ".lectern.yaml": "version: 1\ntype: skill\n",
      "refs/.lectern.yaml": "a file of the skill\n",
      ".git/config": "x",
      ".DS_Store": Buffer.from([0, 0, 0, 1]),
      "refs/.guide.md.swp": Buffer.from([0xff, 0]),
      "img.bin": Buffer.from([0xff, 0xfe, 0x00]),
    });
    chmodSync(path.join(d, "scripts/run.sh"), 0o755);
    symlinkSync("/etc/hostname", path.join(d, "link.md"));
    const r = readSkillFiles(d, "prompts/x");
    expect(r.files).toEqual({
      "SKILL.md": skillMd("x"),
      "notes/.hidden": "h\n",
      "refs/.lectern.yaml": "a file of the skill\n",
      "refs/guide.md": "a\r\nb ✓\n",
      "scripts/.env.example": "KEY=\n",
      "scripts/run.sh": "#!/bin/sh\necho ok\n",
    });
    expect(r.modes).toEqual({ "scripts/run.sh": "0755" });
    expect(r.problems.map((p) => p.file)).toEqual(["prompts/x/img.bin", "prompts/x/link.md"]);
  });

  it("is written to hold exactly a version's files and modes, keeping .lectern.yaml and .git", () => {
    const d = temp({
      "old/gone.md": "x",
      "old/.gone": "x",
      "SKILL.md": "old",
      "run.sh": "old",
      ".lectern.yaml": "version: 1\n",
      ".git/HEAD": "ref: refs/heads/main\n",
    });
    chmodSync(path.join(d, "run.sh"), 0o755);
    writeSkillFiles(
      d,
      d,
      { "SKILL.md": "new", "refs/a.md": "", "scripts/go.sh": "#!/bin/sh\n", "run.sh": "new" },
      {
        "scripts/go.sh": "0755",
      },
    );
    const back = readSkillFiles(d, "x");
    expect(back.files).toEqual({ "SKILL.md": "new", "refs/a.md": "", "run.sh": "new", "scripts/go.sh": "#!/bin/sh\n" });
    expect(back.modes).toEqual({ "scripts/go.sh": "0755" });
    expect(statSync(path.join(d, "run.sh")).mode & 0o111).toBe(0);
    expect(existsSync(path.join(d, "old"))).toBe(false);
    expect(readFileSync(path.join(d, ".lectern.yaml"), "utf8")).toBe("version: 1\n");
    expect(existsSync(path.join(d, ".git/HEAD"))).toBe(true);
  });

  it.each([".git/config", ".lectern.yaml", "a.md:x", "con.txt"])(
    "refuses to write a version holding %j, writing nothing",
    (bad) => {
      const d = temp();
      put(path.join(d, ".lectern.yaml"), "version: 1\n");
      expect(() => writeSkillFiles(d, d, { "SKILL.md": "new", [bad]: "x" })).toThrow(/not written: .*rule path\./);
      expect(existsSync(path.join(d, "SKILL.md"))).toBe(false);
      expect(readFileSync(path.join(d, ".lectern.yaml"), "utf8")).toBe("version: 1\n");
    },
  );

  it("is one skill in the workspace, named by its folder, its files never prompts of their own", async () => {
    const root = temp();
    const prompts = path.join(root, "prompts");
    put(path.join(prompts, "support/refunds/SKILL.md"), skillMd("refunds"));
    put(path.join(prompts, "support/refunds/notes.yaml"), "not: a prompt\n");
    put(path.join(prompts, "support/reply.yaml"), "type: text\ntemplate: Hi\n");
    const ws = await readWorkspace(prompts, root);
    expect(ws.problems).toEqual([]);
    expect(ws.files.map((f) => [f.name, f.data.content.type, f.shown])).toEqual([
      ["support/refunds", "skill", "prompts/support/refunds/.lectern.yaml"],
      ["support/reply", "text", "prompts/support/reply.yaml"],
    ]);
    expect(ws.files[0]!.data.content).toMatchObject({
      files: { "SKILL.md": skillMd("refunds"), "notes.yaml": "not: a prompt\n" },
    });
  });

  it("is pushed as the server stores it: agents' fields under metadata, with a warning; its description is the frontmatter's", async () => {
    const root = temp();
    const written = "---\nname: tone\ndescription: Sets the tone.\ndisable-model-invocation: true\n---\nBody\n";
    put(path.join(root, "prompts/tone/SKILL.md"), written);
    put(path.join(root, "prompts/tone/.lectern.yaml"), "type: skill\ndescription: old\n");
    const ws = await readWorkspace(path.join(root, "prompts"), root);
    expect(ws.problems).toEqual([]);
    expect(ws.warnings).toMatchObject([
      { file: "prompts/tone/.lectern.yaml", message: expect.stringMatching(/disable-model-invocation is not a field/) },
    ]);
    expect(ws.files[0]!.data.description).toBe("Sets the tone.");
    expect(ws.files[0]!.data.content).toMatchObject({
      files: {
        "SKILL.md":
          '---\nname: tone\ndescription: Sets the tone.\nmetadata:\n  disable-model-invocation: "true"\n---\nBody\n',
      },
    });
  });

  it("breaking a rule is a problem at the file, named by the rule", async () => {
    const root = temp();
    put(path.join(root, "prompts/tone/SKILL.md"), skillMd("voice"));
    const ws = await readWorkspace(path.join(root, "prompts"), root);
    expect(ws.problems).toMatchObject([{ file: "prompts/tone/SKILL.md", field: "name.folder" }]);
  });
});
