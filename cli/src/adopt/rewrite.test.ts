// The rewriter on the fixture application: the rewritten app type-checks (strict, against stub SDK
// types with the providers' real message unions), and with Lectern down sends the model exactly what
// the original sent. The api tier (cli/test/adopt.api.test.ts) does the same with Lectern up.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyApp, requests, sourcesOf, typecheck } from "../../test/adopt-fixture";
import { findPrompts } from "./find";
import { rewriteAll } from "./rewrite";

const dirs: string[] = [];
const saved = { ...process.env };
let closedPort = 0;

beforeAll(async () => {
  // A port nothing listens on: Lectern is down.
  closedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const k of ["LECTERN_BASE_URL", "LECTERN_RUNTIME_KEY", "LECTERN_ENVIRONMENT"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function rewritten() {
  const dir = copyApp();
  dirs.push(dir);
  const a = await findPrompts(dir, { env: {} });
  const { report } = await rewriteAll(a, { environment: "development", dryRun: false, env: process.env });
  return { dir, a, report };
}

describe("lectern adopt --write on the fixture app", () => {
  it("the original app type-checks against the stubs (the check itself works)", () => {
    const dir = copyApp();
    dirs.push(dir);
    expect(typecheck(sourcesOf(dir))).toEqual([]);
  }, 60_000);

  it("rewrites every call site, adds the client once per file, and the result type-checks", async () => {
    const { dir, report } = await rewritten();
    expect(report.sites.map((s) => [s.file, s.name, s.status])).toEqual([
      ["src/summarize.mts", "summarize/system", "rewritten"],
      ["src/summarize.mts", "summarize/prompt", "rewritten"],
      ["src/summarize.mts", "summarize/follow-up/system", "rewritten"],
      ["src/summarize.mts", "summarize/follow-up/messages", "rewritten"],
      ["src/support.mts", "support/reply/system", "rewritten"],
      ["src/support.mts", "support/triage/instructions", "rewritten"],
      ["src/support.mts", "support/triage/input", "rewritten"],
    ]);
    const support = readFileSync(path.join(dir, "src/support.mts"), "utf8");
    expect(support.match(/from "@lectern\/sdk"/g)).toHaveLength(1);
    expect(support.match(/= createClient\(/g)).toHaveLength(1);
    expect(support).toContain("apiKey: process.env.LECTERN_RUNTIME_KEY");
    expect(support).not.toContain("LECTERN_API_KEY");
    expect(support).toContain('lectern.getPrompt("support/reply/system"');
    expect(support).toContain("render({ customer_name: customer.name, customer_plan: customer.plan, maxWords })");
    // The user's message is not text written in the code: it stays, after the prompt's messages.
    expect(support).toMatch(/\]>\),\n {6}\{ role: "user", content: question \},\n {4}\],/);
    expect(support).not.toContain("You are the support agent of Acme. The customer is ${");
    const summarize = readFileSync(path.join(dir, "src/summarize.mts"), "utf8");
    // The spread history stays in the code; the constant read only there is gone with its text.
    expect(summarize).toMatch(/\]>\), \.\.\.history\],/);
    expect(summarize).not.toContain("const house");
    expect(typecheck(sourcesOf(dir))).toEqual([]);
  }, 60_000);

  it("a rewrite without the cast to the property's type would not type-check (the check has teeth)", async () => {
    const { dir } = await rewritten();
    const file = path.join(dir, "src/support.mts");
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text.replace(
        / as unknown as NonNullable<Parameters<typeof client\.chat\.completions\.create>\[0\]\["messages"\]>/,
        "",
      ),
    );
    expect(typecheck([file]).join("\n")).toMatch(/not assignable/);
  }, 60_000);

  it("with Lectern down, and with no Lectern variable set, the rewritten app sends what the original sent", async () => {
    const original = copyApp();
    dirs.push(original);
    const before = await requests(original);
    const { dir } = await rewritten();
    process.env.LECTERN_BASE_URL = `http://127.0.0.1:${closedPort}`;
    process.env.LECTERN_RUNTIME_KEY = "lk_test_down";
    expect(await requests(dir, "down")).toEqual(before);
    delete process.env.LECTERN_BASE_URL;
    delete process.env.LECTERN_RUNTIME_KEY;
    expect(await requests(dir, "unset")).toEqual(before);
    expect(JSON.stringify(before)).toContain("The customer is Ada on the pro plan.\\nAnswer in at most 80 words.");
  }, 60_000);

  it("a dry run with --write changes no file", async () => {
    const dir = copyApp();
    dirs.push(dir);
    const before = sourcesOf(dir).map((f) => readFileSync(f, "utf8"));
    const a = await findPrompts(dir, { env: {} });
    const { report } = await rewriteAll(a, { environment: "development", dryRun: true, env: process.env });
    expect(report.sites.filter((s) => s.status === "rewritten")).toHaveLength(7);
    expect(sourcesOf(dir).map((f) => readFileSync(f, "utf8"))).toEqual(before);
  }, 60_000);
});

