// `lectern import pezzo` as a user runs it: the built CLI reads a self-hosted Pezzo's PostgreSQL (its tables as
// Pezzo's migrations make them, test/pezzo-database.ts) and imports into the running Lectern — every version in
// order, environments through the release path, a construct that cannot convert refused and named, nothing
// written to Pezzo, and nothing imported the second time. Needs PostgreSQL (TEST_DATABASE_URL).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, lectern, removeTemps, resolveOn, tempDir } from "../../cli/test/cli-harness";
import { PezzoDatabase } from "../pezzo-database";
import { adminKey, baseUrl, call } from "./client";
import { pezzoClient, project, runtimeKey } from "./compat-pezzo-setup";

const base = process.env.TEST_DATABASE_URL;
const folder = `pzimp-${randomBytes(3).toString("hex")}`;
const qa = `qa-${randomBytes(3).toString("hex")}`;
const names = { welcome: `${folder}/Welcome Mail`, triage: `${folder}/triage`, codes: `${folder}/codes` };
const settings = { model: "gpt-4o-mini", temperature: 0.7, max_tokens: 256, top_p: 1, presence_penalty: 0 };
let pezzo: PezzoDatabase;
let shas: Record<keyof typeof names, string[]>;

async function fill(db: PezzoDatabase) {
  const ana = await db.user("ana@acme.test");
  const acme = await db.project("acme");
  await db.prompt(await db.project("other"), `${folder}/elsewhere`, ana, [
    { content: { prompt: "x" }, at: "2024-01-01" },
  ]);
  const production = await db.environment(acme, "Production");
  const staging = await db.environment(acme, "Staging");
  const qaEnv = await db.environment(acme, qa.toUpperCase());
  const v = (prompt: string, at: string, message: string) => ({ content: { prompt }, settings, message, at });
  const welcome = await db.prompt(acme, names.welcome, ana, [
    v("Hello {name}", "2024-01-01T10:00:00Z", "first"),
    v('Hello { name }, welcome to {place}! Reply as JSON: {"ok": true}', "2024-02-01T10:00:00Z", "second"),
    v("Hi {name}.", "2024-03-01T10:00:00Z", "third"),
  ]);
  const chat = (messages: { role: string; content: string }[], at: string) => ({
    type: "Chat" as const,
    content: { messages },
    settings: { model: "gpt-4o" },
    at,
  });
  const system = { role: "system", content: "You triage tickets for {company}." };
  const triage = await db.prompt(acme, names.triage, ana, [
    chat([system, { role: "user", content: "{ticket}" }], "2024-01-05T00:00:00Z"),
    chat(
      [system, { role: "user", content: "Ticket: {ticket}" }, { role: "assistant", content: "On it." }],
      "2024-01-06T00:00:00Z",
    ),
  ]);
  const codes = await db.prompt(acme, names.codes, ana, [
    v("Your code is {code}", "2024-01-01T00:00:00Z", "one"),
    v("Use {2fa_code} now", "2024-01-02T00:00:00Z", "a variable Lectern cannot name"),
    { content: { text: "not Pezzo's shape" }, at: "2024-01-03T00:00:00Z" },
    v("Code: {code}!", "2024-01-04T00:00:00Z", "four"),
  ]);
  await db.deploy(welcome[0]!, production, ana, "2024-01-02T00:00:00Z");
  await db.deploy(welcome[1]!, production, ana, "2024-02-02T00:00:00Z");
  await db.deploy(welcome[2]!, staging, ana, "2024-03-02T00:00:00Z");
  await db.deploy(welcome[2]!, qaEnv, ana, "2024-03-03T00:00:00Z");
  await db.deploy(triage[1]!, production, ana, "2024-01-07T00:00:00Z");
  await db.deploy(codes[3]!, production, ana, "2024-01-05T00:00:00Z");
  shas = { welcome, triage, codes };
}

beforeAll(async () => {
  if (!base) return;
  await buildCli();
  pezzo = await PezzoDatabase.create(base);
  await fill(pezzo);
  // A Lectern environment whose rules the import cannot meet: what Pezzo serves there is reported, not moved.
  const env = await call("POST", "/api/v1/environments", { body: { name: qa, requiresReview: true } });
  expect(env.status, JSON.stringify(env.body)).toBe(201);
}, 180_000);

afterAll(async () => {
  await pezzo?.close();
  removeTemps();
});

