// Lectern judges a SKILL.md as the agentskills.io reference validator does: each case is saved as a save would
// store it (prepareSkillFiles) and checked by Lectern's rules, then written to a folder named after the skill
// and checked by `skills-ref` (its validate(), what `skills-ref validate <dir>` runs). What Lectern accepts,
// the reference validator accepts; what both refuse, Lectern refuses naming the rule.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { validate } from "skills-ref";
import { afterAll, describe, expect, it } from "vitest";
import { prepareSkillFiles, skillFrontmatter, skillProblems } from "./skill-files";

const root = mkdtempSync(path.join(tmpdir(), "lectern-skills-ref-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const md = (front: string, body = "# Steps\n\nDo the thing.\n") => `---\n${front}\n---\n${body}`;
const base = "name: pdf-report\ndescription: Writes PDF reports. Use when asked for a report.";
let n = 0;

/** Lectern's rules on the file as a save stores it, and the reference validator's errors on that file. */
async function judge(skillMd: string, folder = "pdf-report") {
  const stored = prepareSkillFiles({ "SKILL.md": skillMd }).files["SKILL.md"]!;
  const rules = skillProblems({ "SKILL.md": stored }, `skills/${folder}`).map((p) => p.rule);
  const dir = path.join(root, String(n++), folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "SKILL.md"), stored);
  return { stored, rules, reference: await validate(dir) };
}

describe("what Lectern accepts passes skills-ref", () => {
  it.each([
    ["the minimal skill", md(base)],
    [
      "every optional field",
      md(
        `${base}\nlicense: Apache-2.0\ncompatibility: Needs Python 3\nallowed-tools: Bash Read\nmetadata:\n  author: acme\n  version: "1.0"`,
      ),
    ],
    ["a 64-character name", md(`name: ${"a".repeat(64)}\ndescription: d`), "a".repeat(64)],
    ["1,024 characters of description", md(`name: pdf-report\ndescription: ${"d".repeat(1024)}`)],
    ["500 characters of compatibility", md(`${base}\ncompatibility: ${"c".repeat(500)}`)],
    ["a folded description", md("name: pdf-report\ndescription: >-\n  Writes reports.\n  Use when asked.")],
    ["CRLF line endings", md(base).replace(/\n/g, "\r\n")],
    ["a body holding ---", md(base, "# Steps\n\n---\n\nMore.\n")],
    // Agents' own fields are moved under metadata as text: the stored file passes.
    [
      "Claude Code's fields",
      md(`${base}\ndisable-model-invocation: true\nargument-hint: [file]\nuser-invocable: false\nmodel: sonnet`),
    ],
    ["a version beside metadata", md(`${base}\nversion: 1.0\nmetadata:\n  author: acme`)],
    ["a field with no value", md(`${base}\nmode:`)],
    ["a block list and map", md(`${base}\ntags:\n  - a\n  - b\nhooks:\n  pre: lint`)],
  ])("%s", async (_case, skillMd, folder = "pdf-report") => {
    const r = await judge(skillMd, folder);
    expect(r.rules).toEqual([]);
    expect(r.reference).toEqual([]);
  });

  it("moves agents' fields under metadata as written, keeping the rest and the body byte for byte", () => {
    const given = md(`${base}\nversion: 1.0\ndisable-model-invocation: true\nargument-hint: [file]`, "Body\r\n");
    const { files, moved } = prepareSkillFiles({ "SKILL.md": given, "a.md": "x" });
    expect(moved).toEqual(["version", "disable-model-invocation", "argument-hint"]);
    expect(files["SKILL.md"]).toBe(
      md(
        `${base}\nmetadata:\n  version: "1.0"\n  disable-model-invocation: "true"\n  argument-hint: "[file]"`,
        "Body\r\n",
      ),
    );
    expect(skillFrontmatter(files).metadata).toEqual({
      version: "1.0",
      "disable-model-invocation": "true",
      "argument-hint": "[file]",
    });
    expect(files["a.md"]).toBe("x");
    const block = prepareSkillFiles({ "SKILL.md": md(`${base}\ntags:\n  - a\n  - b`) }).files;
    expect(skillFrontmatter(block).metadata).toEqual({ tags: '["a","b"]' });
    // A file within the specification is not touched.
    const spec = { "SKILL.md": md(`${base}   # the folder's name`) };
    expect(prepareSkillFiles(spec)).toEqual({ files: spec, moved: [] });
  });
});

describe("what both refuse, Lectern refuses naming the rule", () => {
  it.each([
    ["no frontmatter", "# Just markdown\n", "frontmatter.missing", /must start with YAML frontmatter/],
    ["a byte-order mark first", `\uFEFF${md(base)}`, "frontmatter.start", /must start with YAML frontmatter/],
    ["YAML that does not parse", md("name: [unclosed"), "frontmatter.yaml", /Invalid YAML/],
    ["a quoted ---", md('name: pdf-report\ndescription: "a --- b"'), "frontmatter.dashes", /Invalid YAML/],
    ["no name", md("description: d"), "name.required", /Missing required field in frontmatter: name/],
    ["capitals", md("name: PDF-Report\ndescription: d"), "name.format", /must be lowercase/],
    ["a leading hyphen", md("name: -pdf\ndescription: d"), "name.format", /cannot start or end with a hyphen/],
    ["a double hyphen", md("name: pdf--report\ndescription: d"), "name.format", /consecutive hyphens/],
    ["65 characters", md(`name: ${"a".repeat(65)}\ndescription: d`), "name.format", /exceeds 64 character limit/],
    ["another folder's name", md("name: csv-report\ndescription: d"), "name.folder", /must match skill name/],
    ["no description", md("name: pdf-report"), "description.required", /Missing required field.*description/],
    ["a blank description", md('name: pdf-report\ndescription: "  "'), "description.required", /non-empty string/],
    [
      "1,025 characters of description",
      md(`name: pdf-report\ndescription: ${"d".repeat(1025)}`),
      "description.length",
      /Description exceeds 1024/,
    ],
    [
      "501 characters of compatibility",
      md(`${base}\ncompatibility: ${"c".repeat(501)}`),
      "compatibility.format",
      /Compatibility exceeds 500/,
    ],
    ["compatibility as a list", md(`${base}\ncompatibility: [a]`), "compatibility.format", /must be a string/],
    [
      "a field that metadata already holds",
      md(`${base}\nversion: "2"\nmetadata:\n  version: "1"`),
      "frontmatter.fields",
      /Unexpected fields in frontmatter: version/,
    ],
    [
      "fields beside a metadata that is no mapping",
      md(`${base}\nversion: "2"\nmetadata: text`),
      "frontmatter.fields",
      /Unexpected fields in frontmatter: version/,
    ],
  ])("%s", async (_case, skillMd, rule, reference) => {
    const r = await judge(skillMd);
    expect(r.rules[0]).toBe(rule);
    expect(r.reference.join("\n")).toMatch(reference);
  });
});

describe("Lectern is stricter where the reference validator reads loosely", () => {
  // skills-ref stringifies a number it finds for a description or a metadata value, takes any Unicode letter
  // in a name, checks no license, and ends the frontmatter at the first "---" even inside a value.
  it.each([
    ["a description that is a number", md("name: pdf-report\ndescription: 42"), "description.required"],
    ["metadata of numbers", md(`${base}\nmetadata:\n  version: 1.0`), "metadata.format"],
    ["a name with an accent", md("name: café\ndescription: d"), "name.format", "café"],
    ["a license that is a number", md(`${base}\nlicense: 3`), "license.format"],
    ["an unquoted ---", md("name: pdf-report\ndescription: a---b"), "frontmatter.dashes"],
  ])("%s", async (_case, skillMd, rule, folder = "pdf-report") => {
    const r = await judge(skillMd, folder);
    expect(r.rules[0]).toBe(rule);
    expect(r.reference).toEqual([]);
  });
});
