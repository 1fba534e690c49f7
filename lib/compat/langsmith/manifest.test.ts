// A version as LangSmith's manifest: LangChain's own load() (what langchain/hub's pull runs) makes a prompt that
// formats exactly as Lectern renders the version, in f-string where it can and mustache where it must; what
// neither carries is refused, named; and a manifest LangSmith stores reads back as the same content.
import { load } from "@langchain/core/load";
import type { ChatPromptTemplate, PromptTemplate } from "@langchain/core/prompts";
import { describe, expect, it } from "vitest";
import { appErrorThrown } from "../../../test/app-error-thrown";
import { parseContent, type ChatContent, type TemplateContent, type TextContent } from "../../registry/content";
import { renderContent } from "../../registry/templates/template";
import { foreignContent } from "../import/source-content";
import { manifestContent } from "./from-manifest";
import { versionManifest } from "./manifest";
import { assertOwner, commitHashOf, namesOfRepo, repoHandleOf, versionOfCommit } from "./hub-names";

const chat = (template: unknown[], variables: unknown[] = []) =>
  parseContent({ type: "chat", template, variables, config: {} }) as ChatContent;
const text = (template: string, variables: unknown[] = []) =>
  parseContent({ type: "text", template, variables, config: {} }) as TextContent;

const manifestOf = (c: TemplateContent, partials: Record<string, string> = {}) =>
  versionManifest(c, partials, c.variables);

/** What LangChain makes of the manifest, formatted: messages as role and text. */
async function langchainRenders(c: TemplateContent, values: Record<string, unknown>, partials = {}) {
  const prompt = await load<ChatPromptTemplate | PromptTemplate>(JSON.stringify(manifestOf(c, partials)));
  if (c.type === "text") return (prompt as PromptTemplate).format(values);
  const messages = await (prompt as ChatPromptTemplate).formatMessages(values);
  const roles: Record<string, string> = { system: "system", human: "user", ai: "assistant" };
  return messages.map((m) => ({
    role: roles[m.getType()] ?? (m as unknown as { role: string }).role,
    content: m.content,
  }));
}

const lecternRenders = (c: TemplateContent, values: Record<string, unknown>, partials = {}) =>
  renderContent(c, values, { partials }).rendered;

describe("a version as LangSmith's manifest, loaded by LangChain", () => {
  it("writes a chat prompt in f-string: roles, a placeholder, literal braces, a partial", async () => {
    const c = chat(
      [
        { role: "system", content: 'You are {{company}}\'s agent. JSON stays: {"a": 1}. {{> tone}}' },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{question}}" },
        { role: "assistant", content: "On it." },
        { role: "critic", content: "Check {{question}}" },
      ],
      [{ name: "company" }, { name: "question" }],
    );
    const partials = { tone: "Be kind." };
    const m = manifestOf(c, partials);
    expect(m.id).toEqual(["langchain_core", "prompts", "chat", "ChatPromptTemplate"]);
    expect(m.kwargs).toMatchObject({
      template_format: "f-string",
      input_variables: ["company", "history", "question"],
    });
    const values = { company: "Acme", question: "Where?", history: [{ role: "user", content: "Hi" }] };
    const ours = lecternRenders(c, values, partials);
    const theirs = await langchainRenders(c, values, partials);
    expect(theirs).toEqual([
      { role: "system", content: 'You are Acme\'s agent. JSON stays: {"a": 1}. Be kind.' },
      { role: "user", content: "Hi" },
      { role: "user", content: "Where?" },
      { role: "assistant", content: "On it." },
      { role: "critic", content: "Check Where?" },
    ]);
    expect(ours).toEqual(theirs);
  });

  it("writes mustache when a section needs it, rendering the same for true, false and lists", async () => {
    const c = chat(
      [{ role: "system", content: "Hi {{name}}{{#vip}}, our VIP{{/vip}}.{{#items}} [{{title}}]{{/items}}" }],
      [{ name: "name" }, { name: "vip", type: "boolean" }, { name: "items", type: "json" }],
    );
    expect(manifestOf(c).kwargs.template_format).toBe("mustache");
    for (const values of [
      { name: "Ada", vip: true, items: [{ title: "a" }, { title: "b" }] },
      { name: "Bo", vip: false, items: [] },
    ]) {
      const [ours] = lecternRenders(c, values) as { content: string }[];
      const [theirs] = (await langchainRenders(c, values)) as { content: unknown }[];
      expect(theirs!.content).toBe(ours!.content);
    }
  });

  it("writes a text prompt as a PromptTemplate", async () => {
    const c = text("Summarize {{text}} in {{n}} words.", [{ name: "text" }, { name: "n", type: "number" }]);
    expect(manifestOf(c)).toMatchObject({
      id: ["langchain_core", "prompts", "prompt", "PromptTemplate"],
      kwargs: { template: "Summarize {text} in {n} words.", template_format: "f-string" },
    });
    const values = { text: "the news", n: 20 };
    expect(await langchainRenders(c, values)).toBe(lecternRenders(c, values));
  });

  it("refuses an image part, naming it", () => {
    const c = chat([
      {
        role: "user",
        content: [
          { type: "text", text: "Look" },
          { type: "image", url: "https://x/y.png" },
        ],
      },
    ]);
    const e = appErrorThrown(() => manifestOf(c));
    expect(e.code).toBe("unprocessable");
    expect(e.details).toMatchObject({ field: "template.messages[0].content[1]", construct: "image" });
  });

  it("with includeModel and a model, is a RunnableSequence of the prompt and the model", () => {
    const c = parseContent({
      type: "text",
      template: "Hi",
      variables: [],
      config: { provider: "openai", model: "gpt-4o", temperature: 0.2, maxTokens: 50 },
    }) as TextContent;
    const m = versionManifest(c, {}, [], { includeModel: true });
    expect(m.id).toEqual(["langchain_core", "runnables", "RunnableSequence"]);
    expect(m.kwargs.last).toMatchObject({
      id: ["langchain", "chat_models", "openai", "ChatOpenAI"],
      kwargs: { model: "gpt-4o", temperature: 0.2, max_tokens: 50 },
    });
    expect(versionManifest(c, {}, []).id).toEqual(["langchain_core", "prompts", "prompt", "PromptTemplate"]);
  });
});

