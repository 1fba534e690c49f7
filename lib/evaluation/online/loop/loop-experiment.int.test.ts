// The closed loop and a running experiment, judged arm by arm: a variant worse than the control stops
// the experiment (the environment keeps serving), and a regression of the environment's own version rolls
// it back and stops the experiment, so every subject gets the known-good version.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { base } from "../../../../test/experiments-fixture";
import { liveVersion } from "../../../../test/domain-fixtures";
import { count, f, nextSeq, promptLiveIn, rule, t, withOnlineDatabase } from "../../../../test/online-fixture";
import { check, type Gen, promotedAfterWindow, subjectGenerations } from "../../../../test/seams-fixture";
import { createExperiment, getExperiment } from "../../../experiments/store";
import { startExperiment } from "../../../experiments/lifecycle";
import { ingestEvents } from "../../../ingest/ingest";
import { loadResolved } from "../../../runtime/load";
import { chooseArm } from "../../../runtime/experiment-arms";
import { listAlerts } from "../alerts";
import { putOnlineEvaluation } from "../rules";

withOnlineDatabase("seams-experiment");

/** A started even experiment on `prompt` in staging: its control on one version, its candidate on another. */
async function startedExperiment(prompt: string, name: string, control: number, candidate: number) {
  const arms = [
    { key: "control", version: control, weight: 0.5 },
    { key: "candidate", version: candidate, weight: 0.5 },
  ];
  const e = await createExperiment(f.ctx(f.approver), base(prompt, { name, variants: arms }));
  await startExperiment(f.ctx(f.approver), e.id);
  return e;
}

describe("a running experiment, judged arm by arm", () => {
  async function experimentOn(name: string) {
    await promptLiveIn(name, 2, 1);
    await putOnlineEvaluation(f.ctx(f.approver), name, rule());
    return startedExperiment(name, `Seam ${name}`, 1, 2);
  }
  /** Exposures as resolve records them, then each subject's generation for its arm. */
  async function armTraffic(name: string, n: number, good: { control: number; candidate: number }) {
    const entry = await loadResolved(t.db, f.projectId, name, "staging");
    const rows: Gen[] = [];
    const exposures = [];
    const seen = { control: 0, candidate: 0 };
    for (let i = 0; i < n; i++) {
      const subject = `${name}-${i}`;
      const c = chooseArm(entry, subject);
      if (c === "sticky" || !c.experiment) continue;
      const arm = c.experiment.variant as "control" | "candidate";
      exposures.push({
        id: `seam-x-${nextSeq()}`,
        type: "exposure",
        prompt: name,
        version: c.arm.version,
        environment: "staging",
        subject,
      });
      rows.push({ version: c.arm.version, subject, good: seen[arm]++ < good[arm] * n });
    }
    await ingestEvents(t.db, f.projectId, { events: exposures });
    await subjectGenerations(name, rows);
  }

  it("a variant that does worse than the control stops the experiment with an alert; the environment keeps serving", async () => {
    const e = await experimentOn("seam-variant");
    await armTraffic("seam-variant", 120, { control: 0.45, candidate: 0.05 });
    const d = await check("seam-variant");
    expect(d.experiment).toMatchObject({ id: e.id, action: "stopped" });
    expect(d.experiment!.variants[0]).toMatchObject({ key: "candidate", level: "rollback" });
    const stopped = await getExperiment(t.db, f.projectId, e.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.decision).toMatchObject({
      keep: "control",
      reason: expect.stringMatching(/^Stopped by online evaluation/),
    });
    expect(await liveVersion(t.db, f, "seam-variant", "staging")).toBe(1);
    expect(
      await count(
        "deployments",
        sql`action = 'auto_rollback' and prompt_id = (select id from prompts where name = 'seam-variant')`,
      ),
    ).toBe(0);
    const [alert] = await listAlerts(t.db, f.projectId, { prompt: "seam-variant" });
    expect(alert).toMatchObject({ kind: "experiment_regression", severity: "critical", version: 2 });
    expect((await loadResolved(t.db, f.projectId, "seam-variant", "staging")).experiment).toBeNull();
  });

  it("a regression of the environment's own version rolls it back and stops the experiment: every subject gets the known-good version", async () => {
    await promotedAfterWindow("seam-live", 3, [40, 38]);
    const e = await startedExperiment("seam-live", "Seam live", 2, 3);
    // Both arms do badly: the environment's own v2 (the control) against known-good v1.
    const entry = await loadResolved(t.db, f.projectId, "seam-live", "staging");
    const rows: Gen[] = [];
    const exposures = [];
    for (let i = 0; i < 120; i++) {
      const subject = `live-${i}`;
      const c = chooseArm(entry, subject);
      if (c === "sticky" || !c.experiment) continue;
      exposures.push({
        id: `seam-lx-${nextSeq()}`,
        type: "exposure",
        prompt: "seam-live",
        version: c.arm.version,
        environment: "staging",
        subject,
      });
      rows.push({ version: c.arm.version, subject, good: i % 10 === 0 });
    }
    await ingestEvents(t.db, f.projectId, { events: exposures });
    await subjectGenerations("seam-live", rows);
    const d = await check("seam-live");
    expect(d).toMatchObject({ live: 2, baseline: 1, knownGood: true, action: "rolled_back" });
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("stopped");
    const after = await loadResolved(t.db, f.projectId, "seam-live", "staging");
    expect(after.experiment).toBeNull();
    const versions = new Set(
      Array.from({ length: 200 }, (_, i) => {
        const c = chooseArm(after, `live-${i}`);
        return c === "sticky" ? -1 : c.arm.version;
      }),
    );
    expect([...versions]).toEqual([1]);
    const [alert] = await listAlerts(t.db, f.projectId, { prompt: "seam-live" });
    expect(alert).toMatchObject({ kind: "auto_rollback" });
    expect(alert!.message).toMatch(/Experiment “Seam live” was stopped/);
  });
});
