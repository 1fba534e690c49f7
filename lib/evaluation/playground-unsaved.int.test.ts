// The editor's "Try it": unsaved content runs like a saved version (checked as saving checks it, rendered
// through the one render path, called through the project's connection), and nothing but the audit entry
// is written.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { loopbackOnly, recordingClock, withLlmServer } from "../../test/llm-caller";
import { createConnection } from "../llm/connections";
import { createCallerResolver } from "../llm/resolver";
import { createPrompt } from "../registry/prompts";
import { runUnsavedPlayground } from "./playground-unsaved";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

let t: TestDatabase;
let p: Fixture;
const key = randomBytes(32);
const server = withLlmServer();
const allow = { allowPrivate: loopbackOnly() };
const resolver = () =>
  createCallerResolver({
    encryptionKey: () => key,
    ...allow,
    maxResponseBytes: 1 << 20,
    callerOptions: { clock: recordingClock(), random: () => 0.5 },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  p = await seedProject(t.db, "draft-play");
  await createConnection(
    projectContext(t.db, p.admin, p.projectId, noEvents),
    { name: "Local", provider: "openai-compatible", baseUrl: server().baseUrl, isDefault: true },
    key,
    allow,
  );
  await createPrompt(p.ctx(p.editor), {
    name: "greet",
    type: "text",
    template: "Say hello to {{who}}",
    variables: [{ name: "who", type: "string", required: true }],
    config: { model: "scripted-model" },
  });
});
afterAll(async () => t.drop());

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(t.db, query))[0]!.n;
const draft = (template: string, extra: Record<string, unknown> = {}) => ({
  type: "text",
  template,
  variables: [{ name: "who", type: "string", required: true }],
  config: { model: "scripted-model" },
  ...extra,
});

describe("runUnsavedPlayground", () => {
  it("runs the editor's unsaved content with the chosen model, and saves nothing but the audit entry", async () => {
    server().script({ rules: [{ match: "Say hi warmly to Ann", text: "Hi Ann, so good to see you!" }] });
    const versionsBefore = await count(sql`select count(*)::int as n from prompt_versions`);
    const r = await runUnsavedPlayground(
      projectContext(t.db, p.editor, p.projectId, noEvents),
      "greet",
      { content: draft("Say hi warmly to {{who}}"), variables: { who: "Ann" }, model: "other-model" },
      resolver(),
    );
    expect(r).toMatchObject({
      version: 0,
      unsaved: true,
      output: "Hi Ann, so good to see you!",
      model: "other-model",
      error: null,
    });
    expect((server().requests.at(-1)!.body as { model: string }).model).toBe("other-model");
    expect(await count(sql`select count(*)::int as n from prompt_versions`)).toBe(versionsBefore);
    const [audit] = await queryRows<{ after: Record<string, unknown> }>(
      t.db,
      sql`select after from audit_log where action = 'playground.run' and project_id = ${p.projectId} order by id desc limit 1`,
    );
    expect(audit!.after).toMatchObject({ version: null, unsaved: true, model: "other-model" });
  });

  it("refuses what saving would refuse, writing nothing", async () => {
    const audits = () =>
      count(
        sql`select count(*)::int as n from audit_log where action = 'playground.run' and project_id = ${p.projectId}`,
      );
    const before = await audits();
    const run = (actor: Fixture["editor"], input: unknown) =>
      failure(runUnsavedPlayground(projectContext(t.db, actor, p.projectId, noEvents), "greet", input, resolver()));
    // An unclosed section: the template does not parse.
    expect((await run(p.editor, { content: draft("{{#who}} hi"), variables: { who: "x" } })).code).toMatch(
      /invalid_input|unprocessable/,
    );
    // A variable used but not declared.
    expect(
      (await run(p.editor, { content: draft("Hi {{who}} from {{city}}"), variables: { who: "x" } })).message,
    ).toMatch(/city/);
    expect((await run(p.editor, { variables: {} })).details?.field).toBe("content");
    expect((await run(p.editor, { content: { type: "text" }, variables: {} })).code).toBe("invalid_input");
    expect((await run(p.editor, { content: draft("Hi {{who}}"), variables: { who: "x" }, version: 1 })).code).toBe(
      "invalid_input",
    );
    expect(await audits()).toBe(before);
  });
});
