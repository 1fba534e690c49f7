// Reads of guarded rollouts: one with what its guardrails read now, a prompt's and a project's rollouts. They read
// the rollout's hourly aggregates over all its steps (O(arms × metrics × hours)), never raw events or subjects.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, queryRows, type Db } from "../../../db/client";
import { environments, experiments, prompts } from "../../../db/schema";
import { AppError } from "../../errors";
import { getPrompt } from "../../registry/prompts";
import type { ArmRead, RolloutGuardrailReading, RolloutRead } from "../contracts";
import { DEFAULT_MIN_SAMPLE_PER_ARM, type GuardrailInput } from "./rollout-decide";
import { rolloutSampleRatio, rolloutSampleRatioSchema } from "./rollout-srm";
import {
  LIVE,
  NEW,
  rolloutDto,
  rolloutGuardrailReadingSchema,
  rolloutSchema,
  rolloutStatus,
  type RolloutStatus,
} from "./rollout-state";
import { experimentResults } from "../analysis/results";
import { getExperiment, variantsOf, type Experiment } from "../store";

/** A rollout of this project, or 404 (an experiment that is not a rollout is not one). */
export async function getRolloutExperiment(db: Db, projectId: string, id: string): Promise<Experiment> {
  const e = await getExperiment(db, projectId, id);
  if (e.kind !== "rollout" || !e.rollout) throw new AppError("not_found", `No rollout with id ${id}.`);
  return e;
}

/**
 * Each guardrail of the new version against the live one, over the whole rollout so far (every step):
 * CUPED-adjusted where the subjects' pre-exposure history of that metric allows it (`cuped` says so), with the
 * subjects and events each arm's reading rests on.
 *
 * Read in ONE snapshot of `db` (repeatable read, read only), taken at `at`: ingest folds a batch of events into
 * these aggregates in the transaction that stores it, before it answers 202, so every event accepted before `at`
 * is in the sums and none is half counted. `db` must be the primary: the rollouts job reads its own connection,
 * never the read replica (DATABASE_READ_URL), whose lag would hide accepted events (docs/scaling.md).
 */
export async function rolloutReadings(
  db: Db,
  projectId: string,
  id: string,
  /**
   * The rollout as the caller read it already (a person's move, which locks it and checks its phase before it
   * writes): its aggregates are read in the snapshot, the row itself not again.
   */
  experiment?: Experiment,
) {
  const read = async (tx: Db) => {
    const [clock] = await queryRows<{ at: string | Date }>(tx, sql`select statement_timestamp() as at`);
    const r = await experimentResults(tx, projectId, id, { perSubject: "decision", experiment });
    const arm = (key: string, metric: string): ArmRead => {
      const m = r.arms.find((a) => a.variant === key)?.metrics[metric];
      return { subjects: m?.n ?? 0, events: m?.events ?? 0 };
    };
    const guardrails: GuardrailInput[] = r.guardrails
      .filter((g) => g.variant === NEW)
      .map((g) => ({
        metric: g.metric,
        direction: g.direction,
        lift: g.lift,
        ci: g.ci,
        significant: g.breached,
        cuped: g.cuped,
        arms: { live: arm(LIVE, g.metric), new: arm(NEW, g.metric) },
      }));
    const subjects = (key: string) => r.arms.find((a) => a.variant === key)?.subjects ?? 0;
    return {
      at: new Date(clock!.at).toISOString(),
      newSubjects: subjects(NEW),
      liveSubjects: subjects(LIVE),
      guardrails,
    };
  };
  // Inside a caller's transaction its snapshot is the one read.
  if (inTransaction(db)) return read(db);
  return db.transaction(read, { isolationLevel: "repeatable read", accessMode: "read only" });
}
export type RolloutReadings = Awaited<ReturnType<typeof rolloutReadings>>;

/** What a decision stores of a reading: its snapshot's time, the subjects per arm, and the minimum it applied. */
export const readOf = (reading: RolloutReadings, e: Experiment): RolloutRead => ({
  at: reading.at,
  subjects: { live: reading.liveSubjects, new: reading.newSubjects },
  minSamplePerArm: e.rollout!.minSamplePerArm ?? DEFAULT_MIN_SAMPLE_PER_ARM,
});

/** A guardrail reading as a decision keeps it (without the direction, which the rollout's guardrails give). */
export const storedReading = (g: GuardrailInput): RolloutGuardrailReading => ({
  metric: g.metric,
  lift: g.lift,
  ci: g.ci,
  significant: g.significant,
  cuped: g.cuped ?? null,
  arms: g.arms,
});

/**
 * A rollout with, while it runs, what its guardrails read so far; and, whatever its status, its sample-ratio check
 * (each subject against the share of the step it arrived at: rollout-srm.ts).
 */
export async function getRollout(db: Db, projectId: string, id: string) {
  const e = await getRolloutExperiment(db, projectId, id);
  const status = rolloutStatus(e);
  const running = status === "running" || status === "paused";
  const [current, sampleRatio] = await Promise.all([
    running ? rolloutReadings(db, projectId, id) : null,
    rolloutSampleRatio(db, e),
  ]);
  return { ...rolloutDto(e), current, sampleRatio };
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
  const variants = await variantsOf(
    db,
    rows.map((r) => r.e.id),
  );
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
export async function listPromptRollouts(db: Db, projectId: string, promptName: string, environment?: string) {
  const prompt = await getPrompt(db, projectId, promptName);
  const where: SQL[] = [eq(experiments.promptId, prompt.id)];
  if (environment) where.push(eq(environments.name, environment));
  return rolloutsWhere(db, projectId, where, 50);
}

export const listProjectRolloutsInput = z.object({
  environment: z.string().max(36).optional().describe("Only rollouts in this environment"),
  status: z
    .enum(rolloutStatuses, { error: `status must be one of ${rolloutStatuses.join(", ")}` })
    .optional()
    .describe("Only rollouts in this state"),
  prompt: z.string().max(255).optional().describe("Only rollouts of this prompt"),
});

/**
 * The project's guarded rollouts (a bundle's members each as its own), newest first, at most 200: in
 * ?environment=, of ?status= (as rolloutStatus derives it), on ?prompt=. An unknown name matches nothing.
 */
export async function listRollouts(db: Db, projectId: string, filter: z.infer<typeof listProjectRolloutsInput> = {}) {
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
        at: z.iso.datetime({ offset: true }),
        newSubjects: z.number(),
        liveSubjects: z.number(),
        guardrails: z.array(
          rolloutGuardrailReadingSchema.extend({ direction: z.enum(["increase_is_bad", "decrease_is_bad"]) }),
        ),
      })
      .nullable(),
    sampleRatio: rolloutSampleRatioSchema,
  }),
});

/** GET /api/v1/prompts/{name}/rollouts and GET /api/v1/rollouts: {rollouts}, newest first. */
export const rolloutListResponse = z.object({ rollouts: z.array(rolloutSchema) });