describe("a manifest LangSmith stores, as Lectern content", () => {
  it("reads back what Lectern wrote, in either format", () => {
    for (const c of [
      chat(
        [
          { role: "system", content: "You are {{company}}'s agent." },
          { type: "placeholder", name: "history" },
          { role: "user", content: "{{#vip}}VIP: {{/vip}}{{question}}" },
        ],
        [{ name: "company" }, { name: "vip", type: "boolean" }, { name: "question" }],
      ),
      text("Summarize {{text}}", [{ name: "text" }]),
    ]) {
      const back = foreignContent({ ...manifestContent(manifestOf(c)), sourceId: "x", labels: [] }).content;
      expect((back as TemplateContent).template).toEqual(c.template);
    }
  });

  it("reads a model from a RunnableSequence and refuses what a version cannot carry", () => {
    const prompt = manifestOf(text("Hi {{name}}", [{ name: "name" }]));
    const seq = {
      lc: 1,
      type: "constructor",
      id: ["langchain", "schema", "runnable", "RunnableSequence"],
      kwargs: {
        first: prompt,
        last: {
          lc: 1,
          type: "constructor",
          id: ["langchain", "chat_models", "anthropic", "ChatAnthropic"],
          kwargs: { model: "claude-sonnet-4", temperature: 0.1, anthropic_api_key: { lc: 1, type: "secret" } },
        },
      },
    };
    expect(manifestContent(seq).model).toEqual({
      provider: "anthropic",
      name: "claude-sonnet-4",
      parameters: { temperature: 0.1 },
    });
    const structured = { ...prompt, id: ["langchain_core", "prompts", "structured", "StructuredPrompt"] };
    expect(appErrorThrown(() => manifestContent(structured)).details).toMatchObject({ construct: "StructuredPrompt" });
  });
});

describe("names, owners and commits", () => {
  it("writes a folder's '/' as '--' and reads it back, the exact name first", () => {
    expect(repoHandleOf("support/reply")).toBe("support--reply");
    expect(repoHandleOf("a/b--c")).toBe("a%2Fb--c");
    expect(namesOfRepo("support--reply")).toEqual(["support--reply", "support/reply"]);
    expect(namesOfRepo("a%2Fb--c")).toEqual(["a/b--c"]);
    expect(namesOfRepo("plain")).toEqual(["plain"]);
  });

  it("takes '-' or the tenant handle as the owner, and refuses any other", () => {
    expect(() => assertOwner("-", "acme")).not.toThrow();
    expect(() => assertOwner("acme", "acme")).not.toThrow();
    expect(appErrorThrown(() => assertOwner("other", "acme")).code).toBe("not_found");
  });

  it("gives each version a stable hash and finds it by its first 8 digits", () => {
    const id = "5b0c2a4e-0000-4000-8000-000000000001";
    expect(commitHashOf(id, 2)).toMatch(/^[0-9a-f]{64}$/);
    expect(commitHashOf(id, 2)).toBe(commitHashOf(id, 2));
    expect(commitHashOf(id, 2)).not.toBe(commitHashOf(id, 3));
    expect(versionOfCommit(id, [1, 2, 3], commitHashOf(id, 2).slice(0, 8))).toBe(2);
    expect(versionOfCommit(id, [1, 2, 3], "production")).toBeUndefined();
  });
});
