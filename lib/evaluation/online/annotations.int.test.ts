// People label sampled live outputs; each LLM-judge scorer's agreement with them (κ, the confusion
// table, the outputs where they disagree) and the warning below 30 labels or κ < 0.6. The judge scores
// through the local model server, as in production.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { annotations, auditLog } from "../../../db/schema";
import { code, failure } from "../../../test/domain-fixtures";
import { expectRefusedFields } from "../../../test/refused-fields";
import { f, generations, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { liveWithPoliteJudge, liveWithScorers, localScorerModels } from "../../../test/online-scoring-fixture";
import { judgeAgreement } from "./rule-agreement";
import { createApiKey } from "../../auth/api-keys";
import { createAnnotation, nextToLabel } from "./annotations";
import { getOnlineEvaluation } from "./rules";
import { listSamples, scorePendingSamples } from "./scoring";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

withOnlineDatabase("online-annotations");

let ruleId = "";
let samples: { id: number; output: string }[] = [];
const thanks = (s: { output: string }) => s.output.startsWith("Thank");

beforeAll(async () => {
  await liveWithPoliteJudge("ann");
  // The judge passes a thank-you (5/5) and fails the rest (2/5).
  server.script({
    rules: [
      { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
      { json: { reasoning: "Curt.", score: 2 } },
    ],
  });
  await generations("ann", 1, 36, 20);
  const models = localScorerModels();
  expect(await scorePendingSamples(t.db, () => models)).toMatchObject({ scored: 36, remaining: 0 });
  const r = await getOnlineEvaluation(t.db, f.projectId, "ann", "staging");
  ruleId = r.id;
  samples = (await listSamples(t.db, r.id, 1, { limit: 100 })).map((s) => ({ id: s.id, output: s.output }));
  expect(samples).toHaveLength(36);
});

describe("labelling sampled outputs", () => {
  it("refuses bad labels naming the field, and another project's output, changing nothing", async () => {
    const ed = f.ctx(f.editor);
    const cases: [unknown, string][] = [
      [{ sampleId: samples[0]!.id }, "score"],
      [{ sampleId: samples[0]!.id, label: "pass", score: 4 }, "score"],
      [{ sampleId: samples[0]!.id, score: 6 }, "score"],
      [{ sampleId: samples[0]!.id, score: 2.5 }, "score"],
      [{ sampleId: samples[0]!.id, score: "good" }, "score"],
      [{ sampleId: samples[0]!.id, score: null }, "score"],
      [{ sampleId: samples[0]!.id, label: "maybe" }, "label"],
      [{ sampleId: samples[0]!.id, label: "pass", comment: "x".repeat(2001) }, "comment"],
      [{ sampleId: "1; drop table annotations", label: "pass" }, "sampleId"],
    ];
    await expectRefusedFields((input) => createAnnotation(ed, input), cases);
    // The message says what a score may be.
    expect((await failure(createAnnotation(ed, { sampleId: samples[0]!.id, score: "good" }))).message).toBe(
      'score must be on the judge\'s scale: 0 or 1 for a 0–1 judge, a whole number from 1 to 5 for a 1–5 judge, or "pass" / "fail" (true / false)',
    );
    // This rule's judge scores 1 to 5: 0 is not on its scale.
    const zero = await failure(createAnnotation(ed, { sampleId: samples[0]!.id, score: 0 }));
    expect([zero.code, zero.message]).toEqual([
      "invalid_input",
      'score 0 is not on this output\'s judges\' scale: they score from 1 to 5, so a label is a whole number from 1 to 5 (or "pass" / "fail", true / false).',
    ]);
    expect(await code(createAnnotation(ed, { sampleId: 999_999_999, label: "pass" }))).toBe("not_found");
    expect(await t.db.select().from(annotations)).toEqual([]);
  });

  it("keeps one label per person and output, a score with source human, with who and when, audited", async () => {
    const ed = f.ctx(f.editor);
    const first = await createAnnotation(ed, { sampleId: samples[0]!.id, score: "fail", comment: "typo" });
    expect(first).toMatchObject({ source: "human", scale: "pass_fail", score: 0, label: "fail", comment: "typo" });
    const again = await createAnnotation(ed, { sampleId: samples[0]!.id, label: "pass" });
    expect(again).toMatchObject({
      id: first.id,
      source: "human",
      scale: "pass_fail",
      score: 1,
      label: "pass",
      value: 1,
      comment: "",
      by: f.editor.label,
    });
    expect(Date.parse(again.at)).toBeGreaterThanOrEqual(Date.parse(first.at));
    const rows = await t.db.select().from(annotations).where(eq(annotations.sampleId, samples[0]!.id));
    expect(rows).toHaveLength(1);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "annotation.create"));
    expect(audit).toHaveLength(2);
  });

  it("counts people, not keys: a member's keys label as the member, the latest label counts", async () => {
    const keyActor = async (name: string) => {
      const k = await createApiKey(projectContext(t.db, f.admin, f.projectId, noEvents), { name, scope: "admin" });
      return f.ctx({ type: "api_key", id: k.id, label: name, scope: "admin" });
    };
    const target = { sampleId: samples[1]!.id };
    await createAnnotation(f.ctx(f.admin), { ...target, label: "fail" });
    for (const name of ["labels-1", "labels-2", "labels-3"])
      await createAnnotation(await keyActor(name), { ...target, label: "pass" });
    const rows = await t.db.select().from(annotations).where(eq(annotations.sampleId, samples[1]!.id));
    expect(rows.map((r) => [r.labeller, r.value, r.labellerName])).toEqual([
      [`user:${f.admin.id}`, 1, `${f.admin.label} (API key labels-3)`],
    ]);
    await t.db.delete(annotations).where(eq(annotations.sampleId, samples[1]!.id));
  });

  it("offers the next output this person has not labelled, with the judge's rubric", async () => {
    const next = await nextToLabel(f.ctx(f.editor), ruleId);
    expect(next).toMatchObject({ prompt: "ann", environment: "staging" });
    expect(next.rubrics).toEqual([{ scorer: "polite", rubric: "Is the reply polite and personal?" }]);
    expect(next.labelled).toEqual({ you: 1, everyone: 1 });
    expect(next.sample!.id).not.toBe(samples[0]!.id);
    expect(next.sample!.input).toEqual({ customer: "Ana" });
    expect(await code(nextToLabel(f.ctx(f.editor), "not-a-rule"))).toBe("not_found");
  });
});

