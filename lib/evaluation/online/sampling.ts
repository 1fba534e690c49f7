// Which production outputs online evaluation scores: a generation event with an output is sampled
// when the hash of its id falls under the rule's rate — deterministic, so every instance (and a
// resent event) decides the same. Sampled events are stored for scoring in the ingest transaction.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { environments, onlineEvalRules, onlineSamples } from "../../../db/schema";
import { hash } from "../../stats/hash";
import type { SampleInput } from "./contracts";

/** In or out, by the event's id alone (GrowthBook hash v2 with a fixed seed, in [0, 1)). */
export function isSampled(eventId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return (hash("lectern-online-eval", eventId, 2) ?? 1) < rate;
}

export type GenerationOutput = {
  eventId: string;
  promptId: string;
  version: number;
  /** The composition's partials (`name@version,…`) when the event said, else null. */
  partials: string | null;
  environment: string;
  subject: string | null;
  input: SampleInput | null;
  output: string;
  at: Date;
};

/** Stores the sampled outputs of the rules that apply; returns how many were sampled. */
export async function sampleOutputs(tx: Db, projectId: string, outputs: GenerationOutput[]): Promise<number> {
  if (!outputs.length) return 0;
  const rules = await tx
    .select({
      id: onlineEvalRules.id,
      promptId: onlineEvalRules.promptId,
      environment: environments.name,
      sampleRate: onlineEvalRules.sampleRate,
    })
    .from(onlineEvalRules)
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(
      and(
        eq(onlineEvalRules.projectId, projectId),
        inArray(onlineEvalRules.promptId, [...new Set(outputs.map((o) => o.promptId))]),
      ),
    );
  if (!rules.length) return 0;
  const rows = outputs.flatMap((o) => {
    const rule = rules.find((r) => r.promptId === o.promptId && r.environment === o.environment);
    return rule && isSampled(o.eventId, rule.sampleRate) ? [{ projectId, ruleId: rule.id, ...o }] : [];
  });
  if (!rows.length) return 0;
  const inserted = await tx
    .insert(onlineSamples)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: onlineSamples.id });
  return inserted.length;
}
