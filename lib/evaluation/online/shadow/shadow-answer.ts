// Shadow evaluation, one answer: the candidate rendered with a sample's variables (the one render path;
// a composition with its partial versions) and called through the rule's shadow connection, its answer
// scored by the rule's scorers and, when the rule has one, by the pairwise judge against the live answer
// (both orders, each order's verdict kept).
// A failure is kept with its reason and the calls it spent. The job around it: shadow.ts.
import { messageImages } from "../../../llm/flatten";
import { scoreItem, type ScorerModels, type ScorerOutcome } from "../../../scorers";
import type { PairwiseSide } from "../../../scorers/types";
import { servedRequest, type ServedVersion } from "../../../runtime/render-as-served";
import type { ShadowConfig, ShadowPreference, ShadowScore, ShadowSide } from "../contracts";
import type { shadowResults } from "../../../../db/schema";
import { candidateWords } from "./shadow-compositions";
import { callsPerAnswer } from "./shadow-config";

export type ShadowTask = {
  rule: {
    id: string;
    projectId: string;
    scorers: Parameters<typeof scoreItem>[0];
    shadow: ShadowConfig;
  };
  candidate: ServedVersion;
  /** Partial versions the candidate is rendered with instead of the environment's ({} for a plain version). */
  partials: Record<string, number>;
  sample: {
    id: number;
    version: number;
    input: Record<string, unknown>;
    output: string;
    latencyMs: number | null;
    costUsd: number | null;
  };
};
type ShadowRow = typeof shadowResults.$inferInsert;

const unit = (x: number) => Math.min(1, Math.max(0, x));
const cost = (results: readonly { usage?: { costUsd: number | null } }[]) =>
  results.reduce((s, r) => s + (r.usage?.costUsd ?? 0), 0);

/** The candidate's answer to one sample, scored; a failure is kept with its reason (and its calls). */
export async function answer(
  { rule, candidate, partials, sample }: ShadowTask,
  models: ScorerModels,
): Promise<ShadowRow> {
  const words = candidateWords({ version: candidate.version, partials });
  const base = {
    projectId: rule.projectId,
    ruleId: rule.id,
    sampleId: sample.id,
    candidateVersion: candidate.version,
    candidatePartials: partials,
    liveVersion: sample.version,
    liveLatencyMs: sample.latencyMs,
    liveCostUsd: sample.costUsd,
  };
  let request;
  try {
    request = servedRequest(candidate, sample.input).request;
  } catch (e) {
    // A partial not live here or a variable the live version did not send: no call was made.
    return {
      ...base,
      status: "failed" as const,
      error: `could not render ${words}: ${message(e)}`,
      calls: 0,
    };
  }
  const generated = await models.generate(rule.shadow.connection ?? undefined, request);
  if (generated.error || generated.finishReason === "error")
    return {
      ...base,
      status: "failed" as const,
      error: `${words} did not answer: ${generated.error?.message ?? "the model call failed"}`,
      // One call, however often the connection retried it (as a done answer counts its calls), so an
      // answer never spends more calls than it held.
      calls: 1,
      costUsd: generated.costUsd,
      answerCostUsd: generated.costUsd,
    };
  const output = generated.text;
  const rerun = async () => (await models.generate(rule.shadow.connection ?? undefined, request)).text;
  // Judges see the images the candidate was shown (the live version got the same variables).
  const images = messageImages(request.messages);
  const [item, judged] = await Promise.all([
    scoreItem(rule.scorers, { output, input: sample.input, images, rerun }, { models }),
    rule.shadow.judge
      ? scoreItem(
          [rule.shadow.judge],
          {
            output,
            baseline: sample.output,
            input: sample.input,
            images,
            sides: { output: `candidate ${words}`, baseline: `live answer (v${sample.version})` },
          },
          { models },
        )
      : null,
  ]);
  const preference = preferenceOf(judged?.results[0]);
  return {
    ...base,
    status: "done" as const,
    output,
    score: item.score === null ? null : unit(item.score),
    scores: item.results.map(shadowScore),
    preference,
    latencyMs: Math.round(generated.latencyMs),
    costUsd: spentUsd(generated.costUsd, cost(item.results) + cost(judged?.results ?? [])),
    answerCostUsd: generated.costUsd,
    calls: callsPerAnswer(rule.shadow, rule.scorers),
  };
}

/** The pairwise judge's preference between the candidate's answer and the live one, as stored. */
function preferenceOf(judge: ScorerOutcome | undefined): ShadowPreference | null {
  return !judge
    ? null
    : judge.error !== undefined
      ? { error: judge.error }
      : {
          winner: judge.score >= 1 ? "candidate" : judge.score <= 0 ? "live" : "tie",
          reason: judge.reason,
          ...(judge.order
            ? { orders: { candidateFirst: side(judge.order.forward), liveFirst: side(judge.order.reverse) } }
            : {}),
        };
}

const shadowScore = (r: ScorerOutcome): ShadowScore => ({
  name: r.name,
  type: r.type,
  weight: r.weight,
  threshold: r.threshold,
  score: unit(r.score),
  passed: r.passed,
  reason: r.reason,
  ...(r.error !== undefined ? { error: r.error } : {}),
});

/** What an answer cost; null when the candidate's model has no known price and nothing else was priced. */
const spentUsd = (answerUsd: number | null, scoringUsd: number) =>
  answerUsd === null && scoringUsd === 0 ? null : (answerUsd ?? 0) + scoringUsd;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The judge's side in the shadow's words: the output scored is the candidate's, the baseline the live one. */
const side = (s: PairwiseSide): ShadowSide => (s === "output" ? "candidate" : s === "baseline" ? "live" : "tie");
