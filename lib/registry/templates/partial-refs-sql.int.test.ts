// The index of partial references (migration 0041) is derived in SQL, by lectern_partial_refs, from the same
// text collectPartials reads with mustache.js: this holds the two to one answer. A database migrated up to
// 0040 gets versions (a table of hand-written contents and thousands of generated templates), then 0041 runs:
// its backfill must give each version exactly collectPartials' references. Versions inserted afterwards go
// through the trigger and must give the same.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, migrationsFolder, queryRows } from "../../../db/client";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { generators } from "../../stats/random";
import type { ChatEntry, Content } from "../content";
import { collectPartials } from "./partials";

const text = (template: string, more: Partial<Content> = {}) =>
  ({ type: "text", template, variables: [], config: {}, examples: [], ...more }) as Content;
const chat = (...template: ChatEntry[]) =>
  ({ type: "chat", template, variables: [], config: {}, examples: [] }) as Content;
const msg = (content: string, role: "system" | "user" | "assistant" = "user"): ChatEntry => ({ role, content });

const cases: [string, Content][] = [
  ["no partial", text("Hello {{name}}, {{#items}}{{.}}{{/items}}")],
  ["one", text("{{> tone}} Hi")],
  ["whitespace variants", text("{{>tone}} {{>  tone  }} {{ > voice }} {{>\n\tstyle\r\n}} {{  >x}}")],
  ["Unicode whitespace", text("{{>\u00a0tone\u3000}} {{>\u2028voice\ufeff}}")],
  ["label pin", text("{{> tone|label=production}} and {{> tone}}")],
  ["version pin", text("{{> tone|version=3}}{{> tone|version=3}}")],
  ["latest", text("{{> tone|label=latest}}")],
  ["names with spaces, slashes, dots, Unicode", text("{{> support/My Prompt [v2].x}} {{> café/ton}}")],
  ["in sections", text("{{#items}}{{> row}}{{/items}}{{^items}}{{> empty|label=staging}}{{/items}}")],
  ["inside a comment", text("{{! uses {{> tone}} }} plain")],
  ["inside a triple mustache", text("{{{> tone}}} and {{{raw}}} then {{> voice}}")],
  ["inside a variable's tag", text("{{ question {{> tone}} and {{> voice}}")],
  ["braces around", text("a }} b {{> tone}}} c {{{x}}}} {{> voice }}}")],
  ["a Langfuse tag left as text", text("@@@langfusePrompt:name=tone|label=production@@@")],
  [
    "in variables, examples and config, not the template",
    text("Plain", {
      variables: [{ name: "q", type: "string", required: false, default: "{{> tone}}" }],
      examples: [{ input: { q: "{{> voice}}" }, output: "{{> style}}" }],
      config: { model: "{{> m}}" },
    }),
  ],
  [
    "chat, with a placeholder",
    chat(
      msg("{{> tone}}", "system"),
      { type: "placeholder", name: "history" },
      msg("{{> voice|version=2}} {{question}}"),
    ),
  ],
  ["chat, a reference in two messages", chat(msg("{{> tone}}", "system"), msg("{{>tone}} {{> style|label=dev}}"))],
  ["chat, tags only in one message", chat(msg("Plain {{x}}", "system"), msg("{{#x}}{{> tone}}{{/x}}"))],
  ["too long to name a prompt", text(`{{> ${"x".repeat(400)}}} {{> tone}}`)],
];

/** collectPartials' answer, less what the index leaves out (a reference longer than any that names a prompt). */
const expected = (c: Content) => collectPartials(c).filter((r) => r.length <= 300);

