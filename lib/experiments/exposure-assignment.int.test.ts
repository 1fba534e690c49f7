// An exposure says "this subject was served this variant". One that names a variant the subject was
// not assigned (by the phase's hash, or the stored assignment of a bandit) would move the counts SRM
// and progress are read from: the batch is refused, naming the event, and nothing is stored.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { failure } from "../../test/domain-fixtures";
import { base, f, servedPrompt, split, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { assign } from "./assign";
import { ingestEvents } from "../ingest/ingest";
import { startExperiment } from "./lifecycle";
import { createExperiment } from "./store";

withExperimentsDatabase("expo");

let id = "";
const def = split("exposure-seed", 0.8);

beforeAll(async () => {
  // An experiment splits what the environment serves: its control must be live there.
  await servedPrompt("expo-p", 2);
  id = (await createExperiment(f.ctx(f.approver), base("expo-p", { name: "Exposures", coverage: 0.8, seed: def.seed })))
    .id;
  await startExperiment(f.ctx(f.approver), id);
});

const exposures = async () =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from experiment_arm_exposures where experiment_id = ${id}`,
    )
  )[0]!.n;
const subjectIn = (key: string | null) => {
  for (let i = 0; ; i++) if ((assign(def, `u-${i}`)?.key ?? null) === key) return `u-${i}`;
};
const exposure = (n: string, subject: string, variant: string) => ({
  id: n,
  type: "exposure",
  prompt: "expo-p",
  version: variant === "B" ? 2 : 1,
  subject,
  environment: "staging",
  experimentId: id,
  variant,
});

describe("exposures and assignments", () => {
  it("counts an exposure of the subject's own variant", async () => {
    const a = subjectIn("A")!;
    expect(await ingestEvents(t.db, f.projectId, { events: [exposure("ok-a", a, "A")] })).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect(await exposures()).toBe(1);
  });

  it.each([
    ["another variant than the one assigned", () => exposure("bad-1", subjectIn("A")!, "B"), "assigned variant A"],
    [
      "a subject outside the experiment's coverage",
      () => exposure("bad-2", subjectIn(null)!, "B"),
      "not in experiment",
    ],
    [
      "the variant inferred from a version the subject was not assigned",
      () => {
        const { experimentId: _e, variant: _v, ...rest } = exposure("bad-3", subjectIn("B")!, "A");
        return rest;
      },
      "assigned variant B",
    ],
  ])("refuses %s, naming the event, and stores nothing", async (_, make, message) => {
    const before = await exposures();
    const ok = exposure(`fine-${Math.random()}`, subjectIn("B")!, "B");
    const err = await failure(ingestEvents(t.db, f.projectId, { events: [ok, make()] }));
    expect(err.code).toBe("unprocessable");
    const problems = err.details?.problems as { index: number; field: string; message: string }[];
    expect(problems).toEqual([{ index: 1, field: "variant", message: expect.stringContaining(message) }]);
    expect(await exposures()).toBe(before);
  });
});
