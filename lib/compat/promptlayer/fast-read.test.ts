// templates.get's fast answer (fast-read.ts) is the awaited one's (reads.ts) byte for byte: JSON.stringify of
// templateAnswer for text and chat versions, rendered or not, with and without a model (llm_kwargs for OpenAI and
// Anthropic, a warning for other providers), overrides, tags and commit messages, names JSON must escape; and the
// whole read on an L1 hit, which falls back (undefined) for whatever needs I/O.
import { describe, expect, it } from "vitest";
import type { Db } from "../../../db/client";
import { resolvedReply } from "../../../test/resolved-prompt";
import type { ResolvedPrompt } from "../../runtime/load";
import { readPromptLayerTemplateCached, templateAnswerJson } from "./fast-read";
import { readPromptLayerTemplate, templateAnswer, type PlReadDeps, type VersionFacts } from "./reads";
import type { PlGetBody } from "./shapes";

const PROJECT = "0d4e2c1a-7b3f-4e5d-9a8b-1c2d3e4f5a6b";

const text = resolvedReply({
  promptId: "5f0e8a2b-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
  name: 'team/"quoted" \u2028 name',
  template: 'Say "hi" to {{name}}\n{{> tone}}',
  variables: [{ name: "name", type: "string", required: true }],
  config: { temperature: 0.2 },
  partials: {
    tone: { version: 1, text: "Be {{mood}}.", variables: [{ name: "mood", type: "string", required: false }] },
  },
  liveSince: "2026-01-01T00:00:00.000Z",
});
const chat = {
  ...text,
  type: "chat",
  template: [
    { role: "system", content: "You help {{name}}." },
    { role: "user", content: 'Say "hi"' },
  ],
  config: {
    model: "gpt-4o",
    temperature: 0.5,
    max_tokens: 100,
    tools: [{ type: "function", function: { name: "lookup", parameters: {} } }],
  },
  etag: '"y"',
} as ResolvedPrompt;
const claude = { ...chat, config: { model: "claude-sonnet-4", provider: "anthropic" }, etag: '"z"' } as ResolvedPrompt;

const facts: VersionFacts[] = [
  { version: 3, tags: ["a", 'b"c'], commitMessage: "First\nversion" },
  { version: 3, tags: [], commitMessage: "" },
];
const bodies: PlGetBody[] = [
  { label: "production", input_variables: { name: "Ana", mood: "kind", extra: 1 } },
  { label: "production" },
  { label: "production", input_variables: { name: "Ana" }, skip_input_variable_rendering: true },
  {
    label: "production",
    input_variables: { name: "<b>" },
    model: "gpt-4o-mini",
    model_parameter_overrides: { seed: 7 },
  },
  { label: "production", input_variables: { name: "Ana" }, provider: "mistral" },
  { label: "production", input_variables: { name: "Ana" }, metadata_filters: { subject: "u-1" } },
];

describe("templateAnswerJson", () => {
  const arms: [string, ResolvedPrompt][] = [
    ["text", text],
    ["chat (OpenAI, tools)", chat],
    ["chat (Anthropic)", claude],
  ];
  for (const [kind, arm] of arms)
    it(`writes JSON.stringify(templateAnswer(…)) byte for byte (${kind}), twice`, () => {
      for (const f of facts)
        for (const body of bodies)
          for (let i = 0; i < 2; i++)
            expect(templateAnswerJson(arm, f, body, PROJECT)).toBe(
              JSON.stringify(templateAnswer(arm, f, body, PROJECT)),
            );
    });
});

describe("readPromptLayerTemplateCached", () => {
  const runtime = (r: ResolvedPrompt | undefined) =>
    ({
      prompts: {
        peek: () => r,
        get: async () => ({ value: r, layer: "l1" }),
      },
      sticky: {},
      exposures: { record() {} },
    }) as unknown as PlReadDeps["runtime"];
  const db = {
    execute: async () => ({ rows: [{ version: 3, tags: ["t"], commit_message: "Made" }] }),
  } as unknown as Db;
  const deps = (r: ResolvedPrompt | undefined, allowed: string[] | null = null): PlReadDeps => ({
    db,
    runtime: runtime(r),
    projectId: PROJECT,
    allowed,
  });
  const body = bodies[0]!;

  it("answers an L1 hit, once the version's facts are read, with the awaited read's bytes", async () => {
    const arm = { ...chat } as ResolvedPrompt;
    expect(readPromptLayerTemplateCached(deps(arm), arm.name, body)).toBeUndefined(); // facts not read yet
    const slow = JSON.stringify(await readPromptLayerTemplate(deps(arm), arm.name, body));
    expect(readPromptLayerTemplateCached(deps(arm), arm.name, body)).toBe(slow);
    expect(readPromptLayerTemplateCached(deps(arm, ["production"]), arm.name, body)).toBe(slow);
  });

  it("leaves to the awaited read what needs I/O", async () => {
    const arm = { ...text } as ResolvedPrompt;
    await readPromptLayerTemplate(deps(arm), arm.name, body);
    expect(readPromptLayerTemplateCached(deps(undefined), arm.name, body)).toBeUndefined(); // not in L1
    expect(readPromptLayerTemplateCached(deps(arm), arm.name, { version: 3 })).toBeUndefined(); // no label
    expect(readPromptLayerTemplateCached(deps(arm), "12345", body)).toBeUndefined(); // maybe an integer id
    expect(readPromptLayerTemplateCached(deps(arm, ["staging"]), arm.name, body)).toBeUndefined(); // not its label
    expect(readPromptLayerTemplateCached(deps(arm), arm.name, body)).toBeDefined();
  });
});
