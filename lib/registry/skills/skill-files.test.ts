// The agentskills.io rules a skill version must meet, and the safety rules for its paths: each case names the
// rule it breaks, so a refusal says which one.
import { describe, expect, it } from "vitest";
import {
  maxSkillBytes,
  maxSkillFileBytes,
  maxSkillFiles,
  orderedFiles,
  skillBody,
  skillFrontmatter,
  skillProblems,
  splitSkillMd,
} from "./skill-files";

const md = (front: string, body = "# Steps\n") => `---\n${front}\n---\n${body}`;
const good = md("name: pdf-report\ndescription: Writes PDF reports. Use when asked for a report.");
const rules = (files: Record<string, string>, name = "skills/pdf-report") =>
  skillProblems(files, name).map((p) => p.rule);

describe("a skill's frontmatter", () => {
  it("accepts the specification's minimal skill and its optional fields", () => {
    expect(rules({ "SKILL.md": good })).toEqual([]);
    const full = md(
      'name: pdf-report\ndescription: "x"\nlicense: Apache-2.0\ncompatibility: Claude Code\nmetadata:\n  author: acme\n  version: "1.0"\nallowed-tools: Bash Read',
    );
    expect(rules({ "SKILL.md": full })).toEqual([]);
    expect(skillFrontmatter({ "SKILL.md": full })).toMatchObject({ name: "pdf-report", metadata: { version: "1.0" } });
  });

  it.each([
    ["no frontmatter", "# Just markdown", "frontmatter.missing"],
    ["unterminated frontmatter", "---\nname: pdf-report\n", "frontmatter.missing"],
    ["YAML that does not parse", md("name: [unclosed"), "frontmatter.yaml"],
    ["a YAML list", md("- a\n- b"), "frontmatter.yaml"],
    ["YAML aliases (expansion bombs)", md("a: &x [1]\nb: *x\nname: pdf-report\ndescription: d"), "frontmatter.yaml"],
    ["no name", md("description: d"), "name.required"],
    ["capitals", md("name: PDF-Report\ndescription: d"), "name.format"],
    ["a leading hyphen", md("name: -pdf\ndescription: d"), "name.format"],
    ["a double hyphen", md("name: pdf--report\ndescription: d"), "name.format"],
    ["65 characters", md(`name: ${"a".repeat(65)}\ndescription: d`), "name.format"],
    ["another folder's name", md("name: csv-report\ndescription: d"), "name.folder"],
    ["no description", md("name: pdf-report"), "description.required"],
    ["a blank description", md('name: pdf-report\ndescription: "  "'), "description.required"],
    ["1,025 characters of description", md(`name: pdf-report\ndescription: ${"d".repeat(1025)}`), "description.length"],
    [
      "compatibility past 500",
      md(`name: pdf-report\ndescription: d\ncompatibility: ${"c".repeat(501)}`),
      "compatibility.format",
    ],
    ["metadata of lists", md("name: pdf-report\ndescription: d\nmetadata:\n  tags: [a]"), "metadata.format"],
  ])("refuses %s", (_case, skillMd, rule) => {
    expect(rules({ "SKILL.md": skillMd })[0]).toBe(rule);
  });

  it("takes 1,024 characters of description and a 64-character name", () => {
    const name = "a".repeat(64);
    expect(rules({ "SKILL.md": md(`name: ${name}\ndescription: ${"d".repeat(1024)}`) }, name)).toEqual([]);
  });

  it("splits SKILL.md as the skills CLI does; the body is what a prompt includes", () => {
    expect(splitSkillMd("\uFEFF---\r\nname: x\r\n---\r\nBody")).toEqual({ yaml: "name: x", body: "Body" });
    expect(splitSkillMd("---\n---\nBody")).toEqual({ yaml: "", body: "Body" });
    expect(skillBody(good)).toBe("# Steps\n");
    // A "---" inside a line does not close the frontmatter.
    expect(splitSkillMd("---\nname: a---\nb")).toBeUndefined();
  });
});

