// The JavaScript/TypeScript finder on sources written to a temp directory: which calls it adopts, the
// templates and typed variables it proposes, what it leaves alone and why, and which files it never reads.
// The shapes of real applications (spread histories, constants, names from routes) are in find-shapes.test.ts.
import { symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempTrees } from "../../test/temp-tree";
import { findPrompts } from "./find";
import { maxFileBytes } from "./files";

const project = tempTrees("lectern-find-");

const find = async (files: Record<string, string>) => findPrompts(project(files), { env: {} });

describe("lectern adopt: the JavaScript/TypeScript finder", { timeout: 60_000 }, () => {
  it("adopts OpenAI chat messages with typed variables from a template literal", async () => {
    const a = await find({
      "src/support.ts": `
        export async function reply(client: any, user: { name: string; age: number; vip: boolean }, note: any) {
          return client.chat.completions.create({ model: "m", messages: [
            { role: "system", content: \`Hi \${user.name}, \${user.age}, vip: \${user.vip}, \${note}\` },
            { role: "user", content: "Help" },
          ] });
        }`,
    });
    expect(a.names).toEqual(["support/reply/messages"]);
    const f = a.found[0]!;
    expect(f).toMatchObject({
      type: "chat",
      property: "messages",
      line: 3,
      fn: "reply",
      call: "client.chat.completions.create",
    });
    expect(f.template).toEqual([
      { role: "system", content: "Hi {{user_name}}, {{user_age}}, vip: {{user_vip}}, {{note}}" },
      { role: "user", content: "Help" },
    ]);
    expect(f.variables.map((v) => [v.name, v.type, v.stringify])).toEqual([
      ["user_name", "string", false],
      ["user_age", "number", false],
      ["user_vip", "boolean", false],
      ["note", "string", true],
    ]);
  });

  it("names expressions that are not plain names and says so; the same expression is one variable", async () => {
    const a = await find({
      "a.ts": `export async function f(a: number, b: number, fn: () => string) {
        await generateText({ model: "m", prompt: \`\${a + b} and \${fn()} and \${fn()}\` });
      }
      declare function generateText(o: object): Promise<unknown>;`,
    });
    const f = a.found[0]!;
    expect(f.template).toBe("{{a_b}} and {{fn}} and {{fn}}");
    expect(f.variables.map((v) => [v.name, v.expr, v.type])).toEqual([
      ["a_b", "a + b", "number"],
      ["fn", "fn()", "string"],
    ]);
    expect(f.notes).toEqual([
      "${a + b} is not a plain name or property access: it became {{a_b}}",
      "${fn()} is not a plain name or property access: it became {{fn}}",
    ]);
  });

  it("adopts Anthropic system and messages, OpenAI responses, and the AI SDK's four functions", async () => {
    const a = await find({
      "calls.js": `
        export async function anthropicCall(c) { return c.messages.create({ system: "Be kind.", messages: [{ role: "user", content: "Hello" }] }); }
        export async function responsesCall(c) { return c.responses.create({ instructions: "Short.", input: "Say hi" }); }
        export async function sdk() {
          await streamText({ system: "S1" }); await generateObject({ prompt: "P2" }); await streamObject({ messages: [{ role: "user", content: "M3" }] });
        }`,
    });
    expect(a.found.map((f) => [f.call, f.property, f.type])).toEqual([
      ["c.messages.create", "system", "text"],
      ["c.messages.create", "messages", "chat"],
      ["c.responses.create", "instructions", "text"],
      ["c.responses.create", "input", "text"],
      ["streamText", "system", "text"],
      ["generateObject", "prompt", "text"],
      ["streamObject", "messages", "chat"],
    ]);
    expect(a.names).toEqual([
      "calls/anthropic-call/system",
      "calls/anthropic-call/messages",
      "calls/responses-call/instructions",
      "calls/responses-call/input",
      "calls/sdk/system",
      "calls/sdk/prompt",
      "calls/sdk/messages",
    ]);
  });

  it("adopts LangChain templates, {x} becoming {{x}}", async () => {
    const a = await find({
      "chain.ts": `
        export async function build() {
          const t = PromptTemplate.fromTemplate("Translate {text} into {language}.");
          const c = ChatPromptTemplate.fromMessages([["system", "You are {persona}."], ["human", "{input}"], ["placeholder", "{history}"]]);
          return [t, c];
        }
        declare const PromptTemplate: any, ChatPromptTemplate: any;`,
    });
    expect(a.found.map((f) => f.template)).toEqual([
      "Translate {{text}} into {{language}}.",
      [
        { role: "system", content: "You are {{persona}}." },
        { role: "user", content: "{{input}}" },
        { type: "placeholder", name: "history" },
      ],
    ]);
    expect(a.found[0]!.variables.map((v) => [v.name, v.expr])).toEqual([
      ["text", '"{text}"'],
      ["language", '"{language}"'],
    ]);
  });

  it("leaves alone text built elsewhere, message lists built elsewhere, and text with {{ }}, saying why", async () => {
    const a = await find({
      "left.ts": `
        import { SYSTEM } from "./prompts";
        export async function f(c: any, msgs: any[], system: string) {
          await c.chat.completions.create({ messages: msgs });
          await c.messages.create({ system: SYSTEM, messages: [{ role: "user", content: "Use {{braces}}" }] });
          await c.messages.create({ system, messages: [{ role: "user", content: "Hi", name: "bob" }] });
          await c.chat.completions.create(params);
          await c.chat.completions.create({ messages: [{ role: "user", content: [{ type: "text", text: "parts" }] }] });
          await c.messages.create({ system: dedent\`Be kind.\`, messages: [{ role: "user", content: question }] });
          await c.messages.create({ system: buildSystem(), messages: [...history] });
        }
        declare const params: any, dedent: any, question: string, buildSystem: any, history: any[];`,
    });
    expect(a.found).toEqual([]);
    expect(a.leftAlone.map((l) => [l.line, l.property, l.reason])).toEqual([
      [4, "messages", "not a list of messages written at the call (built elsewhere)"],
      [
        5,
        "system",
        'SYSTEM is imported from "./prompts": adopt reads text written at the call or in a const of the same file',
      ],
      [5, "messages", "message 1: the text contains {{ or }}, which Lectern would read as a template tag"],
      [6, "system", "system is a parameter, not text written in the code"],
      [6, "messages", "message 1: it has other fields than role and content"],
      [7, "arguments", "the arguments are not an object written at the call"],
      [8, "messages", "message 1: its content is a list of parts"],
      [9, "system", "a tagged template (tag`…`): its text is what the tag makes of it at run time"],
      [9, "messages", "message 1: not a literal or template string (a variable holding text built elsewhere)"],
      [10, "system", "text built by a function call at run time"],
      [10, "messages", "no text is written at the call: every message comes from elsewhere"],
    ]);
  });

  it("marks calls outside async functions as not rewritable, and ignores unrelated calls", async () => {
    const a = await find({
      "sync.ts": `export function f(c: any) { return c.chat.completions.create({ messages: [{ role: "user", content: "Hi" }] }); }
        export async function g(list: any) { return list.create({ messages: "x" }); }`,
    });
    expect(a.found).toHaveLength(1);
    expect(a.found[0]!.noRewrite).toBe("f is not async: fetching the prompt needs await");
  });

  it("never reads node_modules, dist, .git, files over the size cap or symlinks leaving the directory", async () => {
    const call = `export async function f(c: any) { return c.messages.create({ system: "Hi" }); }`;
    const outside = project({ "secret.ts": call });
    const dir = project({
      "ok.ts": call,
      "node_modules/pkg/index.ts": call,
      "dist/index.js": call,
      ".git/hooks.ts": call,
      "big.ts": call + "\n//" + "x".repeat(maxFileBytes),
    });
    symlinkSync(path.join(outside, "secret.ts"), path.join(dir, "link.ts"));
    symlinkSync(outside, path.join(dir, "linked-dir"));
    const a = await findPrompts(dir, { env: {} });
    expect(a.found.map((f) => f.file)).toEqual(["ok.ts"]);
    expect(a.skipped.map((s) => s.file).sort()).toEqual(["big.ts", "link.ts", "linked-dir"]);
  });

  it("reads each real file once: a link back to a folder above (a loop) and a second name add no prompt", async () => {
    const call = `export async function f(c: any) { return c.messages.create({ system: "Hi" }); }`;
    const dir = project({ "src/ok.ts": call });
    symlinkSync("..", path.join(dir, "src", "loop"));
    symlinkSync(dir, path.join(dir, "src", "root"));
    symlinkSync(path.join(dir, "src"), path.join(dir, "again"));
    symlinkSync(path.join(dir, "src", "ok.ts"), path.join(dir, "alias.ts"));
    const a = await findPrompts(dir, { env: {} });
    expect(a.found.map((f) => f.file)).toEqual(["src/ok.ts"]);
    expect(a.names).toHaveLength(1);
  });
});