describe("lectern adopt --write: what each kind of site becomes", () => {
  async function rewriteOne(file: string, text: string) {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-rewrite-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, file), text);
    const a = await findPrompts(dir, { env: {} });
    const { report } = await rewriteAll(a, { environment: "development", dryRun: false, env: {} });
    return { report, text: readFileSync(path.join(dir, file), "utf8") };
  }

  it("LangChain templates render each {x} back to LangChain's own {x}, in JavaScript without casts", async () => {
    const { text } = await rewriteOne(
      "chain.mjs",
      `import { PromptTemplate, ChatPromptTemplate } from "@langchain/core/prompts";
export async function build(lang) {
  const t = PromptTemplate.fromTemplate(\`Translate {text} into \${lang}.\`);
  const c = ChatPromptTemplate.fromMessages([["system", "You are {persona}."], ["human", "{input}"]]);
  return [t, c];
}
`,
    );
    expect(text).toContain('.render({ text: "{text}", lang: String(lang) })');
    expect(text).toContain('.render({ persona: "{persona}", input: "{input}" })');
    expect(text).toContain(
      '.map((m) => [m.role === "user" ? "human" : m.role === "assistant" ? "ai" : m.role, m.content])',
    );
    expect(text).not.toMatch(/ as /);
  }, 60_000);

  it("leaves sites it cannot rewrite as they are, with the reason", async () => {
    const source = `export function f(c: any) {
  return c.chat.completions.create({ messages: [{ role: "user", content: "Hi" }] });
}
`;
    const { report, text } = await rewriteOne("sync.ts", source);
    expect(report.sites).toEqual([
      expect.objectContaining({ status: "skipped", reason: "f is not async: fetching the prompt needs await" }),
    ]);
    expect(text).toBe(source);
    const cjs = await rewriteOne(
      "old.cjs",
      `async function f(c) { return c.messages.create({ system: "Hi" }); }\nmodule.exports = { f };\n`,
    );
    expect(cjs.report.sites[0]).toMatchObject({
      status: "skipped",
      reason: "not an ES module (@lectern/sdk is imported with import)",
    });
  }, 60_000);

  it("does not rewrite a file that changed after it was read", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-rewrite-"));
    dirs.push(dir);
    const file = path.join(dir, "a.ts");
    writeFileSync(file, `export async function f(c: any) { return c.messages.create({ system: "Hi" }); }\n`);
    const a = await findPrompts(dir, { env: {} });
    const edited = `export async function f(c: any) { return c.messages.create({ system: "Hello" }); }\n`;
    writeFileSync(file, edited);
    const { report } = await rewriteAll(a, { environment: "development", dryRun: false, env: {} });
    expect(report.sites).toEqual([
      expect.objectContaining({ status: "skipped", reason: "the file changed since it was read" }),
    ]);
    expect(readFileSync(file, "utf8")).toBe(edited);
  }, 60_000);

  it("picks other names when the file already uses lectern or createClient", async () => {
    const { text } = await rewriteOne(
      "taken.ts",
      `import { createClient } from "redis";
const lectern = 1;
export async function f(c: any) { return c.messages.create({ system: "Hi", model: createClient, n: lectern }); }
`,
    );
    expect(text).toContain('import { createClient as createLecternClient } from "@lectern/sdk";');
    expect(text).toContain("const lecternClient = createLecternClient({");
    expect(text).toContain('(await lecternClient.getPrompt("taken/f/system", {');
  }, 60_000);
});
