// The playground through a stored connection: renders the version, calls its model, reports the result.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { systemThenUser } from "../../test/chat-template";
import { queryRows } from "../../db/client";
import { failure, seedProject } from "../../test/domain-fixtures";
import { runPromptPlayground } from "../evaluation/playground";
import { createPrompt } from "../registry/prompts";

import { replacePriceOverrides } from "./project-prices";
import { createIn, local, resolver, server, setUpConnections, t } from "./connections.fixture";

setUpConnections();

describe("the playground", () => {
  it("renders the version, calls its model, and reports output, tokens, cost and latency", async () => {
    const p = await seedProject(t.db, `play-${randomBytes(3).toString("hex")}`);
    await createIn(local({ name: "Local", isDefault: true }), p);
    await replacePriceOverrides(p.ctx(p.admin), {
      prices: { "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } },
    });
    await createPrompt(p.ctx(p.editor), {
      name: "greet",
      type: "chat",
      template: systemThenUser("You greet people.", "Say hi to {{who}}"),
      variables: [{ name: "who", type: "string", required: true }],
      config: { model: "scripted-model", temperature: 0.2 },
    });
    const play = (input: unknown, actor = p.editor) => runPromptPlayground(p.ctx(actor), "greet", input, resolver());
    server().script({ rules: [{ match: "Say hi to Ann", text: "Hi Ann!", usage: { input: 1000, output: 500 } }] });
    const r = await play({ version: 1, variables: { who: "Ann" } });
    expect(r).toMatchObject({
      output: "Hi Ann!",
      model: "scripted-model",
      usage: { inputTokens: 1000, outputTokens: 500 },
      error: null,
      connection: { name: "Local" },
    });
    expect(r.costUsd).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 12);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.messages).toEqual([
      { role: "system", content: "You greet people." },
      { role: "user", content: "Say hi to Ann" },
    ]);
    expect((server().requests.at(-1)!.body as { temperature: number }).temperature).toBe(0.2);
    const [audit] = await queryRows<{ after: Record<string, unknown> }>(
      t.db,
      sql`select after from audit_log where action = 'playground.run' and project_id = ${p.projectId}`,
    );
    expect(audit!.after).toMatchObject({
      version: 1,
      model: "scripted-model",
      usage: { inputTokens: 1000, outputTokens: 500 },
      error: null,
    });

    // A failing model comes back as a classified error, with the numbers, not as a thrown error.
    server().script({ rules: [{ fail: { status: 400, message: "model not found" } }] });
    const failed = await play({ version: 1, variables: { who: "Ann" } });
    expect(failed).toMatchObject({ output: "", error: { kind: "bad_request", status: 400 }, costUsd: null });

    expect((await failure(play({ version: 1, variables: {} }))).code).toBe("missing_variables");
    expect((await failure(play({ version: 9, variables: { who: "x" } }))).code).toBe("not_found");
    expect((await failure(play({ version: "one" }))).details?.field).toBe("version");
  });

  it("a role kept as given that no provider takes is a clear refusal, and nothing is called", async () => {
    const p = await seedProject(t.db, `play-${randomBytes(3).toString("hex")}`);
    await createIn(local({ name: "Local", isDefault: true }), p);
    await createPrompt(p.ctx(p.editor), {
      name: "critic",
      type: "chat",
      template: [
        { role: "function", content: "The lookup said 42." },
        { role: "critic", content: "Judge the answer." },
      ],
      config: { model: "scripted-model" },
    });
    const calls = server().requests.length;
    const refused = await failure(runPromptPlayground(p.ctx(p.editor), "critic", { version: 1 }, resolver()));
    expect(refused).toMatchObject({ code: "unprocessable", details: { role: "critic", field: "messages[1].role" } });
    expect(server().requests.length).toBe(calls);
  });
});
