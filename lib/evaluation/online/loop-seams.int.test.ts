// The closed loop where it meets the rest of the release loop: events that try to steer it (one
// subject, versions it was never served), "known-good" as a person's rollback leaves it, a running
// experiment judged arm by arm, and the automatic rollback written as one transaction.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import * as fixtures from "../../../test/domain-fixtures";
import { liveVersion, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { createExperiment, getExperiment } from "../../experiments/store";
import { startExperiment } from "../../experiments/lifecycle";
import { ingestEvents } from "../../events/ingest";
import { loadResolved } from "../../runtime/load";
import { chooseArm } from "../../runtime/experiment-arms";
import { noEvents } from "../../release/events";
import { promote } from "../../release/promote";
import { rollback } from "../../release/rollback";
import { listAlerts } from "./alerts";
import { runRegressionChecks, type LoopDecision } from "./loop";
import { putOnlineRule, type OnlineEvalInput } from "./rules";
import { scorePendingSamples } from "./scoring";

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "seams");
});
afterAll(async () => t.drop());

const count = async (table: string, where = sql`true`) =>
  (
    await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)
  )[0]!.n;

const rule = (extra: Partial<OnlineEvalInput> = {}): OnlineEvalInput => ({
  environment: "staging",
  sampleRate: 1,
  scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
  signals: [],
  window: 200,
  minSamples: 20,
  alert: { maxDrop: 0.1 },
  rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
  ...extra,
});

let seq = 0;
type Gen = { version: number; good: boolean; subject: string; at?: Date };
async function generations(prompt: string, rows: Gen[]) {
  const events = rows.map((r) => ({
    id: `seam-${prompt}-${++seq}`,
    type: "generation",
    prompt,
    version: r.version,
    environment: "staging",
    subject: r.subject,
    ...(r.at && { at: r.at.toISOString() }),
    latencyMs: 100,
    input: { customer: "Ana" },
    output: r.good ? "Thank you for waiting, Ana." : "Your refund is on its way.",
  }));
  await ingestEvents(t.db, f.projectId, { events });
  await scorePendingSamples(t.db, undefined, { limit: 10_000 });
}
/** n subjects of their own, the first `good` of them thanked. */
const subjects = (version: number, n: number, good: number, prefix = `v${version}`): Gen[] =>
  Array.from({ length: n }, (_, i) => ({ version, good: i < good, subject: `${prefix}-${seq}-${i}` }));

const check = async (prompt: string): Promise<LoopDecision> =>
  (await runRegressionChecks(t.db, noEvents)).find((d) => d.prompt === prompt)!;

async function servedPrompt(name: string, versions: number) {
  await fixtures.promptWith(t.db, f, name, versions);
  await promote(f.ctx(f.approver), name, { environment: "staging", version: 1 });
}

describe("nobody steers the loop with many events", () => {
  it("one subject's 150 bad and 150 good events count as one subject on each side: no rollback", async () => {
    // Issue 22, 2: a key posted 150 thumbs-up for v1 and 150 thumbs-down for v2 from one subject.
    await servedPrompt("seam-one", 2);
    await putOnlineRule(f.ctx(f.approver), "seam-one", rule({ scorers: [], signals: ["feedback"], sampleRate: 0 }));
    const thumbs = (version: number, value: 0 | 1) =>
      ingestEvents(t.db, f.projectId, {
        events: Array.from({ length: 150 }, () => ({
          id: `seam-fb-${++seq}`,
          type: "feedback",
          prompt: "seam-one",
          version,
          environment: "staging",
          subject: "mallory",
          value,
        })),
      });
    await thumbs(1, 1);
    await promote(f.ctx(f.approver), "seam-one", { environment: "staging", version: 2 });
    await thumbs(2, 0);
    const d = await check("seam-one");
    expect(d.action).toBe("none");
    expect(d.metrics[0]).toMatchObject({ name: "thumbs", live: { n: 1 }, baseline: { n: 1 } });
    expect(d.metrics[0]!.note).toMatch(/not enough samples yet \(1 live, 1 before; 20 needed/);
    expect(await liveVersion(t.db, f, "seam-one", "staging")).toBe(2);
  });

  it("values for a version the subject was not served are counted apart, never in the window", async () => {
    await servedPrompt("seam-claims", 2);
    await putOnlineRule(f.ctx(f.approver), "seam-claims", rule());
    await generations("seam-claims", subjects(1, 30, 27));
    await promote(f.ctx(f.approver), "seam-claims", { environment: "staging", version: 2 });
    await generations("seam-claims", subjects(2, 30, 27));
    // Claims that v1 did badly an hour ago, before staging ever served it: not what these subjects got.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await generations(
      "seam-claims",
      subjects(1, 40, 0, "late").map((g) => ({ ...g, at: anHourAgo })),
    );
    const d = await check("seam-claims");
    expect(d.excluded[1]).toEqual({ anonymous: 0, unverified: 40 });
    expect(d.metrics[0]).toMatchObject({ baseline: { n: 30 }, live: { n: 30 } });
    expect(d.action).toBe("none");
  });
});

