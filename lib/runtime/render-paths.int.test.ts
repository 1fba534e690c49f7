// The one render path (lib/runtime/render-as-served.ts), checked from outside: one chat prompt with a partial, variable
// defaults and a conditional section is rendered by resolve, by the SDK (from the resolve answer), by the
// playground, by an evaluation run and by online scoring (a consistency scorer asks the model again), and all
// five produce the same messages. The partial's newest version is not live in the environment, so a path that
// read the latest partial, or none, would differ.
import { chatPrompt, textPrompt, type Message } from "../../test/contents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../sdk/src/render";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { newRun } from "../../test/eval-runs-fixture";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { localCaller } from "../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import { createDataset, importItems } from "../evaluation/datasets";
import { putOnlineEvaluation } from "../evaluation/online/rules";
import { scorePendingSamples } from "../evaluation/online/scoring";
import { runPromptPlayground } from "../evaluation/playground";
import { executeRun } from "../evaluation/runs";
import { createScorerModels } from "../scorers/scorer-models";
import { ingestEvents } from "../ingest/ingest";
import { createCallerResolver } from "../llm/resolver";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { loadResolved } from "./load";
import { renderResolved, resolvedDto } from "./resolve";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

let t: TestDatabase;
let f: Fixture;
let llm: LlmServer;

const variables = { question: "Where is my refund?", vip: true };
const expected = [
  { role: "system", content: "You are warm and brief. This customer is a priority." },
  { role: "user", content: "Where is my refund? (from a customer)" },
];

/** The messages of the model requests the local model server received since `from` (in arrival order). */
const sentSince = (from: number) =>
  llm.requests.slice(from).map((r) => (r.body as { messages: { role: string; content: unknown }[] }).messages);

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "render-paths");
  llm = await startLlmServer({ script: { default: { text: "Your refund is on its way." } } });
  const editor = f.ctx(f.editor);
  await createPrompt(
    editor,
    textPrompt("shared/tone", "warm and {{style}}", { variables: [{ name: "style", default: "brief" }] }),
  );
  const messages: Message[] = [
    ["system", "You are {{> shared/tone}}.{{#vip}} This customer is a priority.{{/vip}}"],
    ["user", "{{question}} (from {{name}})"],
  ];
  const variables = [
    { name: "question", required: true },
    { name: "name", default: "a customer" },
    { name: "vip", type: "boolean", default: false },
  ];
  await createPrompt(editor, chatPrompt("support", messages, { variables, config: { model: "scripted-model" } }));
  const approver = f.ctx(f.approver);
  await promoteVersion(approver, "shared/tone", { environment: "staging", version: 1 });
  await promoteVersion(approver, "support", { environment: "staging", version: 1 });
  // A newer partial that staging does not serve: every path must render staging's.
  await createVersion(editor, "shared/tone", { template: "cold and {{style}}" });
});
afterAll(async () => {
  await llm.stop();
  await t.drop();
});

describe("one chat prompt with a partial, defaults and a conditional renders the same on every path", () => {
  it("resolve", async () => {
    const resolved = await loadResolved(t.db, f.projectId, "support", "staging");
    expect(renderResolved(resolved, variables)).toEqual({ rendered: expected, warnings: [] });
  });

  it("the SDK, from the resolve answer", async () => {
    const dto = resolvedDto(await loadResolved(t.db, f.projectId, "support", "staging"), undefined, new Date());
    const compiled = compile({
      type: dto.type as "text" | "chat",
      template: (dto as { template?: unknown }).template as never,
      variables: dto.variables as never,
      config: dto.config as never,
      partials: Object.fromEntries(Object.entries(dto.partials).map(([k, p]) => [k, p.template])),
      declared: Object.fromEntries(Object.entries(dto.partials).map(([k, p]) => [k, p.variables as never])),
    });
    expect(compiled.render(variables)).toEqual(expected);
  });

  it("the playground", async () => {
    const resolver = createCallerResolver({
      encryptionKey: () => new Uint8Array(32),
      allowPrivate: false,
      maxResponseBytes: 1 << 20,
      // The operator's own endpoint (LLM_BASE_URL) may reach loopback.
      fallback: () => ({ provider: "openai-compatible", baseUrl: llm.baseUrl, defaultModel: "scripted-model" }),
    });
    const from = llm.requests.length;
    const r = await runPromptPlayground(
      projectContext(t.db, f.editor, f.projectId, noEvents),
      "support",
      { version: 1, variables, environment: "staging" },
      resolver,
    );
    expect(r.messages).toEqual(expected);
    expect(sentSince(from)).toEqual([expected]);
  });

  it("an evaluation run", async () => {
    const editor = f.ctx(f.editor);
    const ds = await createDataset(editor, { name: "render-paths", prompt: "support" });
    await importItems(editor, ds.id, "jsonl", JSON.stringify({ input: variables }) + "\n");
    const run = await newRun(editor, {
      prompt: "support",
      version: 1,
      dataset: ds.id,
      environment: "staging",
      scorers: [{ type: "length", min: 1 }],
    });
    const caller = localCaller(llm, { maxRetries: 0 });
    const from = llm.requests.length;
    await executeRun(t.db, run.id, { modelsFor: () => () => caller, cancelPollMs: 50 });
    expect(sentSince(from)).toEqual([expected]);
  });

  it("online scoring (a consistency scorer asks the version again)", async () => {
    await putOnlineEvaluation(f.ctx(f.approver), "support", {
      environment: "staging",
      sampleRate: 1,
      scorers: [{ type: "consistency", k: 2, method: "exact" }],
      signals: [],
      window: 200,
      minSamples: 20,
    });
    await ingestEvents(t.db, f.projectId, {
      events: [
        {
          id: "render-paths-1",
          type: "generation",
          prompt: "support",
          version: 1,
          environment: "staging",
          subject: "customer-1",
          latencyMs: 120,
          input: variables,
          output: "Your refund is on its way.",
        },
      ],
    });
    const caller = localCaller(llm, { maxRetries: 0 });
    const from = llm.requests.length;
    const scored = await scorePendingSamples(t.db, () => createScorerModels(() => caller));
    expect(scored.scored).toBe(1);
    const sent = sentSince(from);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const messages of sent) expect(messages).toEqual(expected);
  });
});
