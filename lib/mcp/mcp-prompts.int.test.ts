// MCP prompts/get is resolve: a running experiment's subject gets its arm's version (and its exposure is recorded),
// a prompt's own variable named "subject" takes that argument (routing moves to "_subject"), `_meta` names the
// version, environment and composition served, a key limited to other environments is refused, and
// completion/complete offers what an argument can take.
import { chatPrompt, textPrompt } from "../../test/contents";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import * as fixtures from "../../test/domain-fixtures";
import { f, split, t, withExperimentsDatabase, runningExperiment } from "../../test/experiments-fixture";
import { assign } from "../experiments/assign";
import { ExposureRecorder } from "../experiments/exposures";
import { StickyAssignments } from "../experiments/sticky";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { TwoLayerCache } from "../runtime/cache";
import type { ResolvedPrompt } from "../runtime/load";
import { completePromptArgument, completionOf } from "./completion";
import { getMcpPrompt, META } from "./prompt-get";
import { listMcpPrompts, type McpPrincipal } from "./mcp-prompts";
import { mcpTools } from "./tools";

withExperimentsDatabase("mcp-prompts");

const runtime = () => ({
  prompts: new TwoLayerCache<ResolvedPrompt>("mcp", null, { l1TtlMs: 0, l1Max: 100, l2TtlSeconds: 0 }),
  sticky: new StickyAssignments(() => t.db),
  exposures: new ExposureRecorder(() => t.db, { flushMs: 10_000 }),
});
const principal = (): McpPrincipal => ({ projectId: f.projectId, environments: null, name: "test key" });
const mcpSplit = split("mcp-seed");