describe("known-good", () => {
  it("a version a person rolled back is not known-good: a later regression is alerted, not rolled back to it", async () => {
    await servedPrompt("seam-manual", 3);
    await putOnlineRule(f.ctx(f.approver), "seam-manual", rule());
    await generations("seam-manual", subjects(1, 30, 27));
    await promote(f.ctx(f.approver), "seam-manual", { environment: "staging", version: 2 });
    await generations("seam-manual", subjects(2, 30, 27));
    // A person rolls v2 back by hand (whatever its scores said), then ships v3, which regresses.
    await rollback(f.ctx(f.approver), "seam-manual", { environment: "staging", version: 1 });
    await promote(f.ctx(f.approver), "seam-manual", { environment: "staging", version: 3 });
    await generations("seam-manual", subjects(3, 30, 3));
    const d = await check("seam-manual");
    // v1 served its window without a regression and was never rolled back: it is the known-good one, not v2.
    expect(d).toMatchObject({ live: 3, baseline: 1, knownGood: true, action: "rolled_back" });
    expect(await liveVersion(t.db, f, "seam-manual", "staging")).toBe(1);
  });

  it("withholds the rollback when the only earlier versions were rolled back or never served a window", async () => {
    await servedPrompt("seam-none", 3);
    await putOnlineRule(f.ctx(f.approver), "seam-none", rule());
    await generations("seam-none", subjects(1, 5, 5)); // v1 never served a whole window (5 < 20 subjects)
    await promote(f.ctx(f.approver), "seam-none", { environment: "staging", version: 2 });
    await generations("seam-none", subjects(2, 30, 27));
    // A person rolled v2 back once, then put it back: it scores well, but someone judged it bad.
    await rollback(f.ctx(f.approver), "seam-none", { environment: "staging", version: 1, reason: "by hand" });
    await promote(f.ctx(f.approver), "seam-none", { environment: "staging", version: 2 });
    await promote(f.ctx(f.approver), "seam-none", { environment: "staging", version: 3 });
    await generations("seam-none", subjects(3, 30, 3));
    const d = await check("seam-none");
    expect(d).toMatchObject({ live: 3, baseline: 2, knownGood: false, action: "withheld" });
    expect(d.reason).toMatch(/no known-good version/);
    expect(await liveVersion(t.db, f, "seam-none", "staging")).toBe(3);
  });
});

