// Namespaces: experiments on different prompts that must not share subjects own disjoint shares of one
// hash space. Overlaps are refused when defined and (under a lock) when started; resolve keeps a subject in
// at most one of them; exposures of subjects outside a share are refused; stopping releases the share.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { ingestEvents } from "../ingest/ingest";
import { chooseArm } from "../runtime/experiment-arms";
import { experimentDefinitionJson } from "../runtime/experiment-arms";
import { loadResolved } from "../runtime/load";
import { inNamespace } from "./assign";
import { startExperiment, stopExperiment } from "./lifecycle";
import { listExperimentNamespaces } from "./namespaces";
import { createExperiment, getExperiment } from "./store";
import { experimentDto } from "./dto";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-namespaces");

const inNs = (name: string, range: [number, number]) => ({ namespace: { name, range } });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("accepted");
}

describe("namespaces", () => {
  it("keeps a subject in at most one running experiment of a namespace, across prompts", async () => {
    await servedPrompt("ns-tone", 2);
    await servedPrompt("ns-length", 2);
    const a = await createExperiment(f.ctx(f.approver), { ...base("ns-tone"), ...inNs("checkout", [0, 0.5]) });
    await startExperiment(f.ctx(f.approver), a.id);
    expect(experimentDto(await getExperiment(t.db, f.projectId, a.id)).namespace).toEqual({
      name: "checkout",
      range: [0, 0.5],
    });

    // Overlapping a running experiment's share: refused at once, naming it and what is free; nothing written.
    const clash = await refusal(
      createExperiment(f.ctx(f.approver), { ...base("ns-length"), ...inNs("checkout", [0.4, 0.8]) }),
    );
    expect(clash.code).toBe("conflict");
    expect(clash.message).toContain('40–80% of namespace "checkout" overlaps running experiment "Test ns-tone"');
    expect(clash.message).toContain("Free: 50–100%.");
    expect(clash.details).toMatchObject({ field: "namespace.range", free: [[0.5, 1]] });
    expect((await listExperimentNamespaces(t.db, f.projectId, "checkout"))[0]!.experiments).toHaveLength(1);

    const b = await createExperiment(f.ctx(f.approver), { ...base("ns-length"), ...inNs("checkout", [0.5, 1]) });
    await startExperiment(f.ctx(f.approver), b.id);
    const [usage] = await listExperimentNamespaces(t.db, f.projectId);
    expect(usage).toMatchObject({ name: "checkout", free: [] });
    expect(usage!.experiments.map((x) => [x.prompt, x.status, x.range])).toEqual([
      ["ns-tone", "running", [0, 0.5]],
      ["ns-length", "running", [0.5, 1]],
    ]);

    // Resolve: each subject is in exactly one of the two (the shares cover the namespace), never both.
    const tone = await loadResolved(t.db, f.projectId, "ns-tone", "staging");
    const length = await loadResolved(t.db, f.projectId, "ns-length", "staging");
    expect(tone.experiment?.namespace).toEqual({ name: "checkout", range: [0, 0.5] });
    let inTone = 0;
    for (let i = 0; i < 2000; i++) {
      const s = `user-${i}`;
      const x = chooseArm(tone, s);
      const y = chooseArm(length, s);
      if (x === "sticky" || y === "sticky") throw new Error("not a bandit");
      expect(Boolean(x.experiment) !== Boolean(y.experiment)).toBe(true);
      expect(Boolean(x.experiment)).toBe(inNamespace(s, { name: "checkout", range: [0, 0.5] }));
      if (x.experiment) inTone++;
      // Outside the share: what the environment serves, and the answer still depends on the subject.
      else expect(x).toMatchObject({ subjectDependent: true, arm: { version: 1 } });
    }
    expect(inTone / 2000).toBeGreaterThan(0.45);
    expect(inTone / 2000).toBeLessThan(0.55);
    // SDKs get the share, and a value that clients predating namespaces do not assign locally.
    expect(JSON.parse(experimentDefinitionJson(tone.experiment!, new Date()))).toMatchObject({
      assignment: "hash+namespace",
      namespace: { name: "checkout", range: [0, 0.5] },
    });

    // An exposure an application reports for a subject outside the share is refused.
    const outside = Array.from({ length: 50 }, (_, i) => `user-${i}`).find(
      (s) => !inNamespace(s, { name: "checkout", range: [0, 0.5] }),
    )!;
    const r = await ingestEvents(t.db, f.projectId, {
      events: [
        {
          id: "exp-outside",
          type: "exposure",
          prompt: "ns-tone",
          version: 1,
          environment: "staging",
          subject: outside,
          experimentId: a.id,
          variant: "A",
          phase: 1,
        },
      ],
    }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(AppError);
    expect(JSON.stringify((r as AppError).details)).toContain("outside its coverage or namespace share");

    // Stopping releases the share: a new experiment may take it.
    await stopExperiment(f.ctx(f.approver), a.id, { decision: { keep: "control" } });
    expect((await listExperimentNamespaces(t.db, f.projectId, "checkout"))[0]!.free).toEqual([[0, 0.5]]);
    const c = await createExperiment(f.ctx(f.approver), { ...base("ns-tone"), ...inNs("checkout", [0.1, 0.3]) });
    await startExperiment(f.ctx(f.approver), c.id);
  });

  it("two overlapping drafts cannot both start, even at the same moment", async () => {
    await servedPrompt("ns-race-1", 2);
    await servedPrompt("ns-race-2", 2);
    const one = await createExperiment(f.ctx(f.approver), { ...base("ns-race-1"), ...inNs("race", [0, 0.6]) });
    const two = await createExperiment(f.ctx(f.approver), { ...base("ns-race-2"), ...inNs("race", [0.5, 1]) });
    const results = await Promise.allSettled([
      startExperiment(f.ctx(f.approver), one.id),
      startExperiment(f.ctx(f.approver), two.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe("conflict");
    expect((refused.reason as AppError).message).toMatch(/overlaps running experiment/);
    const [usage] = await listExperimentNamespaces(t.db, f.projectId, "race");
    expect(usage!.experiments.filter((x) => x.status === "running")).toHaveLength(1);
  });

  it("refuses a share that is empty or outside [0, 1], naming the field", async () => {
    await servedPrompt("ns-bad", 2);
    for (const [ns, field] of [
      [{ name: "x", range: [0.5, 0.5] }, "namespace.range"],
      [{ name: "x", range: [0.2, 1.5] }, "namespace.range.1"],
      [{ name: "Bad Name", range: [0, 1] }, "namespace.name"],
      [{ name: "x" }, "namespace.range"],
    ] as const) {
      const e = await refusal(createExperiment(f.ctx(f.approver), { ...base("ns-bad"), namespace: ns } as never));
      expect(e.details?.field).toBe(field);
    }
  });
});
