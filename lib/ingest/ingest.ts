// Metric events in: validated as a batch (any bad event → 422 listing each, nothing stored), stored
// once per client id, and folded into the aggregates results are read from (aggregate.ts) — all in one
// transaction, so an acknowledged batch is durable and counted exactly once. Which arm an event counts
// for is attribution.ts's rule; an arm an event names counts only if the server served it (lib/experiments/
// served-claims.ts), else the event is kept and counted apart (docs/decisions/unattributed-events.md). Every door for events
// ends here: POST /api/v1/events, OTLP traces, PromptLayer's and Pezzo's reports.
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../db/client";
import { prompts } from "../../db/schema";
import { AppError } from "../errors";
import { eventData, parseEvents, type EventProblem } from "../experiments/metric-events";
import { checkExposures } from "../experiments/exposure-check";
import { sampleOutputs } from "../evaluation/online/sampling";
import { aggregate, column, type Routed } from "./aggregate";
import { verifyClaims } from "../experiments/served-claims";
import { attribute, defaultEnvironment, experimentsFor, type NamedClaim } from "./attribution";

const maxFutureMs = 5 * 60_000;

/** POST /api/v1/events (202): events stored, and resent ids counted once. */
export const ingestEventsResponse = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

export async function ingestEvents(
  db: Db,
  projectId: string,
  raw: unknown,
  now = new Date(),
  /** The environments the sending key is limited to (null: all), as resolve refuses the others. */
  allowed: readonly string[] | null = null,
): Promise<{ accepted: number; duplicates: number }> {
  const parsed = parseEvents(raw);
  const problems: EventProblem[] = parsed.problems;
  if (problems.some((p) => p.index < 0)) throw invalid(problems);
  if (allowed) refuseOtherEnvironments(parsed.events, allowed);
  const total = (raw as { events: unknown[] }).events.length;
  const { routed, indexOf, named } = await routeEvents(db, projectId, parsed.events, now, problems);
  if (!problems.length && named.length) await verifyNamed(db, named);
  if (!problems.length) {
    const claims = routed.flatMap(({ e, attribution }, i) =>
      e.type === "exposure" && attribution
        ? [{ index: indexOf.get(routed[i]!)!, ...attribution, subject: e.subject }]
        : [],
    );
    problems.push(...(await checkExposures(db, claims)));
  }
  if (problems.length) throw invalid(problems.sort((a, b) => a.index - b.index));

  // The first of several events with one id in a batch counts; the others are duplicates like any resend.
  const unique = new Map<string, (typeof routed)[number]>();
  for (const r of routed) if (!unique.has(r.e.id)) unique.set(r.e.id, r);
  const batch = [...unique.values()];

  return db.transaction(async (tx) => {
    const fresh = await storeEvents(tx, projectId, batch);
    const counted = batch.filter((r) => fresh.has(r.e.id));
    await aggregate(tx, counted);
    // Online evaluation samples production outputs in the same transaction: acknowledged means queued for scoring.
    await sampleOutputs(tx, projectId, counted.flatMap(sampledOutput));
    return { accepted: fresh.size, duplicates: total - fresh.size };
  });
}

type Parsed = ReturnType<typeof parseEvents>["events"];

function refuseOtherEnvironments(events: Parsed, allowed: readonly string[]) {
  const outside = events.find(({ event }) => !allowed.includes(event.environment ?? defaultEnvironment));
  if (outside) {
    const environment = outside.event.environment ?? defaultEnvironment;
    throw new AppError(
      "forbidden",
      `This API key may only send events for ${allowed.join(", ")}; events[${outside.index}] is for ${environment}. Nothing was stored.`,
      { field: `events[${outside.index}].environment`, environment, allowed: [...allowed] },
    );
  }
}

/** Each event's prompt and arm (attribution.ts), or its problems; arms the events name are left to verify. */
async function routeEvents(db: Db, projectId: string, parsed: Parsed, now: Date, problems: EventProblem[]) {
  const events = parsed.map((x) => x.event);
  const names = [...new Set(events.map((e) => e.prompt))];
  const promptRows = await db
    .select({ id: prompts.id, name: prompts.name, latest: prompts.latestVersion })
    .from(prompts)
    .where(and(eq(prompts.projectId, projectId), inArray(prompts.name, names)));
  const promptByName = new Map(promptRows.map((p) => [p.name, p]));
  const exps = await experimentsFor(
    db,
    projectId,
    [...new Set(events.flatMap((e) => (e.experimentId ? [e.experimentId] : [])))],
    promptRows.map((p) => p.id),
    events.map((e) => e.subject),
  );

  const routed: Routed[] = [];
  const indexOf = new Map<(typeof routed)[number], number>();
  const named: { r: Routed; claim: NamedClaim }[] = [];
  parsed.forEach(({ event: e, index }) => {
    const problem = (field: string, message: string) => problems.push({ index, field, message });
    const p = promptByName.get(e.prompt);
    if (!p) return problem("prompt", `no prompt named ${e.prompt} in this project`);
    if (e.version > p.latest) return problem("version", `${e.prompt} has no version ${e.version}`);
    const at = e.at ? new Date(e.at) : now;
    if (at.getTime() > now.getTime() + maxFutureMs) return problem("at", "at is in the future");
    const attribution = attribute(e, p.id, at, exps);
    if (Array.isArray(attribution)) return problem(attribution[0]!, attribution[1]!);
    const claim = attribution && "named" in attribution ? attribution : null;
    const r: Routed = { e, promptId: p.id, at, attribution: null, unattributed: null };
    if (claim) named.push({ r, claim });
    else r.attribution = attribution as Exclude<typeof attribution, NamedClaim>;
    routed.push(r);
    indexOf.set(r, index);
  });
  return { routed, indexOf, named };
}

