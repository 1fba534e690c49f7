// One meaning per word (CONTRIBUTING.md, "One meaning per word"): docs/glossary.md defines each domain term once,
// and lib/'s identifiers use "archive…" and "draft…" only in the glossary's meanings. "Archived" is a version
// status, which the code names only as the wire value "archived"; a deleted version or prompt is "deleted"; a
// "draft" is a draft copy. Checked by parsing lib/ and db/ with the TypeScript parser (no type checker, so it stays
// fast): every identifier counts, property names and parameters included; strings, SQL and comments do not.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = process.cwd();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return files(full);
    return e.endsWith(".ts") && !e.endsWith(".test.ts") && !e.endsWith(".d.ts") ? [full] : [];
  });
}

type Use = { file: string; line: number; name: string };

/** Every identifier of lib/ and db/ that says "archive", "draft" or "deleted", read once. */
function wordUses(): Use[] {
  const pattern = /archiv|draft|deleted/i;
  const uses: Use[] = [];
  for (const full of [...files(path.join(root, "lib")), ...files(path.join(root, "db"))]) {
    const file = path.relative(root, full);
    const sf = ts.createSourceFile(full, readFileSync(full, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && pattern.test(node.text))
        uses.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, name: node.text });
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}
const uses = wordUses();
const identifiers = (pattern: RegExp) => uses.filter((u) => pattern.test(u.name));

/** Identifiers that may say "archive", each where it may, and why: none of them is about a deleted version in code. */
const archiveAllowed: { names: string[]; where: RegExp; why: string }[] = [
  {
    names: ["archiveFormats", "ArchiveFormat", "buildArchive", "versionArchive", "archives"],
    where: /^lib\/skills\//,
    why: "an archive is a skill's files packed as .tar.gz or .zip (glossary: archive)",
  },
  { names: ["includeArchive"], where: /^lib\/jobs\/queue\.ts$/, why: "pg-boss's option" },
  {
    names: ["archivedAt", "archivedVersions", "archived", "archived_at"],
    where: /^lib\/snapshots\//,
    why: "the snapshot file's and the import answer's field names, and the column read as it is named",
  },
  {
    names: ["is_archived", "archived_at"],
    where: /^lib\/compat\/langsmith\//,
    why: "LangSmith's field, and the column read as it is named",
  },
  {
    names: ["archived"],
    where: /^lib\/release\/(deployments|version-labels\/version-labels)\.ts$/,
    why: "the `archived: true` detail of a refused deployment's or label's error, on the wire",
  },
];

/**
 * Where "draft" meant something else: the modules of the version status (never deployed) and of experiments (not
 * started), and the scorer form (an unchecked spec). No draft copy lives there. Elsewhere, the names "draft" once
 * had in another meaning stay gone. (lib/llm/json-schema.ts's `draft07` is JSON Schema's own name for its dialect.)
 */
const noDraftCopies = [/^lib\/experiments\//, /^lib\/ingest\//, /^lib\/release\/status\.ts$/, /^lib\/scorers\//];
const otherDrafts = /SpecDraft|DraftPlayground|isDraft|draftStatus|DraftStatus/;

const glossary = readFileSync(path.join(root, "docs/glossary.md"), "utf8");
const terms = [...glossary.matchAll(/^- \*\*(.+?)\*\* — /gm)].map((m) => m[1]!.toLowerCase());

describe("one meaning per word", () => {
  it("reads lib/ and db/", () => {
    expect(identifiers(/^deletedVersions$/).length).toBeGreaterThan(3);
    expect(identifiers(/draft/i).length).toBeGreaterThan(50);
  });

  it('no identifier in lib/ or db/ says "archive" for a deleted version or prompt', () => {
    const stray = identifiers(/archiv/i).filter(
      (u) => !archiveAllowed.some((a) => a.names.includes(u.name) && a.where.test(u.file)),
    );
    expect(stray.map((u) => `${u.file}:${u.line} ${u.name}`)).toEqual([]);
  });

  it("the drizzle schema keeps the deleted versions' table name, under the code's word", () => {
    const schema = readFileSync(path.join(root, "db/schema/prompts.ts"), "utf8");
    expect(schema).toMatch(/export const promptVersionDeletions = pgTable\(\s*"prompt_version_archives"/);
    expect(schema).toContain('deletedAt: timestamp("archived_at"');
  });

  it('no identifier says "draft" where drafts mean a version never deployed or an experiment not started', () => {
    const stray = identifiers(/draft/i).filter(
      (u) => noDraftCopies.some((w) => w.test(u.file)) || otherDrafts.test(u.name),
    );
    expect(stray.map((u) => `${u.file}:${u.line} ${u.name}`)).toEqual([]);
  });

  it("docs/glossary.md defines each term once, the words with several past meanings included", () => {
    expect(terms.length).toBeGreaterThan(20);
    expect(terms.filter((t, i) => terms.indexOf(t) !== i)).toEqual([]);
    for (const word of [
      "archived",
      "deleted",
      "draft",
      "draft copy",
      "never deployed",
      "not started",
      "version status",
      "archive",
      "environment",
      "deployment",
      "release",
      "rollout",
      "experiment",
      "bundle",
      "partial",
      "skill",
      "permission",
      "operation",
    ])
      expect(terms).toContain(word);
  });
});
