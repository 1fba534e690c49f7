// GitHub Models' .prompt.yml: an export parses and holds the messages, renders (gh-models' own
// replacement of {{key}}) as Lectern renders, and reads back; an import of GitHub's documented example.
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { parseContent, type ContentInput } from "../content";
import { lecternRender } from "./formats.fixture";
import { FormatRefusal } from "./ir";
import { fromPromptYml, toPromptYml, unimportedEvaluators } from "./prompt-yml";

type File = {
  model?: string;
  modelParameters?: Record<string, unknown>;
  messages: { role: string; content: string }[];
};

/** gh-models' TemplateString: each key's `{{key}}` replaced by its value (fmt %v for non-text). */
const githubRender = (file: File, data: Record<string, unknown>) =>
  file.messages.map((m) => ({
    role: m.role,
    parts: [{ text: Object.entries(data).reduce((t, [k, v]) => t.replaceAll(`{{${k}}}`, String(v)), m.content) }],
  }));

const exportOf = (content: ContentInput, version?: number) =>
  toPromptYml({
    name: "support/reply",
    description: "Replies",
    content: parseContent(content),
    version,
    partials: () => undefined,
  });

describe(".prompt.yml export", () => {
  const content: ContentInput = {
    type: "chat",
    template: [
      { role: "system", content: "You help {{company}} customers.\nBe brief." },
      { role: "user", content: "Order {{order}}: {{question}} (urgent: {{urgent}})" },
    ],
    variables: [
      { name: "company" },
      { name: "order", type: "number" },
      { name: "question" },
      { name: "urgent", type: "boolean" },
    ],
    config: { provider: "openai", model: "gpt-4o-mini", temperature: 0.3, maxTokens: 200 },
    examples: [{ input: { company: "Acme", order: 7, question: "where?", urgent: true }, output: "On its way." }],
  };

  it("parses as YAML and holds the messages, the model and its parameters", () => {
    const file = YAML.parse(exportOf(content, 3)) as File & Record<string, unknown>;
    expect(file.name).toBe("support/reply");
    expect(file.model).toBe("openai/gpt-4o-mini");
    expect(file.modelParameters).toEqual({ maxTokens: 200, temperature: 0.3 });
    expect(file.messages).toEqual([
      { role: "system", content: "You help {{company}} customers.\nBe brief." },
      { role: "user", content: "Order {{order}}: {{question}} (urgent: {{urgent}})" },
    ]);
    expect(file.testData).toEqual([
      { company: "Acme", order: 7, question: "where?", urgent: true, expected: "On its way." },
    ]);
  });

  it("renders with GitHub's replacement as Lectern renders, and reads back", () => {
    const source = exportOf(content, 3);
    const values = { company: "Acme", order: 7, question: "where?", urgent: false };
    expect(githubRender(YAML.parse(source) as File, values)).toEqual(lecternRender(parseContent(content), values));
    const back = fromPromptYml(source);
    expect(back.version).toBe(3);
    expect(parseContent(back.content)).toEqual(parseContent(content));
  });

  it("keeps a text prompt a text prompt", () => {
    const text: ContentInput = { type: "text", template: "Summarize: {{input}}", variables: [{ name: "input" }] };
    expect(parseContent(fromPromptYml(exportOf(text, 1)).content)).toEqual(parseContent(text));
  });

  it.each([
    [
      "a section",
      { type: "text", template: "{{#a}}x{{/a}}", variables: [{ name: "a", type: "boolean" }] },
      "section",
      /section/,
    ],
    ["a partial", { type: "text", template: "{{> tone}}" }, "partial", /partial/],
    [
      "a JSON value",
      { type: "text", template: "{{ctx}}", variables: [{ name: "ctx", type: "json" }] },
      "value",
      /JSON value/,
    ],
    [
      "a dotted name",
      { type: "text", template: "{{u.name}}", variables: [{ name: "u", type: "json" }] },
      "value",
      /reads into/,
    ],
    ["a placeholder", { type: "chat", template: [{ type: "placeholder", name: "h" }] }, "placeholder", /conversation/],
    ["a developer message", { type: "chat", template: [{ role: "developer", content: "x" }] }, "role", /developer/],
    [
      "images",
      { type: "chat", template: [{ role: "user", content: [{ type: "image", url: "https://e.com/a.png" }] }] },
      "image",
      /images/,
    ],
    ["stop sequences", { type: "text", template: "x", config: { stop: ["END"] } }, "config-key", /config\.stop/],
  ] as [string, ContentInput, string, RegExp][])("refuses %s", (_what, c, construct, message) => {
    let e: unknown;
    try {
      exportOf(c);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(FormatRefusal);
    expect((e as FormatRefusal).construct).toBe(construct);
    expect((e as FormatRefusal).message).toMatch(message);
  });
});

describe(".prompt.yml export of a variable with a default", () => {
  const file = (c: ContentInput) => YAML.parse(exportOf(c, 2)) as File & { testData?: Record<string, unknown>[] };

  it("says a variable's JSON Schema is left out, at the top of the file", () => {
    const c = {
      type: "text" as const,
      template: "Answer in a {{tone}} tone",
      variables: [{ name: "tone", type: "string" as const, schema: { enum: ["warm", "formal"] } }],
    };
    expect(exportOf(c)).toMatch(
      /^# warning: variable tone has a JSON Schema, left out: the Dotprompt export keeps it$/m,
    );
  });

  it("writes the default into testData (one row when there are no examples), with a warning at the top", () => {
    const c: ContentInput = {
      type: "text",
      template: "Summarise the {{doc_type}} in {{max}} bullets:\n{{document}}",
      variables: [
        { name: "doc_type", default: "document" },
        { name: "max", type: "number", default: 5 },
        { name: "document" },
      ],
    };
    const text = exportOf(c, 2);
    expect(text).toMatch(
      /^# lectern: version 2, text\n# warning: variable doc_type defaults to "document": .prompt.yml declares no variables, so the default is written into testData; an application must pass it\n# warning: variable max defaults to 5:/,
    );
    expect(file(c).testData).toEqual([{ doc_type: "document", max: 5 }]);
    // It reads back: the version number from its header, the defaults as an example.
    const back = fromPromptYml(text);
    expect(back.version).toBe(2);
    expect(back.content.examples).toEqual([{ input: { doc_type: "document", max: 5 }, output: "" }]);
  });

  it("fills the default into each example that leaves it out, keeping the example's own value", () => {
    const c: ContentInput = {
      type: "text",
      template: "{{greeting}}, {{name}}",
      variables: [{ name: "greeting", default: "Hello" }, { name: "name" }],
      examples: [
        { input: { name: "Ann" }, output: "Hello, Ann" },
        { input: { name: "Ben", greeting: "Hi" }, output: "" },
      ],
    };
    expect(file(c).testData).toEqual([
      { greeting: "Hello", name: "Ann", expected: "Hello, Ann" },
      { greeting: "Hi", name: "Ben" },
    ]);
    expect(exportOf(c)).toMatch(/^# warning: variable greeting defaults to "Hello": .*\(each row without it\)/);
  });
});

describe(".prompt.yml import", () => {
  // The example of GitHub's "Storing prompts in GitHub repositories".
  const github = `name: Text Summarizer
description: Summarizes input text concisely
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0.5
messages:
  - role: system
    content: You are a text summarizer. Your only job is to summarize text given to you.
  - role: user
    content: |
      Summarize the given text, beginning with "Summary -":
      <text>
      {{input}}
      </text>
testData:
  - input: |
      The quick brown fox jumped over the lazy dog.
      The dog was too tired to react.
    expected: Summary - A fox jumped over a lazy, unresponsive dog.
evaluators:
  - name: Output should start with 'Summary -'
    string:
      startsWith: 'Summary -'
`;

  it("reads GitHub's example: name, description, model, parameters, messages, testData as examples", () => {
    const r = fromPromptYml(github);
    expect(r.name).toBe("Text Summarizer");
    expect(r.description).toBe("Summarizes input text concisely");
    const content = parseContent(r.content);
    expect(content.config).toEqual({ provider: "openai", model: "gpt-4o-mini", temperature: 0.5 });
    expect(content.variables).toEqual([{ name: "input", type: "string", required: true }]);
    expect(content.examples).toHaveLength(1);
    expect(content.examples[0]!.output).toBe("Summary - A fox jumped over a lazy, unresponsive dog.");
    const values = { input: "A long text." };
    expect(lecternRender(content, values)).toEqual(githubRender(YAML.parse(github) as File, values));
    // The evaluators are the file's as written (lib/evaluation/prompt-files makes them scorers).
    expect(r.warnings).toEqual([]);
    expect(r.evaluators).toEqual([
      { name: "Output should start with 'Summary -'", string: { startsWith: "Summary -" } },
    ]);
    expect(unimportedEvaluators(r)).toEqual([
      "1 evaluator not imported: the import endpoint (POST /api/v1/prompts/import) makes them the scorers of the prompt's tests dataset",
    ]);
  });

  it.each([
    ["a tag Mustache would read", "messages:\n  - role: user\n    content: '{{#x}}hi{{/x}}'", /\{\{#x\}\}/],
    ["a spaced name", "messages:\n  - role: user\n    content: 'Hi {{ name }}'", /\{\{ name \}\}/],
    ["an unknown role", "messages:\n  - role: tool\n    content: x", /role tool/],
    [
      "testData that is not a list",
      "messages:\n  - role: user\n    content: x\ntestData: 3",
      /testData must be a list/,
    ],
    [
      "a test that is not a mapping",
      "messages:\n  - role: user\n    content: x\ntestData: [3]",
      /each test must be a mapping/,
    ],
    [
      "bad JSON in jsonSchema",
      "responseFormat: json_schema\njsonSchema: '{nope'\nmessages:\n  - role: user\n    content: x",
      /jsonSchema/,
    ],
  ])("refuses %s", (_what, source, message) => {
    expect(() => fromPromptYml(source)).toThrow(message);
  });
});
