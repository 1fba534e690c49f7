// The frontmatter: model and config where the library reads them, declarations, defaults, examples and the
// response format kept through a round trip.
import { describe, expect, it } from "vitest";
import { parseContent, type Variable } from "../content";
import { fromDotprompt } from "./dotprompt-import";
import { toDotprompt } from "./dotprompt-export";
import { libraryRender } from "./formats.fixture";

const v = (name: string, type: Variable["type"] = "string", extra: Partial<Variable> = {}) => ({
  name,
  type,
  ...extra,
});
const fm = (yaml: string, body: string) => `---\n${yaml}\n---\n${body}`;

describe("export", () => {
  it("writes the model and its config where the library reads them", async () => {
    const content = parseContent({
      type: "text",
      template: "Hi",
      config: {
        provider: "openai",
        model: "gpt-4o",
        temperature: 0.3,
        maxTokens: 200,
        topP: 0.9,
        stop: ["END"],
        seed: 7,
      },
    });
    const source = toDotprompt({ name: "p", description: "", content, version: 4, partials: () => undefined });
    const r = await libraryRender(source, {});
    expect(r.model).toBe("openai/gpt-4o");
    expect(r.config).toEqual({ temperature: 0.3, maxOutputTokens: 200, topP: 0.9, stopSequences: ["END"], seed: 7 });
    expect(source).toContain("lectern.version: 4");
    expect(parseContent((await fromDotprompt(source, () => undefined)).content)).toEqual(content);
  });

  it("keeps declarations, defaults, examples and the response format through a round trip", async () => {
    const content = parseContent({
      type: "chat",
      template: [
        { role: "system", content: "{{#urgent}}Fast.{{/urgent}} {{who}} {{data}}" },
        { type: "placeholder", name: "chat_history" },
      ],
      variables: [
        v("urgent", "boolean", { required: false, default: false, description: "rush, please" }),
        v("who", "string", { description: "two\nlines" }),
        v("data", "json"),
      ],
      config: {
        provider: "acme",
        model: "m/1",
        responseFormat: { type: "json", schema: { type: "object", properties: { a: { type: "string" } } } },
      },
      examples: [{ input: { who: "Ada" }, output: "ok" }],
    });
    const source = toDotprompt({ name: "p", description: "d", content, partials: () => undefined });
    expect(parseContent((await fromDotprompt(source, () => undefined)).content)).toEqual(content);
  });
});

describe("import", () => {
  it("reads the model and config into Lectern's config, and declarations into variables", async () => {
    const r = await fromDotprompt(
      fm(
        "name: support/reply\ndescription: Replies\nmodel: openai/gpt-4o-mini\nconfig:\n  temperature: 0.2\n  maxOutputTokens: 128\n  stopSequences: [END]\n  topK: 5\ninput:\n  schema:\n    who?: string, the customer\n    n: integer\noutput:\n  format: json\n  schema:\n    answer: string",
        "{{who}} {{n}}",
      ),
      () => undefined,
    );
    expect(r.name).toBe("support/reply");
    expect(r.description).toBe("Replies");
    expect(r.content.config).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      temperature: 0.2,
      maxTokens: 128,
      stop: ["END"],
      topK: 5,
      responseFormat: {
        type: "json_schema",
        json_schema: {
          name: "output",
          schema: {
            type: "object",
            properties: { answer: { type: "string" } },
            required: ["answer"],
            additionalProperties: false,
          },
        },
      },
    });
    expect(r.content.variables).toEqual([
      { name: "who", type: "string", required: false, description: "the customer" },
      { name: "n", type: "number", required: true, schema: { type: "integer" } },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it("keeps a model whose prefix is not a Lectern provider whole", async () => {
    const r = await fromDotprompt(fm("model: googleai/gemini-2.5-flash", "Hi"), () => undefined);
    expect(r.content.config).toEqual({ model: "googleai/gemini-2.5-flash" });
  });
});