describe("MCP prompts", () => {
  it("gives a subject its experiment arm's version and records the exposure", async () => {
    await fixtures.promptWith(t.db, f, "mcp-exp", 2);
    await promoteVersion(f.ctx(f.editor), "mcp-exp", { environment: "staging", version: 1 });
    const e = await runningExperiment("mcp-exp", { seed: "mcp-seed" });
    const rt = runtime();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const subject = `user-${i}`;
      const got = await getMcpPrompt(rt, t.db, principal(), "staging", "mcp-exp", { subject });
      const version = assign(mcpSplit, subject)!.key === "B" ? 2 : 1;
      expect(got.description).toBe(`mcp-exp v${version} as staging serves it`);
      seen.add(got.description!);
    }
    expect(seen.size).toBe(2);
    await rt.exposures.flush();
    const [exposed] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from experiment_exposures where experiment_id = ${e.id}`,
    );
    expect(exposed!.n).toBe(40);
  });

  it("lets a variable named subject take its argument, routing by _subject", async () => {
    await fixtures.promptWith(t.db, f, "mcp-mail", 1);
    await createVersion(f.ctx(f.editor), "mcp-mail", {
      template: "Subject: {{subject}}",
      variables: [{ name: "subject" }],
    });
    await promoteVersion(f.ctx(f.editor), "mcp-mail", { environment: "staging", version: 2 });
    const got = await getMcpPrompt(runtime(), t.db, principal(), "staging", "mcp-mail", {
      subject: "Your refund",
      _subject: "user-1",
    });
    expect(got.messages).toEqual([{ role: "user", content: { type: "text", text: "Subject: Your refund" } }]);
    const { prompts } = await listMcpPrompts(runtime(), t.db, principal(), "staging");
    expect(prompts.find((p) => p.name === "mcp-mail")?.arguments).toEqual([{ name: "subject", required: true }]);
  });

  it("refuses a key limited to other environments", async () => {
    const limited = { ...principal(), environments: ["production"] };
    await expect(listMcpPrompts(runtime(), t.db, limited, "staging")).rejects.toMatchObject({ code: "forbidden" });
    await expect(getMcpPrompt(runtime(), t.db, limited, "staging", "mcp-mail")).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("MCP prompts/get _meta", () => {
  it("names the version, environment and composition served, and the arm a subject got", async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(editor, { name: "mcp-meta/tone", type: "text", template: "calm" });
    await createVersion(editor, "mcp-meta/tone", { template: "warm" });
    await createPrompt(editor, { name: "mcp-meta/reply", type: "text", template: "Be {{> mcp-meta/tone}}." });
    await promoteVersion(editor, "mcp-meta/tone", { environment: "staging", version: 2 });
    await promoteVersion(editor, "mcp-meta/reply", { environment: "staging", version: 1 });
    const got = await getMcpPrompt(runtime(), t.db, principal(), "staging", "mcp-meta/reply");
    expect(got.messages).toEqual([{ role: "user", content: { type: "text", text: "Be warm." } }]);
    expect(got._meta).toEqual({
      [META.version]: 1,
      [META.environment]: "staging",
      [META.composition]: {
        prompt: { name: "mcp-meta/reply", version: 1 },
        partials: [{ name: "mcp-meta/tone", version: 2 }],
      },
    });
    expect(Object.keys(got._meta).filter((k) => /version$|environment$/.test(k))).toHaveLength(2);
    const arm = await getMcpPrompt(runtime(), t.db, principal(), "staging", "mcp-exp", { subject: "user-3" });
    expect(arm._meta[META.experiment]).toMatchObject({ variant: expect.stringMatching(/^[AB]$/), phase: 1 });
    expect(arm._meta[META.version]).toBe(assign(mcpSplit, "user-3")!.key === "B" ? 2 : 1);
  });
});

describe("MCP search_prompts", () => {
  it("is the prompt list's search: name, description or the latest version's text, in name order", async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(editor, { name: "mcp-find/by-name-needle", type: "text", template: "hay" });
    await createPrompt(editor, { name: "mcp-find/by-text", type: "text", template: "a Needle here", tags: ["t"] });
    await createPrompt(editor, textPrompt("mcp-find/by-description", "hay", { description: "needle" }));
    await createPrompt(editor, { name: "mcp-find/older-text", type: "text", template: "needle" });
    await createVersion(editor, "mcp-find/older-text", { template: "hay" });
    const found = await mcpTools.search_prompts.run({ ...editor, events: editor.events! }, { query: "needle" });
    expect(found).toEqual([
      { name: "mcp-find/by-description", description: "needle", tags: [], latestVersion: 1 },
      { name: "mcp-find/by-name-needle", description: "", tags: [], latestVersion: 1 },
      { name: "mcp-find/by-text", description: "", tags: ["t"], latestVersion: 1 },
    ]);
    const one = await mcpTools.search_prompts.run({ ...editor, events: editor.events! }, { query: "needle", limit: 1 });
    expect(one.map((p) => p.name)).toEqual(["mcp-find/by-description"]);
  });
});

describe("MCP completion/complete", () => {
  it("offers a boolean's values, a default, a schema's enum, a placeholder's empty list and environment names, by prefix", async () => {
    const editor = f.ctx(f.editor);
    await createPrompt(
      editor,
      chatPrompt(
        "mcp-complete",
        [
          ["system", "{{#brief}}Briefly. {{/brief}}Tone: {{tone}}. Region {{region}}."],
          { type: "placeholder", name: "history" },
        ],
        {
          variables: [
            { name: "brief", type: "boolean" },
            { name: "tone", required: false, default: "friendly" },
            { name: "region", schema: { enum: ["eu-west", "eu-north", "us-east", null] } },
          ],
        },
      ),
    );
    await promoteVersion(editor, "mcp-complete", { environment: "staging", version: 1 });
    const complete = (name: string, value: string, who = principal()) =>
      completePromptArgument(runtime(), t.db, who, "staging", "mcp-complete", { name, value });
    expect(await complete("brief", "")).toEqual({ values: ["true", "false"], total: 2, hasMore: false });
    expect((await complete("brief", "T")).values).toEqual(["true"]);
    expect((await complete("tone", "fr")).values).toEqual(["friendly"]);
    expect((await complete("tone", "x")).values).toEqual([]);
    expect((await complete("history", "")).values).toEqual(["[]"]);
    // A schema's allowed values (Picoschema's enum), by prefix.
    expect((await complete("region", "eu")).values).toEqual(["eu-west", "eu-north"]);
    expect((await complete("environment", "")).values).toEqual(expect.arrayContaining(["production", "staging"]));
    expect((await complete("environment", "st")).values).toEqual(["staging"]);
    // A key limited to some environments is offered only those.
    const limited = { ...principal(), environments: ["staging"] };
    expect((await complete("_environment", "", limited)).values).toEqual(["staging"]);
    await expect(
      completePromptArgument(runtime(), t.db, principal(), "staging", "mcp-nope", { name: "x", value: "" }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers at most 100 values and says how many there were", () => {
    const many = Array.from({ length: 250 }, (_, i) => `env-${String(i).padStart(3, "0")}`);
    expect(completionOf(many, "ENV-1")).toEqual({ values: many.slice(100, 200), total: 100, hasMore: false });
    const all = completionOf(many, "");
    expect(all.values).toHaveLength(100);
    expect(all).toMatchObject({ total: 250, hasMore: true });
  });
});
