// An automatic rollback that relies on an LLM judge says how far people trust it: its alert carries the
// judge's agreement (κ and labels), and warns below 30 labels or κ < 0.6; the online page's read model
// shows the same before anything happens. The judge scores through the local model server.
import { describe, expect, it } from "vitest";
import { createModelCaller } from "../../llm/model-caller";
import { noEvents } from "../../announcements";
import { promoteVersion } from "../../release/promote";
import { getPrompt } from "../../registry/prompts";
import { createScorerModels } from "../../scorers";
import { liveVersion } from "../../../test/domain-fixtures";
import {
  decisionFor,
  f,
  generations,
  promptLiveIn,
  rule,
  server,
  t,
  withOnlineDatabase,
} from "../../../test/online-fixture";
import { listAlerts } from "./alerts";
import { createAnnotation } from "./annotations";
import { runRegressionChecks } from "./loop/loop";
import { onlineOverview } from "./overview";
import { listSamples, scorePendingSamples } from "./scoring";
import { getOnlineEvaluation, putOnlineEvaluation } from "./rules";
import { projectContext } from "../../context";

withOnlineDatabase("online-judge-trust");

const judge = { type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" };

async function scoreAll() {
  const caller = createModelCaller({
    id: "default",
    name: "Local",
    provider: "openai-compatible",
    baseUrl: server.baseUrl,
    maxRetries: 0,
  });
  const models = createScorerModels(() => caller);
  await scorePendingSamples(t.db, () => models);
}

/** v1 live and judged good (90% thank), then v2 live and judged bad (20%): past the rollback threshold. */
async function regression(name: string, labels: (output: string) => "pass" | "fail" | null) {
  await promptLiveIn(name, 2, 1);
  await putOnlineEvaluation(f.ctx(f.approver), name, rule({ scorers: [judge] }));
  server.script({
    rules: [
      { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
      { json: { reasoning: "Curt.", score: 1 } },
    ],
  });
  await generations(name, 1, 40, 36);
  await scoreAll();
  const r = await getOnlineEvaluation(t.db, f.projectId, name, "staging");
  for (const s of await listSamples(t.db, r.id, 1, { limit: 100 })) {
    const label = labels(s.output);
    if (label) await createAnnotation(f.ctx(f.editor), { sampleId: s.id, label });
  }
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 2 });
  await generations(name, 2, 40, 8);
  await scoreAll();
  return r.id;
}

const overviewOf = async (name: string) => {
  const prompt = await getPrompt(t.db, f.projectId, name);
  return onlineOverview(
    projectContext(t.db, f.admin, f.projectId, noEvents),
    { id: prompt.id, name },
    { environment: "staging" },
  );
};

describe("an automatic rollback that relies on an LLM judge", () => {
  it("warns, in the alert and on the page, when nobody has checked the judge", async () => {
    await regression("jt-unchecked", () => null);
    expect((await overviewOf("jt-unchecked")).rollbackJudges).toEqual([
      {
        scorer: "polite",
        labels: 0,
        kappa: null,
        warning: "Only 0 labels: at least 30 are needed before the agreement means much.",
        source: null,
        sentence:
          "LLM judge polite is not checked well enough against people: only 0 labels: at least 30 are needed before the agreement means much.",
      },
    ]);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "jt-unchecked");
    expect(d.action).toBe("rolled_back");
    expect(await liveVersion(t.db, f, "jt-unchecked", "staging")).toBe(1);
    const [alert] = await listAlerts(t.db, f.projectId, { prompt: "jt-unchecked" });
    expect(alert).toMatchObject({ kind: "auto_rollback", details: { judges: [{ scorer: "polite", labels: 0 }] } });
    expect(alert!.message).toMatch(
      / LLM judge polite is not checked well enough against people: only 0 labels: at least 30 are needed before the agreement means much\.$/,
    );
  });

  it("states the judge's κ when people agree with it", async () => {
    // The editor labels the 40 outputs as the judge did, but for two thank-yous they found stiff.
    let stiff = 2;
    await regression("jt-checked", (output) => (output.startsWith("Thank") ? (stiff-- > 0 ? "fail" : "pass") : "fail"));
    const [trust] = (await overviewOf("jt-checked")).rollbackJudges;
    // 36 pass by the judge, 34 by the editor, 4 fail by both: p_o = 38/40, p_e = (36·34 + 4·6)/40².
    const po = 38 / 40;
    const pe = (36 * 34 + 4 * 6) / 40 ** 2;
    expect(trust).toMatchObject({ scorer: "polite", labels: 40, warning: null });
    expect(trust!.kappa).toBeCloseTo((po - pe) / (1 - pe), 10);
    await runRegressionChecks(t.db, noEvents);
    const [alert] = await listAlerts(t.db, f.projectId, { prompt: "jt-checked" });
    expect(alert!.kind).toBe("auto_rollback");
    expect(alert!.message).toMatch(
      new RegExp(
        ` LLM judge polite agrees with people at κ ${((po - pe) / (1 - pe)).toFixed(2)} \\(substantial, 40 labels\\)\\.$`,
      ),
    );
  });

  it("says nothing about judges when the rule has none, or when rollback is off", async () => {
    await promptLiveIn("jt-none", 1, 1);
    await putOnlineEvaluation(f.ctx(f.approver), "jt-none", rule());
    expect((await overviewOf("jt-none")).rollbackJudges).toEqual([]);
    await promptLiveIn("jt-off", 1, 1);
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "jt-off",
      rule({ scorers: [judge], rollback: { enabled: false, maxDrop: 0.3, cooldownMinutes: 60 } }),
    );
    expect((await overviewOf("jt-off")).rollbackJudges).toEqual([]);
  });
});
