// Assignment in the resolve path: cached resolve entries carry the experiment, subjects get sticky arms,
// and the exposure recorder writes each exposure once.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import * as fixtures from "../../test/domain-fixtures";
import { promoteVersion } from "../release/promote";
import { chooseArm } from "../runtime/experiment-arms";
import { loadResolved } from "../runtime/load";
import { assign } from "./assign";
import { setExperimentWeights, stopExperiment } from "./lifecycle";
import { ExposureRecorder } from "./exposures";
import { f, servedPrompt, split, t, withExperimentsDatabase, runningExperiment } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-resolve-assignment");

describe("assignment in the resolve path", () => {
  it("a subject gets its variant's version, sticky and equal to the pure hash; no subject gets the control", async () => {
    await fixtures.promptWith(t.db, f, "exp-assign", 2);
    await promoteVersion(f.ctx(f.editor), "exp-assign", { environment: "staging", version: 1 });
    const e = await runningExperiment("exp-assign", { coverage: 0.8, seed: "fixed-seed" });
    const entry = await loadResolved(t.db, f.projectId, "exp-assign", "staging");
    expect(entry.experiment).toMatchObject({ id: e.id, phase: 1, seed: "fixed-seed", coverage: 0.8 });
    const counts: Record<string, number> = { A: 0, B: 0, out: 0 };
    for (let i = 0; i < 2000; i++) {
      const subject = `user-${i}`;
      const choice = chooseArm(entry, subject);
      if (choice === "sticky") throw new Error("not a bandit");
      const expected = assign(split("fixed-seed", 0.8), subject);
      expect(choice.experiment?.variant ?? null).toBe(expected?.key ?? null);
      expect(choice.arm.version).toBe(expected?.key === "B" ? 2 : 1);
      counts[choice.experiment?.variant ?? "out"]!++;
    }
    expect(counts.out! / 2000).toBeGreaterThan(0.15);
    expect(counts.out! / 2000).toBeLessThan(0.25);
    const anonymous = chooseArm(entry, undefined);
    expect(anonymous !== "sticky" && anonymous.experiment).toBeNull();
    expect(anonymous !== "sticky" && anonymous.arm.version).toBe(1);
    // A new phase re-randomizes with a new seed.
    await setExperimentWeights(f.ctx(f.approver), e.id, { weights: { A: 0.2, B: 0.8 } });
    const next = await loadResolved(t.db, f.projectId, "exp-assign", "staging");
    expect(next.experiment?.phase).toBe(2);
    expect(next.experiment?.seed).not.toBe("fixed-seed");
    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
    expect((await loadResolved(t.db, f.projectId, "exp-assign", "staging")).experiment).toBeNull();
  });
});

describe("the exposure recorder (resolve's exposures)", () => {
  it("writes a subject's first exposure once however often it resolves, and keeps a batch the database refused", async () => {
    await servedPrompt("exp-rec", 2);
    const e = await runningExperiment("exp-rec");
    const seen = { id: e.id, phase: 1, variant: "B" };
    const rows = async () =>
      await queryRows<{ subject: string; variant_key: string }>(
        t.db,
        sql`select subject, variant_key from experiment_exposures where experiment_id = ${e.id} order by subject`,
      );
    const armCount = async () =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select coalesce(sum(subjects), 0)::int as n from experiment_arm_exposures where experiment_id = ${e.id}`,
        )
      )[0]!.n;

    let down = false;
    const errors: unknown[] = [];
    const recorder = new ExposureRecorder(() => (down ? (null as unknown as typeof t.db) : t.db), {
      flushMs: 60_000,
      onError: (x) => errors.push(x),
    });
    for (let i = 0; i < 50; i++) recorder.record(seen, "u-1", Date.parse("2026-11-23T10:00:00Z") + i);
    recorder.record(seen, "u-2", Date.parse("2026-11-23T10:00:00Z"));
    await recorder.flush();
    expect(await rows()).toEqual([
      { subject: "u-1", variant_key: "B" },
      { subject: "u-2", variant_key: "B" },
    ]);
    expect(await armCount()).toBe(2);
    // Written: a repeat is not even pending.
    recorder.record(seen, "u-1", Date.now());
    await recorder.flush();
    expect(await armCount()).toBe(2);

    // The database away: the batch stays pending, and the next flush writes it.
    down = true;
    recorder.record(seen, "u-3", Date.now());
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect((await rows()).map((r) => r.subject)).toEqual(["u-1", "u-2"]);
    down = false;
    await recorder.flush();
    expect((await rows()).map((r) => r.subject)).toEqual(["u-1", "u-2", "u-3"]);
    expect(await armCount()).toBe(3);
  });
});