const run = (...args: string[]) => runAt(pezzo.url, ...args);
const runAt = (url: string, ...args: string[]) =>
  lectern(["import", "pezzo", "--database-url", url, "--folder", folder, ...args], {
    cwd: tempDir("pezzo-import"),
    env: { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey },
  });

describe.runIf(Boolean(base))("lectern import pezzo, from a Pezzo's PostgreSQL", () => {
  it("asks which project when Pezzo has several, and never shows the password", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Pezzo has 2 projects: choose one with --pezzo-project");
    const wrong = await lectern(["import", "pezzo", "--database-url", "postgres://me:s3cret@127.0.0.1:1/pezzo"], {
      cwd: tempDir("pezzo-import"),
      env: { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey },
    });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain("Pezzo's database:");
    expect(wrong.stderr + wrong.stdout).not.toContain("s3cret");
  });

  it("plans, imports every version in order, refuses what cannot convert, and imports nothing the second time", async () => {
    const before = await pezzo.fingerprint();
    const dry = await run("--pezzo-project", "acme", "--dry-run");
    expect(dry.code, dry.stderr).toBe(1); // two versions of codes cannot be imported
    expect(dry.stdout).toContain(
      // The dry run plans qa's move; the real run finds its review rule and reports it as "was live in".
      `+ ${names.welcome} would be created: versions 1, 2, 3; production → version 2; ${qa} → version 3; staging → version 3`,
    );
    expect(dry.stdout).toMatch(
      /Dry run: 3 prompts would be imported \(7 versions, \d+ environment moves\);.*2 versions refused; nothing was written/,
    );
    expect((await resolveOn(baseUrl, names.welcome, "production")).status).toBe(404);

    const real = await run("--pezzo-project", "acme", "--json");
    const report = JSON.parse(real.stdout);
    expect(real.code).toBe(1);
    expect(report.totals).toMatchObject({ prompts: 3, imported: 3, versions: 7, refused: 2 });
    const codes = report.prompts.find((p: { name: string }) => p.name === names.codes);
    expect(codes.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceId: shas.codes[1], outcome: "refused", construct: "name" }),
        expect.objectContaining({ sourceId: shas.codes[2], outcome: "refused", field: "content" }),
      ]),
    );
    const welcome = report.prompts.find((p: { name: string }) => p.name === names.welcome);
    expect(welcome.wasLiveIn).toEqual([expect.objectContaining({ label: qa, sourceId: shas.welcome[2] })]);

    const served = await resolveOn(baseUrl, names.welcome, "production");
    expect(served.body).toMatchObject({
      version: 2,
      template: 'Hello {{name}}, welcome to {{place}}! Reply as JSON: {"ok": true}',
      config: { provider: "openai", model: "gpt-4o-mini", temperature: 0.7, maxTokens: 256, topP: 1 },
    });
    expect((await resolveOn(baseUrl, names.codes, "production")).body).toMatchObject({
      version: 2,
      template: "Code: {{code}}!",
    });
    const v1 = await call("GET", `/api/v1/prompts/${encodeURIComponent(names.welcome)}/versions/1`);
    expect(v1.body).toMatchObject({ commitMessage: "first", author: expect.stringContaining("ana@acme.test") });
    const triage = await resolveOn(baseUrl, names.triage, "production");
    expect(triage.body.template).toEqual([
      { role: "system", content: "You triage tickets for {{company}}." },
      { role: "user", content: "Ticket: {{ticket}}" },
      { role: "assistant", content: "On it." },
    ]);
    // Pezzo's client reads it back as Pezzo wrote it.
    const { slug } = await project();
    const got = await pezzoClient(await runtimeKey(), slug).getPrompt(names.welcome);
    expect(got.pezzo.content).toEqual({ prompt: 'Hello {name}, welcome to {place}! Reply as JSON: {"ok": true}' });

    // Another name for the same database (a tunnel, a DNS name) is the same source.
    const [a, b] = pezzo.url.includes("127.0.0.1") ? ["127.0.0.1", "localhost"] : ["localhost", "127.0.0.1"];
    const again = await runAt(pezzo.url.replace(a, b), "--pezzo-project", "acme");
    expect(again.stdout).toContain("0 prompts imported (0 versions, 0 environment moves); 3 unchanged");
    expect(await pezzo.fingerprint()).toBe(before);
  });
});
