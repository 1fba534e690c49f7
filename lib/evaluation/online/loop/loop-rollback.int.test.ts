// The closed loop where it meets the rest of the release loop, what it counts and how it rolls back:
// events that try to steer it (one subject, versions it was never served), "known-good" as a person's
// rollback leaves it, and the automatic rollback written as one transaction. Running experiments:
// loop-experiment.int.test.ts.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { liveVersion } from "../../../../test/domain-fixtures";
import { count, f, nextSeq, promptLiveIn, rule, t, withOnlineDatabase } from "../../../../test/online-fixture";
import { check, promotedAfterWindow, subjectGenerations, subjects } from "../../../../test/seams-fixture";
import { ingestEvents } from "../../../ingest/ingest";
import { noEvents } from "../../../announcements";
import { promoteVersion } from "../../../release/promote";
import { rollbackPrompt } from "../../../release/rollback";
import { runRegressionChecks } from "./loop";
import { putOnlineEvaluation } from "../rules";

withOnlineDatabase("seams-rollback");

describe("nobody steers the loop with many events", () => {
  it("one subject's 150 bad and 150 good events count as one subject on each side: no rollback", async () => {
    // The attack: a key posts 150 thumbs-up for v1 and 150 thumbs-down for v2 from one subject.
    await promptLiveIn("seam-one", 2, 1);
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "seam-one",
      rule({ scorers: [], signals: ["feedback"], sampleRate: 0 }),
    );
    const thumbs = (version: number, value: 0 | 1) =>
      ingestEvents(t.db, f.projectId, {
        events: Array.from({ length: 150 }, () => ({
          id: `seam-fb-${nextSeq()}`,
          type: "feedback",
          prompt: "seam-one",
          version,
          environment: "staging",
          subject: "mallory",
          value,
        })),
      });
    await thumbs(1, 1);
    await promoteVersion(f.ctx(f.approver), "seam-one", { environment: "staging", version: 2 });
    await thumbs(2, 0);
    const d = await check("seam-one");
    expect(d.action).toBe("none");
    expect(d.metrics[0]).toMatchObject({ name: "thumbs", live: { n: 1 }, baseline: { n: 1 } });
    expect(d.metrics[0]!.note).toMatch(/not enough samples yet \(1 live, 1 before; 20 needed/);
    expect(await liveVersion(t.db, f, "seam-one", "staging")).toBe(2);
  });

  it("values for a version the subject was not served are counted apart, never in the window", async () => {
    await promotedAfterWindow("seam-claims", 2, [30, 27], [30, 27]);
    // Claims that v1 did badly an hour ago, before staging ever served it: not what these subjects got.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await subjectGenerations(
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
    await promotedAfterWindow("seam-manual", 3, [30, 27], [30, 27]);
    // A person rolls v2 back by hand (whatever its scores said), then ships v3, which regresses.
    await rollbackPrompt(f.ctx(f.approver), "seam-manual", { environment: "staging", version: 1 });
    await promoteVersion(f.ctx(f.approver), "seam-manual", { environment: "staging", version: 3 });
    await subjectGenerations("seam-manual", subjects(3, 30, 3));
    const d = await check("seam-manual");
    // v1 served its window without a regression and was never rolled back: it is the known-good one, not v2.
    expect(d).toMatchObject({ live: 3, baseline: 1, knownGood: true, action: "rolled_back" });
    expect(await liveVersion(t.db, f, "seam-manual", "staging")).toBe(1);
  });

  it("withholds the rollback when the only earlier versions were rolled back or never served a window", async () => {
    // v1 never served a whole window (5 < 20 subjects)
    await promotedAfterWindow("seam-none", 3, [5, 5], [30, 27]);
    // A person rolled v2 back once, then put it back: it scores well, but someone judged it bad.
    await rollbackPrompt(f.ctx(f.approver), "seam-none", { environment: "staging", version: 1, reason: "by hand" });
    await promoteVersion(f.ctx(f.approver), "seam-none", {
      environment: "staging",
      version: 2,
      confirmRolledBack: true,
    });
    await promoteVersion(f.ctx(f.approver), "seam-none", { environment: "staging", version: 3 });
    await subjectGenerations("seam-none", subjects(3, 30, 3));
    const d = await check("seam-none");
    expect(d).toMatchObject({ live: 3, baseline: 2, knownGood: false, action: "withheld" });
    expect(d.reason).toMatch(/no known-good version/);
    expect(await liveVersion(t.db, f, "seam-none", "staging")).toBe(3);
  });
});

describe("after a rollback", () => {
  it("the restored version is never checked against the version just rolled back", async () => {
    await promotedAfterWindow("seam-after", 2, [30, 27], [30, 3]);
    expect(await check("seam-after")).toMatchObject({ live: 2, baseline: 1, knownGood: true, action: "rolled_back" });
    // v1 is live again; v2 was judged bad and no other version served a window: nothing to compare with.
    const after = await check("seam-after");
    expect(after).toMatchObject({ live: 1, baseline: null, action: "skipped" });
    expect(await liveVersion(t.db, f, "seam-after", "staging")).toBe(1);
  });
});

describe("the automatic rollback is one transaction", () => {
  it("a crash between its writes (the alert fails) leaves no deployment, no mark, no audit row", async () => {
    await promotedAfterWindow("seam-crash", 2, [30, 27], [30, 3]);
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
