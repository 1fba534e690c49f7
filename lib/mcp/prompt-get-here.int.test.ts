// prompts/get answered from memory (McpRequest.here, answerRequestHere): once a prompt is in L1, the answer is the
// same text, byte for byte, as JSON.stringify of answerRequest's — for a text prompt, a chat prompt with a
// placeholder, a partial, routing arguments and a running experiment's subjects — and each subject's exposure is
// recorded with the arm answered. What needs I/O or is an error (not in L1, a bad argument, a key limited to environments, params the
// schema would refuse) is left to answerRequest, with nothing done.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { chatPrompt, textPrompt } from "../../test/contents";
import { queryRows } from "../../db/client";
import * as fixtures from "../../test/domain-fixtures";
import { f, t, withExperimentsDatabase, runningExperiment } from "../../test/experiments-fixture";
import { ExposureRecorder } from "../experiments/exposures";
import { StickyAssignments } from "../experiments/sticky";
import { createPrompt } from "../registry/prompts";
import { promoteVersion } from "../release/promote";
import { TwoLayerCache } from "../runtime/cache";
import type { ResolvedPrompt } from "../runtime/load";
import { answerRequest, answerRequestHere, requestTable } from "./request-table";
import type { McpContext } from "./feature";
import { promptsFeature } from "./prompt-feature";

withExperimentsDatabase("mcp-get-here");

const table = requestTable([promptsFeature]);

function context(environments: string[] | null = null): McpContext {
  return {
    db: t.db,
    runtime: {
      prompts: new TwoLayerCache<ResolvedPrompt>("mcp-here", null, { l1TtlMs: 60_000, l1Max: 100, l2TtlSeconds: 0 }),
      sticky: new StickyAssignments(() => t.db),
      exposures: new ExposureRecorder(() => t.db, { flushMs: 60_000 }),
    },
    principal: { projectId: f.projectId, environments, name: "k", keyId: "k", projectSlug: "p" },
    actor: f.editor,
    environment: "staging",
    domain: () => Promise.resolve(f.ctx(f.editor)),
    fail: (e) => e as never,
  } as McpContext;
}

const get = (params: unknown, id: number | string = 9) => ({ id, method: "prompts/get", params });
const slow = async (ctx: McpContext, params: unknown) => JSON.stringify(await answerRequest(table, ctx, get(params)));

describe("prompts/get from memory", () => {
  it("answers from L1 the same text answerRequest does", async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(editor, textPrompt("here/tone", "Be {{mood}}.", { variables: [{ name: "mood" }] }));
    await createPrompt(
      editor,
      textPrompt("here/reply", 'Say "{{> here/tone}}" to {{who}}', { variables: [{ name: "who" }] }),
    );
    await createPrompt(
      editor,
      chatPrompt("here/chat", [["system", "You help {{who}}."], { type: "placeholder", name: "history" }], {
        variables: [{ name: "who" }],
      }),
    );
    for (const name of ["here/tone", "here/reply", "here/chat"])
      await promoteVersion(editor, name, { environment: "staging", version: 1 });
    const ctx = context();
    const cases = [
      { name: "here/tone", arguments: { mood: "calm" } },
      { name: "here/tone", arguments: { mood: '<\u2028"é' } },
      { name: "here/reply", arguments: { mood: "warm", who: "Ana" } },
      { name: "here/chat", arguments: { who: "Ana", history: '[{"role":"user","content":"hi"}]' } },
      { name: "here/tone", arguments: { mood: "calm", environment: "staging" } },
      { name: "here/tone", arguments: { mood: "calm" }, _meta: { progressToken: "p" } },
    ];
    const cached = new Set<string>();
    for (const params of cases) {
      if (!cached.has(params.name)) expect(answerRequestHere(table, ctx, get(params)), "not in L1 yet").toBeUndefined();
      cached.add(params.name);
      const expected = await slow(ctx, params);
      expect(expected, JSON.stringify(params)).toContain(`"result"`);
      expect(answerRequestHere(table, ctx, get(params))).toBe(expected);
      expect(answerRequestHere(table, ctx, get(params, "id-2"))).toBe(expected.replace(/"id":9}$/, '"id":"id-2"}'));
    }
  });

  it("records the exposure of each subject it answers, with the arm it answered", async () => {
    await fixtures.promptWith(t.db, f, "here-exp", 2);
    await promoteVersion(f.ctx(f.editor), "here-exp", { environment: "staging", version: 1 });
    const e = await runningExperiment("here-exp", { seed: "here-seed" });
    const ctx = context();
    await slow(ctx, { name: "here-exp", arguments: { subject: "warm-up" } });
    const variants = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const params = { name: "here-exp", arguments: { subject: `user-${i}` } };
      const here = answerRequestHere(table, ctx, get(params));
      expect(here).toBe(await slow(ctx, params));
      const meta = (JSON.parse(here!) as { result: { _meta: Record<string, { variant: string }> } }).result._meta;
      variants.set(`user-${i}`, meta["lectern.dev/experiment"]!.variant);
    }
    expect(new Set(variants.values()).size).toBe(2);
    await ctx.runtime.exposures.flush();
    const rows = await queryRows<{ subject: string; variant: string }>(
      t.db,
      sql`select subject, variant_key as variant from experiment_exposures where experiment_id = ${e.id} and subject like 'user-%'`,
    );
    expect(new Map(rows.map((r) => [r.subject, r.variant]))).toEqual(variants);
  });

  it("leaves to answerRequest what needs I/O or is an error, doing nothing", async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(editor, textPrompt("here/json", "{{n}}", { variables: [{ name: "n", type: "number" }] }));
    await promoteVersion(editor, "here/json", { environment: "staging", version: 1 });
    const ctx = context();
    await slow(ctx, { name: "here/json", arguments: { n: "1" } });
    expect(answerRequestHere(table, ctx, get({ name: "here/json", arguments: { n: "1" } }))).toBeDefined();
    for (const params of [
      { name: "here/json", arguments: { n: "not json" } },
      { name: "here/json", arguments: { n: 1 } },
      { name: "here/json", arguments: [] },
      { name: 5 },
      { name: "here/json" },
      { name: "here/missing" },
      { name: "here/json", arguments: { n: "1", environment: "production" } },
      undefined,
    ])
      expect(answerRequestHere(table, ctx, get(params)), JSON.stringify(params)).toBeUndefined();
    const limited = context(["staging"]);
    await slow(limited, { name: "here/json", arguments: { n: "1" } });
    expect(answerRequestHere(table, limited, get({ name: "here/json", arguments: { n: "1" } }))).toBeUndefined();
  });
});
