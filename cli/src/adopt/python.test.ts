// adopt on Python (when python3 is on PATH): the ast-based finder on the fixture, and the rewritten
// file, run with Lectern down (a closed port), sending the model what the original sent.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixturePy, hasPython, pythonSent } from "../../test/adopt-fixture";
import { findPrompts } from "./find";
import { rewriteAll } from "./rewrite";

const fixture = fixturePy;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-adopt-py-"));
  dirs.push(dir);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

const sent = (dir: string, url: string) => pythonSent(dir, url, "lk_test_down");

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!hasPython)("lectern adopt on Python", { timeout: 60_000 }, () => {
  it("finds OpenAI and Anthropic prompts with f-string variables, and says what it left alone", async () => {
    const a = await findPrompts(copy(), { env: process.env });
    expect(a.names).toEqual(["support/reply/messages", "support/triage/instructions", "support/triage/input"]);
    expect(a.found[0]!.template).toEqual([
      { role: "system", content: "You help {{customer}} ({{orders}} orders, VIP: {{vip}}). Be brief." },
      { role: "user", content: "{{question}}" },
    ]);
    // str and int are typed from the annotations; a bool renders "True" in Python, so it stays a string.
    expect(a.found[0]!.variables.map((v) => [v.name, v.type, v.stringify])).toEqual([
      ["customer", "string", false],
      ["orders", "number", false],
      ["vip", "string", true],
      ["question", "string", false],
    ]);
    expect(a.found[2]!.notes).toEqual([
      "{ticket.strip()} is not a plain name or attribute: it became {{ticket_strip}}",
    ]);
    expect(a.leftAlone.map((l) => [l.line, l.property, l.reason])).toEqual([
      [15, "system", "not a literal or f-string (a variable holding text built elsewhere)"],
      [15, "messages", "an f-string field with a conversion or format (!r, :.2f) cannot be adopted as it is"],
    ]);
  });

  it("the rewritten file sends what the original sent with Lectern down and with no Lectern variable set", async () => {
    const original = copy();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const before = await sent(original, url);
    const dir = copy();
    const a = await findPrompts(dir, { env: process.env });
    const { report } = await rewriteAll(a, { environment: "development", dryRun: false, env: process.env });
    expect(report.sites.map((s) => s.status)).toEqual(["rewritten", "rewritten", "rewritten"]);
    const text = readFileSync(path.join(dir, "support.py"), "utf8");
    expect(text).toContain('lectern.get_prompt("support/reply/messages", fallback=');
    expect(text).toContain('os.environ.get("LECTERN_RUNTIME_KEY", "")');
    expect(text).not.toContain("LECTERN_API_KEY");
    expect(text).toContain('"vip": str(vip)');
    expect(text).not.toContain('f"You help {customer}');
    expect(await sent(dir, url)).toEqual(before);
    expect(await pythonSent(dir, undefined, undefined)).toEqual(before);
    expect(JSON.stringify(before)).toContain("You help Ada (3 orders, VIP: True). Be brief.");
  });

  it("does not rewrite a file that changed after it was read", async () => {
    const dir = copy();
    const a = await findPrompts(dir, { env: process.env });
    const file = path.join(dir, "support.py");
    const edited = readFileSync(file, "utf8").replace("Be brief.", "Be very brief.");
    writeFileSync(file, edited);
    const { report } = await rewriteAll(a, { environment: "development", dryRun: false, env: process.env });
    expect(report.sites.map((s) => s.reason)).toEqual(Array(3).fill("the file changed since it was read"));
    expect(readFileSync(file, "utf8")).toBe(edited);
  });

  it("adopts LangChain templates and renders each {x} back to LangChain's {x}", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-adopt-lc-"));
    dirs.push(dir);
    const chain = [
      "from langchain_core.prompts import ChatPromptTemplate, PromptTemplate",
      "",
      "def build(lang: str):",
      '    t = PromptTemplate.from_template(f"Translate {{text}} into {lang}.")',
      '    c = ChatPromptTemplate.from_messages([("system", "You are {persona}."), ("human", "{input}")])',
      "    return t, c",
      "",
    ].join("\n");
    writeFileSync(path.join(dir, "chain.py"), chain);
    const a = await findPrompts(dir, { env: process.env });
    expect(a.found.map((f) => f.template)).toEqual([
      "Translate {{text}} into {{lang}}.",
      [
        { role: "system", content: "You are {{persona}}." },
        { role: "user", content: "{{input}}" },
      ],
    ]);
    await rewriteAll(a, { environment: "development", dryRun: false, env: process.env });
    const text = readFileSync(path.join(dir, "chain.py"), "utf8");
    expect(text).toContain('.render({"text": "{text}", "lang": lang}))');
    expect(text).toContain('.render({"persona": "{persona}", "input": "{input}"})]');
    expect(text).toContain('[({"user": "human", "assistant": "ai"}.get(m["role"], m["role"]), m["content"]) for m in');
  });

  it("leaves alone what Lectern would refuse, in the server's words", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lectern-adopt-refused-"));
    dirs.push(dir);
    writeFileSync(
      path.join(dir, "bot.py"),
      'def f(client, café):\n    return client.responses.create(instructions=f"Hi {café}")\n',
    );
    const a = await findPrompts(dir, { env: process.env });
    expect(a.found).toEqual([]);
    expect(a.leftAlone).toEqual([
      expect.objectContaining({
        line: 2,
        property: "instructions",
        reason: expect.stringMatching(/^Lectern would refuse it: variable name must start with a letter/),
      }),
    ]);
  });

  it("reports Python files it cannot parse, and goes on", async () => {
    const dir = copy();
    cpSync(path.join(fixture, "support.py"), path.join(dir, "ok.py"));
    writeFileSync(path.join(dir, "broken.py"), "def f(:\n");
    const a = await findPrompts(dir, { env: process.env });
    expect(a.skipped).toEqual([{ file: "broken.py", reason: "not readable as Python (SyntaxError)" }]);
    expect(a.found.length).toBe(6);
  });

  it("without python3 on PATH, Python files are reported as not read", async () => {
    const a = await findPrompts(copy(), { env: { PATH: "/nonexistent" } });
    expect(a.found).toEqual([]);
    expect(a.notes).toEqual(["2 Python files not read: python3 is not on PATH"]);
  });
});
