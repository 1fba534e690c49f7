// A skill is content like the others: parsed, diffed per file, merged per file, included as a partial by its
// SKILL.md body, never rendered on its own.
import { describe, expect, it } from "vitest";
import { contentSchema, parseContent, type Content } from "../content";
import { diffContent } from "./diff";
import { mergeContent } from "./merge";
import {
  collectPartials,
  includedPartials,
  partialText,
  renderContent,
  resolvePartialGraph,
} from "../templates/template";

const skillMd =
  "---\nname: pdf-report\ndescription: Writes PDF reports.\n---\nFollow {{> shared/tone}} and the guide.\n";
const skill = (files: Record<string, string>): Content => contentSchema.parse({ type: "skill", files });
const base = skill({ "SKILL.md": skillMd, "references/guide.md": "one\ntwo\nthree\n", "scripts/run.py": "print(1)\n" });

describe("skill content", () => {
  it("parses files, orders them SKILL.md first, and has no variables", () => {
    const c = parseContent({ type: "skill", files: { "z.md": "z", "SKILL.md": skillMd } });
    expect(c.type === "skill" && Object.keys(c.files)).toEqual(["SKILL.md", "z.md"]);
    expect(() => parseContent({ type: "skill", files: {} })).toThrow(/at least SKILL.md/);
    expect(() => parseContent({ type: "skill", files: { "SKILL.md": 3 } })).toThrow(/must be text/);
    expect(() => parseContent({ type: "skill", files: { "SKILL.md": skillMd }, variables: [{ name: "x" }] })).toThrow(
      /a skill has no variables/,
    );
    expect(() => parseContent({ type: "prose", template: "" })).toThrow(/"text", "chat" or "skill"/);
  });

  it("diffs file by file: changed, added, removed and unchanged, each named by its path", () => {
    const after = skill({
      "SKILL.md": skillMd,
      "references/guide.md": "one\n2\nthree\n",
      "references/faq.md": "Q?\n",
    });
    const d = diffContent(base, after);
    expect(d.pieces.map((p) => [p.file, p.status])).toEqual([
      ["SKILL.md", "unchanged"],
      ["references/faq.md", "added"],
      ["references/guide.md", "changed"],
      ["scripts/run.py", "removed"],
    ]);
    expect(d.pieces[2]!.hunks.filter((h) => h.type !== "same").map((h) => [h.type, h.text])).toEqual([
      ["del", "two\n"],
      ["add", "2\n"],
    ]);
    expect(d.summary).toEqual([
      "file references/faq.md added",
      "file references/guide.md changed: +1 −1 lines",
      "file scripts/run.py removed",
    ]);
  });

  it("merges a draft file by file, and conflicts on the same lines of one file", () => {
    const ours = skill({
      ...(base as { files: Record<string, string> }).files,
      "references/guide.md": "one\nTWO\nthree\n",
    });
    const theirs = skill({ ...(base as { files: Record<string, string> }).files, "scripts/run.py": "print(2)\n" });
    const clean = mergeContent(base, ours, theirs);
    expect(clean.ok && clean.content.type === "skill" && clean.content.files).toMatchObject({
      "references/guide.md": "one\nTWO\nthree\n",
      "scripts/run.py": "print(2)\n",
    });
    const other = skill({
      ...(base as { files: Record<string, string> }).files,
      "references/guide.md": "one\nZWEI\nthree\n",
    });
    const clash = mergeContent(base, ours, other);
    expect(!clash.ok && clash.conflicts.map((c) => c.key)).toEqual(['files["references/guide.md"]']);
  });

  it("keeps each file's mode: 0755 for the executable ones only, naming a file the skill holds", () => {
    const c = parseContent({
      type: "skill",
      files: { "SKILL.md": skillMd, "scripts/run.sh": "#!/bin/sh\n", "b.sh": "" },
      modes: { "scripts/run.sh": "0755", "SKILL.md": "0644", "b.sh": "0755" },
    });
    expect(c.type === "skill" && c.modes).toEqual({ "b.sh": "0755", "scripts/run.sh": "0755" });
    const none = parseContent({ type: "skill", files: { "SKILL.md": skillMd }, modes: { "SKILL.md": "0644" } });
    expect("modes" in none).toBe(false);
    expect(() => parseContent({ type: "skill", files: { "SKILL.md": skillMd }, modes: { "x.sh": "0755" } })).toThrow(
      /modes names "x.sh", which is not a file of the skill/,
    );
    expect(() =>
      parseContent({ type: "skill", files: { "SKILL.md": skillMd }, modes: { "SKILL.md": "0777" } }),
    ).toThrow(/"0644" or "0755"/);
  });

  it("diffs and merges modes: a script made executable is a change, and merges like any value", () => {
    const files = (base as { files: Record<string, string> }).files;
    const exec = contentSchema.parse({ type: "skill", files, modes: { "scripts/run.py": "0755" } });
    const d = diffContent(base, exec);
    expect(d.modes).toEqual([{ path: "scripts/run.py", before: "0644", after: "0755" }]);
    expect(d.summary).toEqual(["scripts/run.py made executable"]);
    expect(diffContent(exec, base).summary).toEqual(["scripts/run.py no longer executable"]);
    const edited = skill({ ...files, "references/guide.md": "one\nTWO\nthree\n" });
    const merged = mergeContent(base, edited, exec);
    expect(merged.ok && merged.content.type === "skill" && merged.content.modes).toEqual({ "scripts/run.py": "0755" });
    const undone = contentSchema.parse({ type: "skill", files, modes: {} });
    const both = mergeContent(exec, undone, exec);
    expect(both.ok && both.content.type === "skill" && "modes" in both.content).toBe(false);
  });

  it("is included by its SKILL.md body, whose references are partials too; alone it has none", () => {
    expect(partialText(base)).toBe("Follow {{> shared/tone}} and the guide.\n");
    expect(collectPartials(base)).toEqual([]);
    expect(includedPartials(base)).toEqual(["shared/tone"]);
    const prompt = contentSchema.parse({ type: "text", template: "Task: {{> skills/pdf-report}}" });
    const tone = contentSchema.parse({ type: "text", template: "a calm tone" });
    const contents: Record<string, Content> = { "skills/pdf-report": base, "shared/tone": tone };
    const graph = resolvePartialGraph({ name: "writer", content: prompt }, (n) => contents[n]);
    expect(renderContent(prompt, {}, graph).rendered).toBe("Task: Follow a calm tone and the guide.\n");
  });

  it("is never rendered on its own", () => {
    expect(() => renderContent(base, {})).toThrow(/A skill is not rendered/);
  });
});
