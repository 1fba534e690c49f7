// Shared by the online-evaluation tests that score samples (lib/evaluation/online/annotations.int.test.ts,
// scoring.int.test.ts): a live prompt with an online rule of given scorers (or the LLM judge "polite"),
// and scorer models that call the local model server. On ./online-fixture's database and server.
import { putOnlineEvaluation, type OnlineEvalInput } from "../lib/evaluation/online/rules";
import { f, promptLiveIn, rule, server } from "./online-fixture";
import { scorerModelsOn } from "./scorer-models";

/** Version 1 of `name` live in staging, with an online rule (./online-fixture's `rule`) of these scorers. */
export async function liveWithScorers(name: string, scorers: OnlineEvalInput["scorers"]) {
  await promptLiveIn(name, 1, 1);
  await putOnlineEvaluation(f.ctx(f.approver), name, rule({ scorers }));
}

/** Version 1 of `name` live in staging, with an online rule whose one scorer is the LLM judge "polite". */
export const liveWithPoliteJudge = (name: string) =>
  liveWithScorers(name, [
    { type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" },
  ]);

/** Scorer models that all call the local model server, with no retries. */
export const localScorerModels = () => scorerModelsOn(server);
