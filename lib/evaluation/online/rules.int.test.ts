// Online evaluation rules against a real database: put, read and delete, and bad rules refused with
// nothing written.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import * as fixtures from "../../../test/domain-fixtures";
import { failure, refusal } from "../../../test/domain-fixtures";
import { theirConnection } from "../../../test/fixtures-connections";
import {
  deleteOnlineEvaluation,
  getOnlineEvaluation,
  parseOnlineRuleInput,
  putOnlineEvaluation,
  type OnlineEvalInput,
} from "./rules";
import { count, f, rule, t, nextSeq, withOnlineDatabase } from "../../../test/online-fixture";

withOnlineDatabase("online-rules");

describe("rules", () => {
  beforeAll(async () => {
    await fixtures.promptWith(t.db, f, "ol-rules", 1);
  });

  it.each([
    [{ sampleRate: 1.5 }, "sampleRate", /sampleRate must be between 0 and 1/],
    [{ window: 5 }, "window", /window must be at least 10/],
    [{ minSamples: 500, window: 100 }, "minSamples", /minSamples \(500\) cannot exceed window \(100\)/],
    [{ alpha: 1 }, "alpha", /alpha must be between 0 and 1/],
    [{ signals: ["clicks"] }, "signals.0", /signals must be among feedback, outcome/],
    [{ scorers: [], signals: [] }, "scorers", /at least one scorer or one signal/],
    [{ scorers: [{ type: "telepathy" }] }, "scorers.0.type", /type must be one of/],
    [{ scorers: [{ type: "length" }] }, "scorers.0.min", /min or max must be set/],
    [{ scorers: [{ type: "exact_match" }] }, "scorers.0", /production outputs have no expected output/],
    [
      { alert: { maxDrop: 0.5 }, rollback: { enabled: true, maxDrop: 0.2, cooldownMinutes: 60 } },
      "alert.maxDrop",
      /should not exceed rollback.maxDrop/,
    ],
    [{ rollback: { enabled: "yes" } }, "rollback.enabled", /rollback.enabled must be true or false/],
    [{ environment: "qa" }, "environment", /No environment named qa/],
  ])("%j → 422 naming %s, nothing written", async (patch, field, message) => {
    const before = await count("online_eval_rules");
    const err = await failure(
      putOnlineEvaluation(f.ctx(f.approver), "ol-rules", { ...rule(), ...patch } as OnlineEvalInput),
    );
    expect([err.code, err.details?.field]).toEqual(["unprocessable", field]);
    expect(err.message).toMatch(message);
    expect(await count("online_eval_rules")).toBe(before);
  });

  it("refuses a judge naming another project's connection (or none of this project's), naming the field", async () => {
    const theirs = await theirConnection(t.db, `online-other-${nextSeq()}`);
    for (const connection of [theirs.id, "Their key", "no-such-connection"]) {
      const before = await count("online_eval_rules");
      const judge = { type: "llm_judge", rubric: "Is it polite?", model: "m", connection };
      const err = await failure(putOnlineEvaluation(f.ctx(f.approver), "ol-rules", rule({ scorers: [judge] })));
      expect([err.code, err.details?.field]).toEqual(["unprocessable", "scorers.0.connection"]);
      expect(err.message).toContain(`No model connection ${connection} in this project`);
      expect(await count("online_eval_rules")).toBe(before);
    }
  });

  // That an editor may not is the wrapper's (action-permissions.int.test.ts, own-action-permissions.int.test.ts).
  it("creates, replaces (one rule per environment), reads and deletes", async () => {
    const first = await putOnlineEvaluation(f.ctx(f.approver), "ol-rules", rule({ sampleRate: 0.2 }));
    // As the API's PUT and the page's action hand it (their one parse), it answers the rule as GET reads it.
    const second = await putOnlineEvaluation(
      f.ctx(f.approver),
      "ol-rules",
      parseOnlineRuleInput(rule({ sampleRate: 0.3 })),
    );
    expect(second.id).toBe(first.id);
    const got = await getOnlineEvaluation(t.db, f.projectId, "ol-rules", "staging");
    expect(second).toEqual(got);
    expect(first).toEqual({ ...got, sampleRate: 0.2, updatedAt: first.updatedAt });
    expect(got).toMatchObject({
      prompt: "ol-rules",
      environment: "staging",
      sampleRate: 0.3,
      window: 200,
      minSamples: 20,
      rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
      lastCheck: null,
      versions: [],
    });
    expect((got.scorers as { name: string; type: string }[])[0]).toMatchObject({ name: "thanks", type: "contains" });
    expect((await failure(getOnlineEvaluation(t.db, f.projectId, "ol-rules", "production"))).message).toBe(
      "ol-rules has no online evaluation in production (it has in staging).",
    );
    await deleteOnlineEvaluation(f.ctx(f.approver), "ol-rules", "staging");
    expect((await failure(deleteOnlineEvaluation(f.ctx(f.approver), "ol-rules", "staging"))).code).toBe("not_found");
    expect(await count("audit_log", sql`action like 'online_eval.%'`)).toBe(3);
  });

  it("the database refuses what the API would (a check, not only zod)", async () => {
    const p = await fixtures.promptWith(t.db, f, "ol-db", 1);
    const env = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from environments where project_id = ${f.projectId} and name = 'staging'`,
      )
    )[0]!;
    const insert = (rate: number, minSamples: number) =>
      t.db
        .execute(sql`insert into online_eval_rules (project_id, prompt_id, environment_id, sample_rate, scorers, signals, "window", min_samples, alpha, rollback)
                       values (${f.projectId}, ${p.id}, ${env.id}, ${rate}, '[]', '{}', 10, ${minSamples}, 0.05, '{}')`);
    expect(await refusal(insert(2, 5))).toMatchObject({
      sqlstate: "23514",
      message: expect.stringMatching(/online_eval_rules_sample_rate/),
    });
    expect(await refusal(insert(0.5, 50))).toMatchObject({
      sqlstate: "23514",
      message: expect.stringMatching(/online_eval_rules_samples/),
    });
  });
});
