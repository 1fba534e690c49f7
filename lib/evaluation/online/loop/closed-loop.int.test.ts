// The closed loop against a real database and the local model server: an alert, automatic rollback
// through the release log, no flapping, the cooldown, a person's override, nothing known-good.
import { noEvents } from "../../../announcements";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../../db/client";
import * as fixtures from "../../../../test/domain-fixtures";
import { failure, liveVersion } from "../../../../test/domain-fixtures";
import { ingestEvents } from "../../../ingest/ingest";
import { getPrompt } from "../../../registry/prompts";
import { deploymentHistory } from "../../../release/deployments";
import { promoteVersion } from "../../../release/promote";
import { acknowledgeAlert, listAlerts } from "../alerts";
import { runRegressionChecks, wasAutoRolledBack } from "./loop";
import { getOnlineEvaluation, putOnlineEvaluation } from "../rules";
import { scorePendingSamples } from "../scoring";
import {
  count,
  decisionFor,
  f,
  generations,
  promptLiveIn,
  rule,
  t,
  nextSeq,
  withOnlineDatabase,
} from "../../../../test/online-fixture";
import { projectContext } from "../../../context";

withOnlineDatabase("online-closed-loop");

describe("the closed loop", () => {
  it("alerts past alert.maxDrop, once per version, and a person acknowledges", async () => {
    await promptLiveIn("ol-alert", 2, 1);
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "ol-alert",
      rule({ rollback: { enabled: false, maxDrop: 0.3, cooldownMinutes: 60 } }),
    );
    await generations("ol-alert", 1, 60, 54); // 90%
    await promoteVersion(f.ctx(f.approver), "ol-alert", { environment: "staging", version: 2 });
    await generations("ol-alert", 2, 60, 30); // 50%: a 40-point drop, but rollback is off
    await scorePendingSamples(t.db, undefined);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-alert");
    expect(d).toMatchObject({ live: 2, baseline: 1, level: "alert", action: "alerted" });
    const thanks = d.metrics.find((m) => m.name === "thanks")!;
    expect(thanks).toMatchObject({ live: { n: 60, mean: 0.5 }, baseline: { n: 60, mean: 0.9 }, level: "alert" });
    expect(thanks.drop).toBeCloseTo(0.4, 10);
    expect(thanks.adjustedPValue!).toBeLessThan(0.001);
    expect(await liveVersion(t.db, f, "ol-alert", "staging")).toBe(2);
    // The next check sees the same regression: no second alert while the first is open.
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-alert").action).toBe("alerted");
    const open = await listAlerts(t.db, f.projectId, { open: true, prompt: "ol-alert" });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      kind: "regression",
      severity: "warning",
      prompt: "ol-alert",
      environment: "staging",
      link: "/online-closed-loop/online/ol-alert?environment=staging",
      details: { liveVersion: 2, baselineVersion: 1 },
    });
    expect(open[0]!.message).toMatch(
      /^ol-alert v2 in staging is doing worse than v1: thanks 90.0% → 50.0% \(drop 40.0%, n 60 → 60, adjusted p/,
    );
    await acknowledgeAlert(projectContext(t.db, f.editor, f.projectId, noEvents), open[0]!.id);
    await acknowledgeAlert(projectContext(t.db, f.editor, f.projectId, noEvents), open[0]!.id); // twice: nothing changes
    expect(await listAlerts(t.db, f.projectId, { open: true, prompt: "ol-alert" })).toEqual([]);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-alert" }))[0]).toMatchObject({
      acknowledgedBy: "editor",
    });
    expect(
      await count("audit_log", sql`action = 'alert.create' and project_id = ${f.projectId}`),
    ).toBeGreaterThanOrEqual(1);
  });

  it("rolls back past rollback.maxDrop through the release log, marks the version, and does not flap", async () => {
    await promptLiveIn("ol-loop", 2, 1);
    await putOnlineEvaluation(f.ctx(f.approver), "ol-loop", rule());
    await generations("ol-loop", 1, 60, 54);
    await promoteVersion(f.ctx(f.approver), "ol-loop", { environment: "staging", version: 2 });
    await generations("ol-loop", 2, 60, 12); // 20%: a 70-point drop
    await scorePendingSamples(t.db, undefined);
    const events = fixtures.recordingSink(t.db);
    const d = decisionFor(await runRegressionChecks(t.db, events), "ol-loop");
    expect(d).toMatchObject({ live: 2, baseline: 1, level: "rollback", action: "rolled_back" });
    expect(await liveVersion(t.db, f, "ol-loop", "staging")).toBe(1);
    const [last] = (
      await deploymentHistory(t.db, f.projectId, await getPrompt(t.db, f.projectId, "ol-loop"), {
        environment: "staging",
      })
    ).map((r) => r.deployment);
    expect(last).toMatchObject({ version: 1, action: "auto_rollback", actorId: null, actorLabel: "online-evaluation" });
    expect(last!.reason).toMatch(
      /^Automatic rollback from v2 to v1: thanks 90.0% → 20.0% \(drop 70.0%, n 60 → 60, adjusted p < 0.0001\)/,
    );
    expect(events.events).toContainEqual(
      expect.objectContaining({
        prompt: "ol-loop",
        environment: "staging",
        version: 1,
        action: "auto_rollback",
        committed: true,
      }),
    );
    const promptId = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from prompts where project_id = ${f.projectId} and name = 'ol-loop'`,
      )
    )[0]!.id;
    const envId = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from environments where project_id = ${f.projectId} and name = 'staging'`,
      )
    )[0]!.id;
    expect(await wasAutoRolledBack(t.db, promptId, envId, 2)).toBe(true);
    expect(await wasAutoRolledBack(t.db, promptId, envId, 1)).toBe(false);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-loop" })).map((a) => a.kind)).toEqual(["auto_rollback"]);
    expect(await count("audit_log", sql`action = 'deployment.auto_rollback' and project_id = ${f.projectId}`)).toBe(1);

    // The next runs: v1 is live; v2, just rolled back, is never its baseline (nor called known-good); nothing happens.
    for (let i = 0; i < 2; i++) {
      const again = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-loop");
      expect(again).toMatchObject({ live: 1, baseline: null, action: "skipped" });
      expect(again.reason).toMatch(/a rollback ended v2/);
    }
    expect(await count("deployments", sql`prompt_id = ${promptId}`)).toBe(3);
    const rule_ = await getOnlineEvaluation(t.db, f.projectId, "ol-loop", "staging");
    expect(rule_.lastCheck).toMatchObject({ live: 1, baseline: null, action: "skipped" });

    // A person overrides, saying they know: v2 goes back in. The loop alerts (critical) but leaves the person's
    // choice alone. Without the confirmation the promotion is refused, naming the rollback.
    expect(
      (await failure(promoteVersion(f.ctx(f.approver), "ol-loop", { environment: "staging", version: 2 }))).code,
    ).toBe("rolled_back");
    await promoteVersion(f.ctx(f.approver), "ol-loop", {
      environment: "staging",
      version: 2,
      reason: "the drop is expected: shorter replies",
      confirmRolledBack: true,
    });
    const withheld = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-loop");
    expect(withheld).toMatchObject({
      live: 2,
      action: "withheld",
      reason: "v2 was rolled back automatically before and a person put it back",
    });
    expect(await liveVersion(t.db, f, "ol-loop", "staging")).toBe(2);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-loop" }))[0]).toMatchObject({
      kind: "rollback_withheld",
      severity: "critical",
    });
  });

  it("two checks at once (the online-eval job and the auto-rollback job) roll back once and alert once", async () => {
    await promptLiveIn("ol-race", 2, 1);
    const r = await putOnlineEvaluation(f.ctx(f.approver), "ol-race", rule());
    await generations("ol-race", 1, 40, 36);
    await promoteVersion(f.ctx(f.approver), "ol-race", { environment: "staging", version: 2 });
    await generations("ol-race", 2, 40, 4);
    await scorePendingSamples(t.db, undefined);
    const both = await Promise.all([
      runRegressionChecks(t.db, noEvents, new Date(), { ruleIds: [r.id] }),
      runRegressionChecks(t.db, noEvents, new Date(), { ruleIds: [r.id] }),
    ]);
    const actions = both.map((ds) => ds[0]!.action);
    expect(actions.filter((a) => a === "rolled_back")).toHaveLength(1);
    // The other saw v1 live already (none), or lost the race at the rollback (skipped, conditional on v2 being live).
    expect(["skipped", "none"]).toContain(actions.find((a) => a !== "rolled_back"));
    const promptId = (await getPrompt(t.db, f.projectId, "ol-race")).id;
    expect(await count("deployments", sql`prompt_id = ${promptId} and action = 'auto_rollback'`)).toBe(1);
    expect(await count("alerts", sql`rule_id = ${r.id}`)).toBe(1);
    expect(await liveVersion(t.db, f, "ol-race", "staging")).toBe(1);
  });

  it("one automatic rollback per cooldown: a second bad version within it is only alerted", async () => {
    await promptLiveIn("ol-cool", 3, 1);
    await putOnlineEvaluation(f.ctx(f.approver), "ol-cool", rule());
    await generations("ol-cool", 1, 40, 36);
    await promoteVersion(f.ctx(f.approver), "ol-cool", { environment: "staging", version: 2 });
    await generations("ol-cool", 2, 40, 4);
    await scorePendingSamples(t.db, undefined);
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-cool").action).toBe("rolled_back");
    await promoteVersion(f.ctx(f.approver), "ol-cool", { environment: "staging", version: 3 });
    await generations("ol-cool", 3, 40, 4);
    await scorePendingSamples(t.db, undefined);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-cool");
    expect(d).toMatchObject({
      live: 3,
      baseline: 1,
      action: "withheld",
      reason: "an automatic rollback already happened in the last 60 minutes",
    });
    expect(await liveVersion(t.db, f, "ol-cool", "staging")).toBe(3);
    // After the cooldown the same check acts.
    const later = decisionFor(await runRegressionChecks(t.db, noEvents, new Date(Date.now() + 61 * 60_000)), "ol-cool");
    expect(later).toMatchObject({ action: "rolled_back" });
    expect(await liveVersion(t.db, f, "ol-cool", "staging")).toBe(1);
  });

  it("with no known-good version it alerts only; with too few samples it waits", async () => {
    await promptLiveIn("ol-first", 2, 1);
    await putOnlineEvaluation(f.ctx(f.approver), "ol-first", rule());
    await generations("ol-first", 1, 30, 3);
    await scorePendingSamples(t.db, undefined);
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-first")).toMatchObject({
      live: 1,
      baseline: null,
      action: "skipped",
      reason: "no earlier version to compare with",
    });

    await promoteVersion(f.ctx(f.approver), "ol-first", { environment: "staging", version: 2 });
    await generations("ol-first", 2, 10, 0);
    await scorePendingSamples(t.db, undefined);
    const waiting = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-first");
    expect(waiting).toMatchObject({ live: 2, baseline: 1, level: "none", action: "none" });
    expect(waiting.metrics[0]!.note).toBe("not enough samples yet (10 live, 30 before; 20 needed on each side)");
  });

  it("signals count too: thumbs from feedback events trigger the rollback without any scorer", async () => {
    await promptLiveIn("ol-thumbs", 2, 1);
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "ol-thumbs",
      rule({ scorers: [], signals: ["feedback"], sampleRate: 0 }),
    );
    const thumbs = (version: number, n: number, up: number) =>
      ingestEvents(t.db, f.projectId, {
        events: Array.from({ length: n }, (_, i) => ({
          id: `fb-${version}-${nextSeq()}`,
          type: "feedback",
          prompt: "ol-thumbs",
          version,
          environment: "staging",
          subject: `s${nextSeq()}`,
          value: i < up ? 1 : 0,
        })),
      });
    await thumbs(1, 50, 40);
    await promoteVersion(f.ctx(f.approver), "ol-thumbs", { environment: "staging", version: 2 });
    await thumbs(2, 50, 10);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-thumbs");
    expect(d).toMatchObject({
      action: "rolled_back",
      metrics: [
        expect.objectContaining({
          name: "thumbs",
          kind: "binary",
          live: { n: 50, mean: 0.2 },
          baseline: { n: 50, mean: 0.8 },
        }),
      ],
    });
    expect(await count("online_samples", sql`rule_id = ${d.ruleId}`)).toBe(0);
  });
});