describe("a skill's files", () => {
  it("needs SKILL.md at the top, case and all", () => {
    expect(rules({ "skill.md": good })).toContain("skill_md.required");
    expect(rules({ "docs/SKILL.md": good })).toContain("skill_md.required");
  });

  it.each([
    ["../escape.md", "path.relative"],
    ["refs/../../escape.md", "path.relative"],
    ["/etc/passwd", "path.relative"],
    ["C:/Windows/x.md", "path.relative"],
    ["refs\\guide.md", "path.characters"],
    ["refs/gui\u0000de.md", "path.characters"],
    ["refs/gui\nde.md", "path.characters"],
    ["refs//guide.md", "path.segments"],
    ["./guide.md", "path.segments"],
    ["refs/", "path.segments"],
    [" refs/guide.md", "path.segments"],
    [`${"a".repeat(101)}.md`, "path.length"],
    [`${"abcdefghi/".repeat(20)}x.md`, "path.length"],
    ["a/b/c/d/e/f/g/h/i/j/k.md", "path.length"],
    // Installed, a version-control folder is a repository whose config runs commands (core.fsmonitor).
    [".git/config", "path.vcs"],
    [".git/HEAD", "path.vcs"],
    ["refs/.GIT/config", "path.vcs"],
    [".g\u200cit/config", "path.vcs"],
    ["git~1/config", "path.vcs"],
    [".hg/hgrc", "path.vcs"],
    [".svn/entries", "path.vcs"],
    ["CVS/Root", "path.vcs"],
    [".jj/repo/config.toml", "path.vcs"],
    // Windows: a trailing dot is dropped ("a" and "a."), ':' opens a stream, devices take any extension.
    ["a.", "path.windows"],
    ["refs./guide.md", "path.windows"],
    ["a.md:x", "path.windows"],
    ["what?.md", "path.windows"],
    ["con.txt", "path.windows"],
    ["refs/NUL", "path.windows"],
    ["com1.tar.gz", "path.windows"],
    ["lpt\u00b9.md", "path.windows"],
    ["refs/guide.md ", "path.segments"],
    ["read\u202egnp.md", "path.bidi"],
    ["a\u2066b.md", "path.bidi"],
    [".lectern.yaml", "path.reserved"],
  ])("refuses the path %j", (path, rule) => {
    expect(rules({ "SKILL.md": good, [path]: "x" })).toContain(rule);
  });

  it("takes dotfiles, names that merely look like others, and .lectern.yaml below the top", () => {
    const files = {
      "SKILL.md": good,
      "notes/.hidden": "x",
      "scripts/.env.example": "KEY=\n",
      ".gitignore": "*.log\n",
      ".github/workflows/ci.yml": "on: push\n",
      "console.md": "x",
      "com10.md": "x",
      "refs/.lectern.yaml": "x",
      "git.md": "x",
    };
    expect(rules(files)).toEqual([]);
  });

  it("refuses paths a case-insensitive file system would merge, and a file used as a folder", () => {
    expect(rules({ "SKILL.md": good, "Guide.md": "a", "guide.md": "b" })).toContain("path.case");
    expect(rules({ "SKILL.md": good, "stra\u00dfe.md": "a", "STRASSE.md": "b" })).toContain("path.case");
    expect(rules({ "SKILL.md": good, "\u00e9.md": "a", "e\u0301.md": "b" })).toContain("path.normalization");
    expect(rules({ "SKILL.md": good, "\u00e9/a.md": "a", "E\u0301/a.md": "b" })).toContain("path.case");
    expect(rules({ "SKILL.md": good, refs: "a", "refs/guide.md": "b" })).toContain("path.folder");
  });

  it("bounds files, bytes per file and per version, and takes text only", () => {
    const many = Object.fromEntries(Array.from({ length: maxSkillFiles }, (_, i) => [`r/${i}.md`, "x"]));
    expect(rules({ "SKILL.md": good, ...many })).toContain("files.count");
    expect(rules({ "SKILL.md": good, "big.md": "é".repeat(maxSkillFileBytes / 2 + 1) })).toContain("file.size");
    const fill = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`r/${i}.md`, "x".repeat(maxSkillBytes / 5)]));
    expect(rules({ "SKILL.md": good, ...fill })).toContain("files.size");
    expect(rules({ "SKILL.md": good, "a.md": "bad \ud800 surrogate" })).toContain("file.text");
    expect(rules({ "SKILL.md": good, "a.bin": "nul\u0000byte" })).toContain("file.text");
    // Scripts, non-ASCII text and empty files are fine.
    expect(rules({ "SKILL.md": good, "scripts/run.py": "print('héllo ✓')\n", "assets/empty.txt": "" })).toEqual([]);
  });

  it("orders paths SKILL.md first, then by code point, whatever order they came in", () => {
    expect(Object.keys(orderedFiles({ b: "", "SKILL.md": "", "A/x": "", a: "" }))).toEqual([
      "SKILL.md",
      "A/x",
      "a",
      "b",
    ]);
  });
});