describe("a running experiment, judged arm by arm", () => {
  async function experimentOn(name: string) {
    await servedPrompt(name, 2);
    await putOnlineRule(f.ctx(f.approver), name, rule());
    const e = await createExperiment(f.ctx(f.approver), {
      prompt: name,
      environment: "staging",
      name: `Seam ${name}`,
      variants: [
        { key: "control", version: 1, weight: 0.5 },
        { key: "candidate", version: 2, weight: 0.5 },
      ],
      mode: "sequential",
      primaryMetric: { name: "thumbs", kind: "binary" },
    });
    await startExperiment(f.ctx(f.approver), e.id);
    return e;
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
        id: `seam-x-${++seq}`,
        type: "exposure",
        prompt: name,
        version: c.arm.version,
        environment: "staging",
        subject,
      });
      rows.push({ version: c.arm.version, subject, good: seen[arm]++ < good[arm] * n });
    }
    await ingestEvents(t.db, f.projectId, { events: exposures });
    await generations(name, rows);
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
    await servedPrompt("seam-live", 3);
    await putOnlineRule(f.ctx(f.approver), "seam-live", rule());
    await generations("seam-live", subjects(1, 40, 38));
    await promote(f.ctx(f.approver), "seam-live", { environment: "staging", version: 2 });
    const e = await createExperiment(f.ctx(f.approver), {
      prompt: "seam-live",
      environment: "staging",
      name: "Seam live",
      variants: [
        { key: "control", version: 2, weight: 0.5 },
        { key: "candidate", version: 3, weight: 0.5 },
      ],
      mode: "sequential",
      primaryMetric: { name: "thumbs", kind: "binary" },
    });
    await startExperiment(f.ctx(f.approver), e.id);
    // Both arms do badly: the environment's own v2 (the control) against known-good v1.
    const entry = await loadResolved(t.db, f.projectId, "seam-live", "staging");
    const rows: Gen[] = [];
    const exposures = [];
    for (let i = 0; i < 120; i++) {
      const subject = `live-${i}`;
      const c = chooseArm(entry, subject);
      if (c === "sticky" || !c.experiment) continue;
      exposures.push({
        id: `seam-lx-${++seq}`,
        type: "exposure",
        prompt: "seam-live",
        version: c.arm.version,
        environment: "staging",
        subject,
      });
      rows.push({ version: c.arm.version, subject, good: i % 10 === 0 });
    }
    await ingestEvents(t.db, f.projectId, { events: exposures });
    await generations("seam-live", rows);
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

describe("the automatic rollback is one transaction", () => {
  it("a crash between its writes (the alert fails) leaves no deployment, no mark, no audit row", async () => {
    await servedPrompt("seam-crash", 2);
    await putOnlineRule(f.ctx(f.approver), "seam-crash", rule());
    await generations("seam-crash", subjects(1, 30, 27));
    await promote(f.ctx(f.approver), "seam-crash", { environment: "staging", version: 2 });
    await generations("seam-crash", subjects(2, 30, 3));
    const mine = sql`prompt_id = (select id from prompts where name = 'seam-crash')`;
    const before = await count("deployments", mine);
    // The crash: the database refuses the alert, the last write of the rollback's transaction.
    await t.db.execute(sql`create function seam_crash() returns trigger language plpgsql as $$
      begin raise exception 'simulated crash before the alert'; end $$`);
    await t.db.execute(
      sql`create trigger seam_crash before insert on alerts for each row execute function seam_crash()`,
    );
    try {
      const err = (await runRegressionChecks(t.db, noEvents).catch((e: Error) => e)) as Error & { cause?: Error };
      expect(String(err.cause?.message ?? err.message)).toMatch(/simulated crash before the alert/);
    } finally {
      await t.db.execute(sql`drop trigger seam_crash on alerts`);
      await t.db.execute(sql`drop function seam_crash()`);
    }
    expect(await count("deployments", mine)).toBe(before);
    expect(await count("auto_rollbacks", mine)).toBe(0);
    expect(
      await count(
        "audit_log",
        sql`action = 'deployment.auto_rollback' and object_id = (select id::text from prompts where name = 'seam-crash')`,
      ),
    ).toBe(0);
    expect(await liveVersion(t.db, f, "seam-crash", "staging")).toBe(2);
    // Once the alert can be written, the same check rolls back, marks and alerts together.
    expect((await check("seam-crash")).action).toBe("rolled_back");
    expect(await count("auto_rollbacks", mine)).toBe(1);
  });
});
