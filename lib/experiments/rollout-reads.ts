// Reads of guarded rollouts: one with what its guardrails read now, and a prompt's rollouts. Both read the
// rollout's hourly aggregates over all its steps (O(arms × metrics × hours)), never raw events or subjects.
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { environments, experimentVariants, experiments, prompts } from "../../db/schema";
import { AppError } from "../errors";
import { getPrompt } from "../registry/prompts";
import type { GuardrailInput } from "./rollout-decide";
import {
  LIVE,
  NEW,
  rolloutDto,
  rolloutGuardrailReadingSchema,
  rolloutSchema,
  rolloutStatus,
  type RolloutStatus,
} from "./rollout-state";
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

export const rolloutStatuses = ["running", "paused", "completed", "rolled_back", "stopped"] as const;

/** SQL: the rollout's status as rolloutStatus derives it (a filter the database can apply before the limit). */
function statusIs(status: RolloutStatus): SQL {
  const paused = sql`coalesce((${experiments.rollout}->>'paused')::boolean, false)`;
  const stoppedBy = sql`(${experiments.decision}->'stoppedBy' is not null)`;
  const shipped = sql`coalesce(${experiments.decision}->>'ship' = ${NEW}, false)`;
  switch (status) {
    case "running":
      return sql`${experiments.status} <> 'stopped' and not ${paused}`;
    case "paused":
      return sql`${experiments.status} <> 'stopped' and ${paused}`;
    case "stopped":
      return sql`${experiments.status} = 'stopped' and ${stoppedBy}`;
    case "completed":
      return sql`${experiments.status} = 'stopped' and not ${stoppedBy} and ${shipped}`;
    case "rolled_back":
      return sql`${experiments.status} = 'stopped' and not ${stoppedBy} and not ${shipped}`;
  }
}

/** Rollouts as rolloutDto answers them, newest first: two reads whatever their number (rows, then arms). */
async function rolloutsWhere(db: Db, projectId: string, where: SQL[], limit: number) {
  const rows = await db
    .select({ e: experiments, prompt: prompts.name, environment: environments.name })
    .from(experiments)
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .innerJoin(prompts, eq(prompts.id, experiments.promptId))
    .where(and(eq(experiments.projectId, projectId), eq(experiments.kind, "rollout"), ...where))
    .orderBy(desc(experiments.createdAt), desc(experiments.id))
    .limit(limit);
  const ids = rows.map((r) => r.e.id);
  const variants = ids.length
    ? await db
        .select()
        .from(experimentVariants)
        .where(inArray(experimentVariants.experimentId, ids))
        .orderBy(asc(experimentVariants.position))
    : [];
  return rows.map((r) =>
    rolloutDto({
      ...r.e,
      prompt: r.prompt,
      environment: r.environment,
      variants: variants.filter((v) => v.experimentId === r.e.id),
      phases: [],
    }),
  );
}

/** A prompt's rollouts, newest first (at most 50), in one environment or all. */
export async function listRollouts(db: Db, projectId: string, promptName: string, environment?: string) {
  const prompt = await getPrompt(db, projectId, promptName);
  const where: SQL[] = [eq(experiments.promptId, prompt.id)];
  if (environment) where.push(eq(environments.name, environment));
  return rolloutsWhere(db, projectId, where, 50);
}

export const listProjectRolloutsInput = z.object({
  environment: z.string().max(36).optional(),
  status: z.enum(rolloutStatuses, { error: `status must be one of ${rolloutStatuses.join(", ")}` }).optional(),
  prompt: z.string().max(255).optional(),
});

/**
 * The project's guarded rollouts (a bundle's members each as its own), newest first, at most 200: in
 * ?environment=, of ?status= (as rolloutStatus derives it), on ?prompt=. An unknown name matches nothing.
 */
export async function listProjectRollouts(
  db: Db,
  projectId: string,
  filter: z.infer<typeof listProjectRolloutsInput> = {},
) {
  const where: SQL[] = [];
  if (filter.environment) where.push(eq(environments.name, filter.environment));
  if (filter.prompt) where.push(eq(prompts.name, filter.prompt));
  if (filter.status) where.push(statusIs(filter.status));
  return rolloutsWhere(db, projectId, where, 200);
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

/** GET /api/v1/prompts/{name}/rollouts and GET /api/v1/rollouts: {rollouts}, newest first. */
export const rolloutListResponse = z.object({ rollouts: z.array(rolloutSchema) });
