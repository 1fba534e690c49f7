// MCP prompts/get is resolve: a running experiment's subject gets its arm's version (and its exposure is recorded),
// a prompt's own variable named "subject" takes that argument (routing moves to "_subject"), and a key limited to
// other environments is refused.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import * as fixtures from "../../test/domain-fixtures";
import { base, f, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { assign } from "../experiments/assign";
import { ExposureRecorder } from "../experiments/exposures";
import { startExperiment } from "../experiments/lifecycle";
import { StickyAssignments } from "../experiments/sticky";
import { createExperiment } from "../experiments/store";
import { createVersion } from "../registry/versions";
import { promote } from "../release/promote";
import { TwoLayerCache } from "../runtime/cache";
import type { ResolvedPrompt } from "../runtime/load";
import { getMcpPrompt, listMcpPrompts } from "./prompts";

withExperimentsDatabase("mcp-prompts");

const runtime = () => ({
  prompts: new TwoLayerCache<ResolvedPrompt>("mcp", null, { l1TtlMs: 0, l1Max: 100, l2TtlSeconds: 0 }),
  sticky: new StickyAssignments(() => t.db),
  exposures: new ExposureRecorder(() => t.db, { flushMs: 10_000 }),
});
const principal = () => ({ projectId: f.projectId, environments: null, name: "test key" });
const split = {
  seed: "mcp-seed",
  coverage: 1,
  variants: [
    { key: "A", weight: 0.5 },
    { key: "B", weight: 0.5 },
  ],
};

describe("MCP prompts", () => {
  it("gives a subject its experiment arm's version and records the exposure", async () => {
    await fixtures.promptWith(t.db, f, "mcp-exp", 2);
    await promote(f.ctx(f.editor), "mcp-exp", { environment: "staging", version: 1 });
    const e = await createExperiment(f.ctx(f.approver), base("mcp-exp", { seed: "mcp-seed" }));
    await startExperiment(f.ctx(f.approver), e.id);
    const rt = runtime();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const subject = `user-${i}`;
      const got = await getMcpPrompt(rt, t.db, principal(), "staging", "mcp-exp", { subject });
      const version = assign(split, subject)!.key === "B" ? 2 : 1;
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
    await promote(f.ctx(f.editor), "mcp-mail", { environment: "staging", version: 2 });
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
