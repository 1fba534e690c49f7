// Reads of guarded rollouts: one with what its guardrails read now, and a prompt's rollouts. Both read the
// rollout's hourly aggregates over all its steps (O(arms × metrics × hours)), never raw events or subjects.
import { and, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { environments, experiments, prompts } from "../../db/schema";
import { AppError } from "../errors";
import { getPrompt } from "../registry/prompts";
import type { GuardrailInput } from "./rollout-decide";
import { LIVE, NEW, rolloutDto, rolloutGuardrailReadingSchema, rolloutSchema, rolloutStatus } from "./rollout-state";
import { experimentResults } from "./results";
import { getExperiment, type Experiment } from "./store";

/** A rollout of this project, or 404 (an experiment that is not a rollout is not one). */
export async function getRollout(ctx: { db: Db; projectId: string }, id: string): Promise<Experiment> {
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  if (e.kind !== "rollout" || !e.rollout) throw new AppError("not_found", `No rollout with id ${id}.`);
  return e;
}

/**
 * Each guardrail of the new version against the live one, over the whole rollout so far (every step):
 * CUPED-adjusted where the subjects' pre-exposure history of that metric allows it (`cuped` says so).
 */
export async function rolloutReadings(db: Db, projectId: string, id: string) {
  const r = await experimentResults(db, projectId, id, { perSubject: "decision" });
  const guardrails: GuardrailInput[] = r.guardrails
    .filter((g) => g.variant === NEW)
    .map((g) => ({
      metric: g.metric,
      direction: g.direction,
      lift: g.lift,
      ci: g.ci,
      significant: g.breached,
      cuped: g.cuped,
    }));
  const subjects = (key: string) => r.arms.find((a) => a.variant === key)?.subjects ?? 0;
  return { newSubjects: subjects(NEW), liveSubjects: subjects(LIVE), guardrails };
}

/** A rollout with, while it runs, what its guardrails read so far. */
export async function readRollout(db: Db, projectId: string, id: string) {
  const e = await getRollout({ db, projectId }, id);
  const status = rolloutStatus(e);
  const running = status === "running" || status === "paused";
  return { ...rolloutDto(e), current: running ? await rolloutReadings(db, projectId, id) : null };
}

/** A prompt's rollouts, newest first (at most 50), in one environment or all. */
export async function listRollouts(db: Db, projectId: string, promptName: string, environment?: string) {
  const prompt = await getPrompt(db, projectId, promptName);
  const where: SQL[] = [eq(experiments.promptId, prompt.id), eq(experiments.kind, "rollout")];
  if (environment) where.push(eq(environments.name, environment));
  const rows = await db
    .select({ id: experiments.id })
    .from(experiments)
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .innerJoin(prompts, eq(prompts.id, experiments.promptId))
    .where(and(eq(prompts.projectId, projectId), ...where))
    .orderBy(desc(experiments.createdAt))
    .limit(50);
  return Promise.all(rows.map((r) => getExperiment(db, projectId, r.id).then(rolloutDto)));
}

/** GET /api/v1/rollouts/{id}: {rollout} with, while it runs, what its guardrails read so far (else null). */
export const rolloutDetailResponse = z.object({
  rollout: rolloutSchema.extend({
    current: z
      .object({
        newSubjects: z.number(),
        liveSubjects: z.number(),
        guardrails: z.array(
          rolloutGuardrailReadingSchema.extend({ direction: z.enum(["increase_is_bad", "decrease_is_bad"]) }),
        ),
      })
      .nullable(),
  }),
});

/** GET /api/v1/prompts/{name}/rollouts: {rollouts}, newest first. */
export const rolloutListResponse = z.object({ rollouts: z.array(rolloutSchema) });
