// One unit of a run (an item × repetition): render the version for the item, call the model within the
// item's deadline, score the answer, and write the result once (ON CONFLICT DO NOTHING, so a resumed
// job never counts a unit twice). A unit whose render or call fails is written with the error.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { evalRunItems } from "../../../db/schema";
import { isAppError } from "../../errors";
import { callModel } from "../../llm/call-model";
import { messageImages } from "../../llm/flatten";
import type { ModelCaller } from "../../llm/model-caller";
import type { ModelResult } from "../../llm/types";
import { servedRequest, type ServedVersion } from "../../runtime/render-as-served";
import type { itemsAtVersion } from "../datasets/item-reads";
import { erroredOutcomes, scoreItem, type NamedScorerSpec, type ScorerModels, type ScorerOutcome } from "../../scorers";
import type { EvalRunRow } from "./create";

export interface Unit {
  item: Awaited<ReturnType<typeof itemsAtVersion>>[number];
  repetition: number;
}

/** What every unit of one execution shares. */
export interface UnitEnv {
  db: Db;
  run: EvalRunRow;
  specs: NamedScorerSpec[];
  served: ServedVersion;
  caller: ModelCaller;
  scorerModels: ScorerModels;
  /** Aborted on cancel or interruption: the unit is then not written. */
  signal: AbortSignal;
  itemDeadlineMs: number;
  /** The baseline run's outputs (item → repetition → output), for a pairwise judge. */
  baseline?: BaselineOutputs;
}

export type BaselineOutputs = Map<string, Map<number, string>>;

/** The outputs of a baseline run that answered (an errored unit has nothing to compare with). */
export async function baselineOutputs(db: Db, runId: string): Promise<BaselineOutputs> {
  const rows = await db
    .select({ itemId: evalRunItems.itemId, repetition: evalRunItems.repetition, output: evalRunItems.output })
    .from(evalRunItems)
    .where(and(eq(evalRunItems.runId, runId), isNull(evalRunItems.error)));
  const out: BaselineOutputs = new Map();
  for (const r of rows) {
    if (r.output === null) continue;
    const reps = out.get(r.itemId) ?? new Map<number, string>();
    out.set(r.itemId, reps.set(r.repetition, r.output));
  }
  return out;
}

/** The baseline's answer to the same item: the same repetition when it ran that often, else its first. */
export const baselineOutput = (b: BaselineOutputs | undefined, unit: Pick<Unit, "item" | "repetition">) => {
  const reps = b?.get(unit.item.id);
  return reps?.get(unit.repetition) ?? reps?.get(Math.min(...reps.keys()));
};

type UnitResult = {
  output: string | null;
  score: number | null;
  passed: boolean;
  scores: ScorerOutcome[];
  latencyMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  error: string | null;
};

async function writeUnit(db: Db, run: EvalRunRow, unit: Unit, r: UnitResult): Promise<boolean> {
  const rows = await db
    .insert(evalRunItems)
    .values({ runId: run.id, itemId: unit.item.id, repetition: unit.repetition, position: unit.item.position, ...r })
    .onConflictDoNothing()
    .returning({ runId: evalRunItems.runId });
  return rows.length === 1;
}

const failed = (env: UnitEnv, message: string, result?: ModelResult): UnitResult => ({
  output: result?.text || null,
  score: null,
  passed: false,
  scores: erroredOutcomes(env.specs, message),
  latencyMs: result ? Math.round(result.latencyMs) : null,
  inputTokens: result?.usage.inputTokens ?? 0,
  outputTokens: result?.usage.outputTokens ?? 0,
  costUsd: result?.costUsd ?? null,
  error: message,
});

/** Runs one unit; true when this call wrote its row. */
export async function processUnit(env: UnitEnv, unit: Unit): Promise<boolean> {
  const { db, run, signal } = env;
  const input = unit.item.input as Record<string, unknown>;
  let request;
  try {
    request = servedRequest(env.served, input).request;
  } catch (e) {
    const message = `the version cannot be rendered for this item: ${isAppError(e) ? e.message : String(e)}`;
    return writeUnit(db, run, unit, failed(env, message));
  }
  // The item's deadline (model call and scoring): a model that never answers fails this item
  // instead of holding a worker for as long as the connection's timeout and retries allow.
  const deadline = AbortSignal.timeout(env.itemDeadlineMs);
  const itemSignal = AbortSignal.any([signal, deadline]);
  const result: ModelResult = await callModel(env.caller, { ...request, abortSignal: itemSignal });
  if (signal.aborted) return false;
  if (result.error) {
    const message = deadline.aborted
      ? `model call failed (timeout): no answer within the run-item deadline (${env.itemDeadlineMs / 1000} s)`
      : `model call failed (${result.error.kind}): ${result.error.message}`;
    return writeUnit(db, run, unit, failed(env, message, result));
  }
  const scored = await scoreItem(
    env.specs,
    {
      output: result.text,
      expected: unit.item.expected ?? undefined,
      input,
      // A judge sees the images the model saw (the template's and the item's image variables).
      images: messageImages(request.messages),
      ...(env.baseline && {
        baseline: baselineOutput(env.baseline, unit),
        sides: { output: "this run", baseline: "baseline run" },
      }),
      abortSignal: itemSignal,
      rerun: async () => (await callModel(env.caller, { ...request, abortSignal: itemSignal })).text,
    },
    { models: env.scorerModels },
  );
  if (signal.aborted) return false;
  const usage = scored.results.reduce(
    (s, o) => ({
      i: s.i + (o.usage?.inputTokens ?? 0),
      o: s.o + (o.usage?.outputTokens ?? 0),
      c: s.c + (o.usage?.costUsd ?? 0),
    }),
    { i: 0, o: 0, c: 0 },
  );
  const cost = result.costUsd === null && usage.c === 0 ? null : (result.costUsd ?? 0) + usage.c;
  return writeUnit(db, run, unit, {
    output: result.text,
    score: scored.score,
    passed: scored.passed,
    scores: scored.results,
    latencyMs: Math.round(result.latencyMs),
    inputTokens: result.usage.inputTokens + usage.i,
    outputTokens: result.usage.outputTokens + usage.o,
    costUsd: cost,
    error: null,
  });
}
