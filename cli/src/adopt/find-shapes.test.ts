// The finder on the shapes real applications write (a Next.js AI tutorial's routes, in JavaScript and
// TypeScript): the AI SDK's system and prompt both, message lists with a spread history, prompts kept in a
// const, LangChain's templates, names from what the call does, and what it refuses to upload or read.
import { describe, expect, it } from "vitest";
import { tempTrees } from "../../test/temp-tree";
import { findPrompts } from "./find";

const tree = tempTrees("lectern-shapes-");

async function find(files: Record<string, string | Buffer>, opts: { allowSecrets?: boolean } = {}) {
  const dir = tree(files);
  return findPrompts(dir, { env: {}, ...opts });
}

describe("lectern adopt: the shapes of real applications", { timeout: 60_000 }, () => {
  it("adopts the AI SDK's system and prompt both, ${text} a variable, names from the route", async () => {
    const a = await find({
      "app/api/summarize/route.js": `import { generateText } from "ai";
export async function POST(req) {
  const { text } = await req.json();
  const prompt = \`Summarize this in three bullet points:\\n\\n\${text}\`;
  const result = await generateText({ model: "m", system: "You are a concise editor.", prompt });
  return Response.json(result);
}
`,
    });
    expect(a.leftAlone).toEqual([]);
    expect(a.names).toEqual(["summarize/system", "summarize/prompt"]);
    expect(a.found.map((f) => [f.property, f.template, f.variables.map((v) => v.name), f.placement])).toEqual([
      ["system", "You are a concise editor.", [], undefined],
      ["prompt", "Summarize this in three bullet points:\n\n{{text}}", ["text"], "property"],
    ]);
    // The const is read once, where it was adopted: --write removes it.
    expect(a.found[1]!.declarations).toEqual([expect.objectContaining({ name: "prompt", line: 4, remove: true })]);
  });

  it("a message list with a spread of non-literal history: the literal messages become the prompt", async () => {
    const a = await find({
      "app/api/docs-chat/route.ts": `import { streamText, convertToModelMessages } from "ai";
const SYSTEM = "You answer questions about the docs. Cite the page.";
export const POST = withAuth(async (req: Request) => {
  const { messages, product } = await req.json();
  return streamText({
    model: "m",
    messages: [
      { role: "system", content: SYSTEM },
      { role: "system", content: \`The product is \${product}.\` },
      ...convertToModelMessages(messages),
      { role: "user", content: "Answer briefly." },
    ],
  });
});
declare const withAuth: any;
`,
    });
    expect(a.names).toEqual(["docs-chat/system"]);
    const f = a.found[0]!;
    expect(f).toMatchObject({ placement: "spread", type: "chat", fn: "POST" });
    expect(f.template).toEqual([
      { role: "system", content: "You answer questions about the docs. Cite the page." },
      { role: "system", content: "The product is {{product}}." },
    ]);
    expect(f.source).toContain('{ role: "system", content: SYSTEM }');
    expect(f.source).not.toContain("convertToModelMessages");
    expect(f.notes).toEqual([
      "message 3, the spread ...convertToModelMessages(messages), stays in the code, after the prompt's",
      "message 4 stays in the code: only the first run of messages written at the call is adopted",
    ]);
    // A module-level const without ${…} moves to the prompt; read once, it goes.
    expect(f.declarations).toEqual([expect.objectContaining({ name: "SYSTEM", remove: true })]);
  });

  it("keeps a const read elsewhere, and refuses one outside the function that fills in ${…} once", async () => {
    const a = await find({
      "lib/chat.ts": `export const TONE = "Be warm.";
const stamp = \`Today is \${new Date().toDateString()}.\`;
export async function reply(c: any) {
  await c.messages.create({ system: TONE, messages: [{ role: "user", content: stamp }] });
}
`,
    });
    expect(a.found.map((f) => [f.property, f.declarations?.[0]?.remove])).toEqual([["system", false]]);
    expect(a.leftAlone.map((l) => l.reason)).toEqual([
      "message 1: stamp (line 2) is declared outside this function and fills in ${…} there, once: write the text in the function to adopt it",
    ]);
  });

  it("adopts concatenations and joins of text, and LangChain's placeholders and message templates", async () => {
    const a = await find({
      "chain.mjs": `export async function ask(c, topic) {
  await c.responses.create({ instructions: "Line one.\\n" + "About " + topic + ".", input: ["a", \`b \${topic}\`].join("\\n") });
}
export const chat = ChatPromptTemplate.fromMessages([["system", "Be {style}."], new MessagesPlaceholder("history")]);
export const sys = SystemMessagePromptTemplate.fromTemplate("You are {role}.");
`,
    });
    expect(a.found.map((f) => f.template)).toEqual([
      "Line one.\nAbout {{topic}}.",
      "a\nb {{topic}}",
      [
        { role: "system", content: "Be {{style}}." },
        { type: "placeholder", name: "history" },
      ],
      "You are {{role}}.",
    ]);
    expect(a.found[2]!.noRewrite).toBe("a LangChain placeholder stays LangChain's");
  });

  it("names from what the call does: route folders, not route/post; collisions take one more folder", async () => {
    const call = (p: string) => `export async function POST() { return generateText({ model: "m", system: "${p}" }); }`;
    const a = await find({
      "app/api/structured-enum/route.ts": call("Classify."),
      "app/(chat)/api/chat/[id]/route.ts": call("Chat."),
      "src/en/support.ts": `export async function replyToCustomer(c: any) { return c.messages.create({ system: "EN" }); }`,
      "src/fr/support.ts": `export async function replyToCustomer(c: any) { return c.messages.create({ system: "FR" }); }`,
      "index.js": `export default async function () { return generateText({ prompt: "Hi" }); }`,
    });
    expect(a.names).toEqual([
      "chat/system",
      "structured-enum/system",
      "generate-text/prompt",
      "en/support/reply-to-customer/system",
      "fr/support/reply-to-customer/system",
    ]);
  });

  it("leaves alone a prompt holding what looks like a key, saying so without printing it; --allow-secrets adopts it", async () => {
    const openai = "sk-proj-" + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5".repeat(2);
    const files = {
      "keys.ts": `export async function f(c: any) {
  await c.messages.create({ system: "Call the API with ${openai} and id AKIAIOSFODNN7EXAMPLE." });
  await c.messages.create({ system: "Token ghp_${"a1B2".repeat(9)}" });
  await c.messages.create({ system: "Nothing secret here: see https://example.com/docs/Getting-Started." });
}`,
    };
    const a = await find(files);
    expect(a.found.map((f) => f.template)).toEqual([
      "Nothing secret here: see https://example.com/docs/Getting-Started.",
    ]);
    expect(a.leftAlone.map((l) => [l.line, l.reason])).toEqual([
      [
        2,
        "its text holds what looks like an OpenAI API key (sk-p…), an AWS access key id (AKIA…): not uploaded (remove it from the text, or pass --allow-secrets if it is not a secret)",
      ],
      [
        3,
        "its text holds what looks like a GitHub token (ghp_…): not uploaded (remove it from the text, or pass --allow-secrets if it is not a secret)",
      ],
    ]);
    expect(JSON.stringify(a)).not.toContain(openai);
    expect((await find(files, { allowSecrets: true })).found).toHaveLength(3);
  });

  it("skips a file that is not valid UTF-8, saying so, and still reads the others", async () => {
    const latin1 = Buffer.from(
      `export async function f(c) { return c.messages.create({ system: "Soyez bref, s'il vous pla\xeet." }); }\n`,
      "latin1",
    );
    const a = await find({ "fr.js": latin1, "en.js": latin1.toString("latin1").replace("\xee", "i") });
    expect(a.found.map((f) => f.file)).toEqual(["en.js"]);
    expect(a.skipped).toEqual([
      {
        file: "fr.js",
        reason: "not valid UTF-8: left as it is (lectern reads and writes UTF-8 only, and never re-encodes a file)",
      },
    ]);
  });
});