// Templates made of pieces that make tags, half-tags and text; only those that parse (as every saved one does).
function generated(n: number): Content[] {
  const { uniform } = generators("partial-refs-sql");
  const pieces = ["{{>", "{{> ", "}}", " }}", "{{", "{{{", "}}}", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{!"];
  pieces.push("a", "tone", "b|version=2", "x|label=y", "|", "=", " ", "\n", "\t", "\u3000", "\u00a0", "{", "}", ">");
  const pick = () => pieces[Math.floor(uniform() * pieces.length)]!;
  const template = () => Array.from({ length: 1 + Math.floor(uniform() * 14) }, pick).join("");
  const out: Content[] = [];
  while (out.length < n) {
    const c = uniform() < 0.7 ? text(template()) : chat(msg(template(), "system"), msg(template()));
    try {
      collectPartials(c);
      out.push(c);
    } catch {
      // Does not parse: no save would accept it.
    }
  }
  return out;
}

let t: TestDatabase;
let dir: string;
let projectId: string;
let promptId: string;
const before = [...cases.map(([, c]) => c), ...generated(3000)];

/** A copy of the migrations up to and including `last`. */
function migrationsUpTo(last: string): string {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === last) + 1);
  mkdirSync(path.join(dir, "meta"), { recursive: true });
  writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const e of entries) copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

async function insertVersions(contents: Content[], from: number) {
  await t.db.execute(sql`insert into prompt_versions (prompt_id, version, content)
    select ${promptId}, ${from - 1} + i, c from unnest(${sql.param(contents.map((c) => JSON.stringify(c)))}::jsonb[])
      with ordinality u(c, i)`);
}

async function indexed(): Promise<Map<number, string[]>> {
  const rows = await queryRows<{ version: number; ref: string; project_id: string; ref_name: string }>(
    t.db,
    sql`select version, ref, project_id, ref_name from prompt_version_partial_refs where prompt_id = ${promptId}`,
  );
  const out = new Map<number, string[]>();
  for (const r of rows) {
    expect([r.project_id, r.ref_name]).toEqual([projectId, r.ref.split("|")[0]]);
    out.set(r.version, [...(out.get(r.version) ?? []), r.ref].sort());
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lectern-0041-"));
  t = await createTestDatabase({ empty: true });
  await migrateDatabase(t, migrationsUpTo("0040_version_latency_bins"));
  // In SQL: the code of today may write columns that migrations after 0040 add.
  const id = async (q: ReturnType<typeof sql>) => (await queryRows<{ id: string }>(t.db, q))[0]!.id;
  projectId = await id(sql`insert into projects (slug, name, public_id) values ('refs', 'refs', 'refs') returning id`);
  promptId = await id(sql`insert into prompts (project_id, name) values (${projectId}, 'host') returning id`);
  await insertVersions(before, 1);
  await migrateDatabase(t);
}, 120_000);
afterAll(async () => {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the references of a version, in SQL", () => {
  it("the backfill gives every version collectPartials' references", async () => {
    const index = await indexed();
    const differ = before.flatMap((c, i) => {
      const want = expected(c).sort();
      const got = index.get(i + 1) ?? [];
      return JSON.stringify(got) === JSON.stringify(want)
        ? []
        : [{ content: c.type === "skill" ? c.files : c.template, want, got }];
    });
    expect(differ).toEqual([]);
    // The generated ones are not all trivial: many hold references, some several.
    expect(before.filter((c) => expected(c).length > 0).length).toBeGreaterThan(500);
    expect(before.filter((c) => expected(c).length > 1).length).toBeGreaterThan(50);
  });

  it.each(cases)("the trigger indexes a version saved afterwards: %s", async (_, content) => {
    const [next] = await queryRows<{ v: number }>(
      t.db,
      sql`select max(version) + 1 as v from prompt_versions where prompt_id = ${promptId}`,
    );
    const v = next!.v;
    await insertVersions([content], v);
    expect((await indexed()).get(v) ?? []).toEqual(expected(content).sort());
  });

  it("the hand-written table says what it means", () => {
    const of = (name: string) => expected(cases.find(([n]) => n === name)![1]);
    expect(of("whitespace variants")).toEqual(["tone", "voice", "style", "x"]);
    expect(of("Unicode whitespace")).toEqual(["tone", "voice"]);
    expect(of("inside a comment")).toEqual([]);
    expect(of("inside a triple mustache")).toEqual(["voice"]);
    expect(of("inside a variable's tag")).toEqual(["voice"]);
    expect(of("in variables, examples and config, not the template")).toEqual([]);
    expect(of("chat, with a placeholder")).toEqual(["tone", "voice|version=2"]);
    expect(of("chat, tags only in one message")).toEqual(["tone"]);
    expect(of("too long to name a prompt")).toEqual(["tone"]);
  });
});