describe("a judge's agreement with people", () => {
  it("warns below 30 labels", async () => {
    const [a] = (await judgeAgreement(t.db, f.projectId, ruleId)).judges;
    expect(a).toMatchObject({ scorer: "polite", labels: 1 });
    expect(a!.warning).toBe("Only 1 label: at least 30 are needed before the agreement means much.");
  });

  it("gives κ, the confusion table and the outputs they disagree on, from 32 labels", async () => {
    // The person agrees with the judge except on four outputs: two thank-yous they fail, two curt ones they pass.
    const labelled = samples.slice(0, 32);
    let wrongPass = 0;
    let wrongFail = 0;
    for (const s of labelled) {
      let pass = thanks(s);
      if (pass && wrongFail < 2 && s.id !== samples[0]!.id) {
        pass = false;
        wrongFail++;
      } else if (!pass && wrongPass < 2) {
        pass = true;
        wrongPass++;
      }
      await createAnnotation(f.ctx(f.editor), {
        sampleId: s.id,
        label: pass ? "pass" : "fail",
        comment: pass === thanks(s) ? "" : "disagree",
      });
    }
    const [a] = (await judgeAgreement(t.db, f.projectId, ruleId, { scorer: "polite" })).judges;
    const judgePass = labelled.filter(thanks).length;
    const judgeFail = 32 - judgePass;
    // Rows: people (fail, pass); columns: the judge (fail, pass).
    expect(a!.passFail!.confusion).toEqual({
      categories: ["fail", "pass"],
      counts: [
        [judgeFail - 2, 2],
        [2, judgePass - 2],
      ],
    });
    // κ by hand: observed 28/32, chance from the marginals (both raters have the same ones here).
    const pe = (judgeFail / 32) ** 2 + (judgePass / 32) ** 2;
    expect(a!.passFail!.kappa).toBeCloseTo((28 / 32 - pe) / (1 - pe), 12);
    expect(a!.labels).toBe(32);
    expect(a!.disagreements).toHaveLength(4);
    expect(a!.disagreements.every((d) => d.comment === "disagree")).toBe(true);
    expect(a!.disagreements[0]).toMatchObject({ reason: expect.stringMatching(/judge-1 gave/) });
    // A sampled live output is named by sampleId; runItemId is for a run's outputs.
    const ids = new Set(labelled.map((s) => s.id));
    expect(a!.disagreements.every((d) => d.runItemId === null && ids.has(d.sampleId!))).toBe(true);
    expect(a!.passFail!.kappa).toBeGreaterThan(0.6);
    // The answer's top level has the judge flat: {labels, kappa, confusion, disagreements}.
    const flat = await judgeAgreement(t.db, f.projectId, ruleId);
    expect(flat).toMatchObject({
      rule: ruleId,
      scorer: "polite",
      labels: 32,
      kappa: a!.passFail!.kappa,
      confusion: a!.passFail!.confusion,
      disagreements: a!.disagreements,
      warning: null,
    });
    expect(flat).not.toHaveProperty("weightedKappa");
    expect(a!.passFail!.strength).toBe("substantial");
    expect(a!.warning).toBeNull();
  });

  it("reads 1–5 labels against the judge's score on the same scale (weighted κ, Spearman)", async () => {
    // The approver scores on a scale: 5 where the judge gave 5/5, 2 where it gave 2/5, on 30 outputs.
    for (const s of samples.slice(0, 30))
      await createAnnotation(f.ctx(f.approver), { sampleId: s.id, score: thanks(s) ? 5 : 2 });
    const [a] = (await judgeAgreement(t.db, f.projectId, ruleId)).judges;
    expect(a!.scale).toMatchObject({ labels: 30, weightedKappa: 1, spearman: 1 });
    // κ stays the pass/fail one, and so does the count of labels it rests on; the weighted κ joins it at the top.
    expect(await judgeAgreement(t.db, f.projectId, ruleId)).toMatchObject({
      labels: 32,
      kappa: a!.passFail!.kappa,
      weightedKappa: 1,
    });
    expect(a!.labels).toBe(32);
    expect(await code(judgeAgreement(t.db, f.projectId, ruleId, { scorer: "nope" }))).toBe("not_found");
  });

  it("warns below 30 pass/fail labels however many 1–5 labels there are", async () => {
    // The editor turns ten of their pass/fail labels into scores (a label per person and output, so
    // these replace them): 22 pass/fail labels and 40 scores, 62 in all.
    for (const s of samples.slice(0, 10))
      await createAnnotation(f.ctx(f.editor), { sampleId: s.id, score: thanks(s) ? 5 : 2 });
    const [a] = (await judgeAgreement(t.db, f.projectId, ruleId)).judges;
    expect(a!.passFail!.labels).toBe(22);
    expect(a!.scale!.labels).toBe(40);
    expect(a!.labels).toBe(22);
    expect(a!.kappa).toBe(a!.passFail!.kappa);
    expect(a!.warning).toBe(
      "Only 22 pass/fail labels: at least 30 are needed before the agreement means much (the 40 scores on 1–5 count apart).",
    );
  });
});

