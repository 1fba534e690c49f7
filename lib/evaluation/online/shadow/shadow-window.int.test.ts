// Shadow evaluation at volume: a rule whose candidate answered more inputs than a comparison covers.
// The comparison (page, API) and the release plan's step read only each candidate's latest answers,
// and the live side's scores come in one array parameter, so 70,000 answers (past PostgreSQL's 65,535
// parameters in a statement) are neither loaded whole nor an error. The answers are written with SQL,
// as 70,000 model calls would take long; the rows are what the shadow job writes.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../../db/client";
import { getEnvironmentRow, updateEnvironment } from "../../../release/environments";
import { planByName } from "../../../release/plan/plan-facts";
import { liveUnits, SHADOW_WINDOW } from "../../../release/plan/shadow-pairing";
import { getPrompt } from "../../../registry/prompts";
import { parseScorerSpecs } from "../../../scorers";
import { getOnlineEvaluation, putOnlineEvaluation } from "../rules";
import { shadowComparison } from "./shadow-read";
import { f, promptLiveIn, rule, t, withOnlineDatabase } from "../../../../test/online-fixture";

withOnlineDatabase("shadow-window");

const total = 70_000;
const recent = SHADOW_WINDOW;

/**
 * `total` scored live outputs of v1 (every other one thanks the customer) and v2's answers to each, one
 * second apart: the older ones thank (v2 wins or ties), the latest `recent` do not (v2 loses or ties).
 */
async function answeredMany(name: string) {
  await promptLiveIn(name, 2, 1);
  await putOnlineEvaluation(f.ctx(f.approver), name, rule({ shadow: { versions: [2], sampleRate: 1 } }));
  const r = await getOnlineEvaluation(t.db, f.projectId, name, "staging");
  const prompt = await getPrompt(t.db, f.projectId, name);
  const start = new Date("2026-01-01T00:00:00Z");
  await t.db.execute(sql`
    insert into online_samples (project_id, rule_id, event_id, prompt_id, version, environment, subject, input,
      output, status, attempts, score, at, scored_at)
    select ${f.projectId}::uuid, ${r.id}::uuid, 'big-' || g, ${prompt.id}::uuid, 1, 'staging', 'user-' || g,
      '{"customer": "Ana"}'::jsonb, case when g % 2 = 0 then 'Thank you, Ana.' else 'Done.' end, 'scored', 1,
      (g % 2 = 0)::int, ${start.toISOString()}::timestamptz + g * interval '1 second',
      ${start.toISOString()}::timestamptz + g * interval '1 second'
    from generate_series(1, ${total}) g`);
  await t.db.execute(sql`
    insert into online_scores (sample_id, scorer, score, passed, reason)
    select id, 'thanks', score, score = 1, '' from online_samples where rule_id = ${r.id}::uuid`);
  await t.db.execute(sql`
    insert into shadow_results (project_id, rule_id, sample_id, candidate_version, live_version, status, output,
      score, scores, latency_ms, answer_cost_usd, live_latency_ms, live_cost_usd, calls, created_at)
    select project_id, rule_id, id, 2, 1, 'done', w.output, w.score,
      jsonb_build_array(jsonb_build_object('name', 'thanks', 'type', 'contains', 'weight', 1, 'threshold', 0.5,
        'score', w.score, 'passed', w.score = 1, 'reason', '')),
      80, 0.001, 100, 0.002, 1, at
    from (select s.*, row_number() over (order by s.id) as k from online_samples s where rule_id = ${r.id}::uuid) s
    cross join lateral (select case when s.k > ${total - recent} then 0 else 1 end as score,
      case when s.k > ${total - recent} then 'Done.' else 'Thank you, Ana.' end as output) w
    order by s.id`);
  return r;
}

describe("a shadow comparison past its window", () => {
  // Writing 70,000 answers into PGlite takes about 20 s on a quiet machine and over 90 s on a loaded one.
  it("covers each candidate's latest answers, and neither loads the rest nor fails", { timeout: 240_000 }, async () => {
    const r = await answeredMany("sw-many");
    const c = await shadowComparison(t.db, f.projectId, "sw-many", "staging", { version: 2, pairs: 5 });
    expect(c.window).toEqual({ answers: recent });
    const [v2] = c.candidates;
    // Only the latest 2,000: there v2 never thanks, so it loses where v1 thanked and ties elsewhere;
    // the 68,000 older answers, where it wins, are left out.
    expect(v2).toMatchObject({
      version: 2,
      n: recent,
      answered: recent,
      failed: 0,
      wins: 0,
      ties: recent / 2,
      losses: recent / 2,
      earlierLive: 0,
      window: { answers: recent, leftOut: total - recent, since: "2026-01-01T18:53:21.000Z" },
      pairsPerScorer: [{ name: "thanks", pairs: recent, errorsAsLosses: 0 }],
      significantLoss: true,
    });
    expect(v2!.verdict).toMatch(/^v2 is worse than live v1 on thanks by 50\.0 points .*\(2000 inputs/);
    expect(v2!.costUsdDiff).toBeCloseTo(-0.001, 10);
    expect(v2!.latencyMsDiff).toBeCloseTo(-20, 10);
    // The answers side by side: the newest five, with their inputs.
    const [last] = await queryRows<{ max: string }>(
      t.db,
      sql`select max(id)::text as max from online_samples where rule_id = ${r.id}::uuid`,
    );
    expect(v2!.pairs!.map((p) => p.sampleId)).toEqual([0, 1, 2, 3, 4].map((i) => Number(last!.max) - i));
    expect(v2!.pairs![0]).toMatchObject({ input: { customer: "Ana" }, candidate: { output: "Done." } });
  });

  // The same rule and answers as above.
  it("gives the release plan the same window, or minInputs when larger, in one array parameter", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresShadow: { minInputs: 10 } });
    const plan = await planByName(t.db, f.projectId, "sw-many", "staging", 2);
    expect(plan.missing).toEqual(["shadow"]);
    expect(plan.steps[0]).toMatchObject({ shadow: { answered: recent, n: recent, window: recent } });
    expect(plan.steps[0]!.detail).toMatch(/on thanks by 50\.0 points .*\(2000 inputs; paired test, Holm-adjusted\)\.$/);

    // A requirement past 65,535 inputs reads that many: every live score in one parameter.
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresShadow: { minInputs: 70_000 } });
    const all = await planByName(t.db, f.projectId, "sw-many", "staging", 2);
    expect(all.steps[0]).toMatchObject({ shadow: { answered: total, n: total, window: total } });
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresShadow: null });
    expect((await getEnvironmentRow(t.db, f.projectId, "staging")).shadowMinInputs).toBeNull();
  });

  it("reads the live scores of more samples than a statement takes parameters", async () => {
    const rows = await queryRows<{ id: string; score: number }>(
      t.db,
      sql`select id::text as id, score from online_samples where event_id like 'big-%'`,
    );
    const ids = rows.map((x) => Number(x.id));
    expect(ids).toHaveLength(total);
    const units = await liveUnits(t.db, parseScorerSpecs(rule().scorers), ids);
    expect(units).toHaveLength(total);
    expect(units.map((u) => u.results[0]?.score)).toEqual(rows.map((x) => x.score));
  });
});
