// One sampled output scored by its rule's scorers, and the outcome stored: its scores and status in one
// transaction, a judge that could not answer retried (up to maxAttempts), an error kept on the sample.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { onlineEvalRules, onlineSamples, onlineScores, prompts, promptVersions } from "../../../db/schema";
import { isPlainObject } from "../../registry/json";
import { messageImages } from "../../llm/flatten";
import { loadServedVersion, servedRequest, type ServedVersion } from "../../runtime/render-as-served";
import { isDeterministic, scoreItem, scoreItemSync, type ScorerModels } from "../../scorers";

/** The images a served version sends for these variables; [] when it cannot render them. */
function renderedImages(version: ServedVersion, input: Record<string, unknown>): string[] {
  try {
    return messageImages(servedRequest(version, input).request.messages);
  } catch {
    return [];
  }
}

export const maxAttempts = 3;
// Scores are on 0–1 (a database check); float noise from similarity scorers is clamped, not rejected.
const unit = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.min(1, Math.max(0, x)));

type Sample = typeof onlineSamples.$inferSelect;
export type PendingSample = {
  sample: Sample;
  scorers: (typeof onlineEvalRules.$inferSelect)["scorers"];
  environment: string;
};
/** What a run looks up once per project (its models) and once per version and environment (the served version). */
export type ScoringLookups = {
  modelsOf: (projectId: string) => Promise<ScorerModels | undefined>;
  servedOf: (sample: Sample, environment: string) => Promise<ServedVersion | null>;
};

/** Scores one pending sample and stores the outcome: "scored", "failed" or "retrying". */
export async function scoreSample(
  db: Db,
  { sample, scorers: specs, environment }: PendingSample,
  { modelsOf, servedOf }: ScoringLookups,
): Promise<"scored" | "failed" | "retrying"> {
  try {
    const input = sample.input ?? undefined;
    const ctx: Parameters<typeof scoreItem>[1] = { output: sample.output, input };
    // Re-running the prompt needs its variables: an input that is the user's message or the messages cannot.
    if (isPlainObject(input) && specs.some((s) => s.type === "consistency")) {
      const version = await servedOf(sample, environment);
      const models = await modelsOf(sample.projectId);
      if (version && models)
        ctx.rerun = async () => (await models.generate(undefined, servedRequest(version, input).request)).text;
    }
    // A judge sees the images the live version sent with these variables (none when it cannot render).
    if (isPlainObject(input) && specs.some((s) => s.type === "llm_judge")) {
      const version = await servedOf(sample, environment);
      if (version) ctx.images = renderedImages(version, input);
    }
    const item = specs.every((s) => isDeterministic(s.type))
      ? scoreItemSync(specs, ctx)
      : await scoreItem(specs, ctx, { models: await modelsOf(sample.projectId) });
    // A judge that could not answer is retried; every other result is final.
    const retry = item.results.some((r) => r.error && r.type === "llm_judge") && sample.attempts + 1 < maxAttempts;
    await saveOutcome(db, sample, item, retry);
    return retry ? "retrying" : item.score === null ? "failed" : "scored";
  } catch (e) {
    await db
      .update(onlineSamples)
      .set({
        attempts: sample.attempts + 1,
        error: (e as Error).message.slice(0, 500),
        status: sample.attempts + 1 >= maxAttempts ? "failed" : "pending",
      })
      .where(eq(onlineSamples.id, sample.id));
    return "failed";
  }
}

async function saveOutcome(db: Db, sample: Sample, item: Awaited<ReturnType<typeof scoreItem>>, retry: boolean) {
  await db.transaction(async (tx) => {
    if (!retry && item.results.length)
      await tx
        .insert(onlineScores)
        .values(
          item.results.map((r) => ({
            sampleId: sample.id,
            scorer: r.name,
            score: r.error ? null : unit(r.score),
            passed: r.error ? null : (r.passed ?? null),
            reason: r.error ?? r.reason,
          })),
        )
        .onConflictDoNothing();
    await tx
      .update(onlineSamples)
      .set(
        retry
          ? { attempts: sample.attempts + 1 }
          : {
              status: item.score === null ? "failed" : "scored",
              score: unit(item.score),
              attempts: sample.attempts + 1,
              scoredAt: new Date(),
              error: item.score === null ? "no scorer could judge this output" : null,
            },
      )
      .where(eq(onlineSamples.id, sample.id));
  });
}

/** The sample's version as the rule's environment serves it, or null when it cannot be loaded. */
export async function loadServed(
  db: Db,
  s: typeof onlineSamples.$inferSelect,
  environment: string,
): Promise<ServedVersion | null> {
  const v = await versionOf(db, s.promptId, s.version);
  return v && loadServedVersion(db, s.projectId, v, environment).catch(() => null);
}

/** A version of a prompt (by the prompt's id): its name, number and content, or null when there is none. */
export async function versionOf(db: Db, promptId: string, version: number) {
  const [row] = await db
    .select({ name: prompts.name, content: promptVersions.content })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)));
  return row ? { name: row.name, version, content: row.content } : null;
}