describe("a label's score", () => {
  it.each([
    [true, "pass_fail", 1, "pass"],
    [false, "pass_fail", 0, "fail"],
    ["pass", "pass_fail", 1, "pass"],
    [4, "scale_5", 4, null],
  ] as const)("takes score %j as a %s label", async (score, scale, value, label) => {
    const other = f.ctx(f.editor2);
    const dto = await createAnnotation(other, { sampleId: samples[35]!.id, score });
    expect(dto).toMatchObject({ source: "human", scale, score: value, value, label, by: f.editor2.label });
  });
});

describe("labels on a 0–1 judge's scale", () => {
  it("reads 0 and 1 as fail and pass (pass/fail labels), refuses 2 to 5 naming the scale", async () => {
    await liveWithScorers("ann01", [
      { type: "llm_judge", name: "ok", model: "judge-1", rubric: "Is it fine?", scale: "0-1" },
    ]);
    await generations("ann01", 1, 3, 3);
    const r = await getOnlineEvaluation(t.db, f.projectId, "ann01", "staging");
    const [a, b, c] = await listSamples(t.db, r.id, 1, { limit: 3 });
    const ed = f.ctx(f.editor);
    expect(await createAnnotation(ed, { sampleId: a!.id, score: 1 })).toMatchObject({
      scale: "pass_fail",
      label: "pass",
    });
    expect(await createAnnotation(ed, { sampleId: b!.id, score: 0 })).toMatchObject({
      scale: "pass_fail",
      label: "fail",
    });
    const three = await failure(createAnnotation(ed, { sampleId: c!.id, score: 3 }));
    expect([three.code, three.message]).toEqual([
      "invalid_input",
      'score 3 is not on this output\'s judges\' scale: they score from 0 to 1, so a label is 0 or 1 (or "pass" / "fail", true / false).',
    ]);
    expect(await createAnnotation(ed, { sampleId: c!.id, score: true })).toMatchObject({
      scale: "pass_fail",
      label: "pass",
    });
  });
});