// Each named arm against what the server served: counted there, or apart with its reason (served-claims.ts).
async function verifyNamed(db: Db, named: { r: Routed; claim: NamedClaim }[]) {
  const verdicts = await verifyClaims(
    db,
    named.map(({ r, claim }) => ({ ...claim, subject: r.e.subject, at: r.at, exposure: r.e.type === "exposure" })),
  );
  named.forEach(({ r, claim }, i) => {
    const v = verdicts[i]!;
    const arm = { experimentId: claim.experimentId, phase: v.phase, variant: claim.variant, partials: v.partials };
    if (v.counted) r.attribution = arm;
    else r.unattributed = { ...arm, reason: v.reason, served: v.served };
  });
}

/** Stores the batch's events; returns the ids stored (the others were sent before). */
async function storeEvents(tx: Db, projectId: string, batch: Routed[]) {
  // One statement with one array per column (unnest): the per-value work of a 500-row VALUES list
  // (building, binding and planning thousands of parameters) was most of an ingest's cost.
  // One row back, not one per event: the ids stored only when some were not (resends).
  const [stored] = await queryRows<{ ids: string[] | null }>(
    tx,
    sql`with stored as (insert into metric_events (project_id, event_id, type, prompt_id, version, environment, experiment_id, phase, variant_key, subject, partials, at, data)
          select ${projectId}::uuid, u.* from unnest(
            ${column(batch, (r) => r.e.id)}::text[], ${column(batch, (r) => r.e.type)}::text[], ${column(batch, (r) => r.promptId)}::uuid[],
            ${column(batch, (r) => r.e.version)}::int[], ${column(batch, (r) => r.e.environment ?? defaultEnvironment)}::text[],
            ${column(batch, (r) => r.attribution?.experimentId ?? null)}::uuid[], ${column(batch, (r) => r.attribution?.phase ?? null)}::int[],
            ${column(batch, (r) => r.attribution?.variant ?? null)}::text[], ${column(batch, (r) => r.e.subject)}::text[],
            ${column(batch, partialsOf)}::text[],
            ${column(batch, (r) => r.at.toISOString())}::timestamptz[], ${column(batch, (r) => JSON.stringify(dataOf(r)))}::jsonb[])
            as u(event_id, type, prompt_id, version, environment, experiment_id, phase, variant_key, subject, partials, at, data)
          -- Partitions are per day received (migration 0029): an id is unique within a day's partition, and one
          -- received in the two days before is a resend too. One index probe per event (LIMIT keeps the lateral
          -- a loop): an anti-join was planned as a read of every id the project sent in those days.
          left join lateral (
            select true as resent from metric_events m where m.project_id = ${projectId}::uuid and m.event_id = u.event_id
              and m.received_day >= (now() at time zone 'UTC')::date - 2 and m.received_day < (now() at time zone 'UTC')::date
            limit 1) r on true
          where r.resent is null
          on conflict (project_id, event_id, received_day) do nothing
          returning event_id)
          select case when count(*) = ${batch.length} then null else coalesce(array_agg(event_id), '{}') end as ids
          from stored`,
  );
  return new Set(stored!.ids ?? batch.map((r) => r.e.id));
}

function sampledOutput(r: Routed) {
  const { e, promptId, at } = r;
  return e.type === "generation" && e.output !== undefined
    ? [
        {
          eventId: e.id,
          promptId,
          version: e.version,
          partials: partialsOf(r),
          environment: e.environment ?? defaultEnvironment,
          subject: e.subject,
          input: e.input ?? null,
          output: e.output,
          at,
        },
      ]
    : [];
}

/**
 * The composition stored with an event: for an event in an experiment's arm (or naming one), what the phase
 * served that arm, whatever the event said; else the event's own, as sent.
 */
function partialsOf(r: Routed): string | null {
  return r.attribution?.partials ?? r.unattributed?.partials ?? r.e.partials ?? null;
}

/** The stored data of an event; one counted apart keeps the arm it named and why it does not count there. */
function dataOf(r: Routed): Record<string, unknown> {
  const data = eventData(r.e);
  if (!r.unattributed) return data;
  const { experimentId, phase, variant, reason, served } = r.unattributed;
  return { ...data, unattributed: { experimentId, phase, variant, reason, served } };
}

function invalid(problems: EventProblem[]): AppError {
  const first = problems[0]!;
  const where = first.index >= 0 ? `events[${first.index}].${first.field}` : first.field;
  // Events, not problems: one event with three problems is one invalid event.
  const events = new Set(problems.map((p) => p.index)).size;
  const more = problems.length > events ? ` (${problems.length} problems)` : "";
  return new AppError(
    "unprocessable",
    `${events} invalid event${events === 1 ? "" : "s"}${more}; nothing was stored. First: ${where}: ${first.message}`,
    {
      field: where,
      problems: problems.map((p) => ({ index: p.index, field: p.field, message: p.message })),
    },
  );
}
