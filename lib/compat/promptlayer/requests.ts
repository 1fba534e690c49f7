// PromptLayer's request logging, recorded the way POST /api/v1/events records a generation: a request tied
// to a prompt version (logRequest with its prompt, run()'s track-request, or track.prompt afterwards) becomes
// one generation metric event through lib/ingest's ingestEvents — attributed to an experiment arm, folded into
// the aggregates, sampled for online evaluation — in one transaction with its row. Scores become metric events
// of the same request. A key limited to some environments records and touches only requests of those (ingest
// refuses the others, as for Lectern's own events).
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { promptlayerRequests } from "../../../db/schema";
import { AppError } from "../../errors";
import { ingestEvents } from "../../ingest/ingest";
import { costOf } from "../../llm/pricing";
import { projectPrices } from "../../llm/project-prices";
import { promptByIntegerId } from "./ids";
import { labelTargetOf, versionFacts } from "./reads";
import type { RequestFacts } from "./request-facts";

/** Who records: the project, and the environments the sending key is limited to (null: all). */
export type RecordDeps = { db: Db; projectId: string; allowed: string[] | null };

/** The prompt version a request ran, and the environment its generation counts for. */
export type Tie = { promptId: string; name: string; version: number; environment: string };

type Row = typeof promptlayerRequests.$inferSelect;

/** The environments serving a version of a prompt now, production first. */
async function servingEnvironments(db: Db, promptId: string, version: number): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select e.name from environments e join lateral (
          select d.version from deployments d where d.prompt_id = ${promptId} and d.environment_id = e.id
          order by d.created_at desc, d.id desc limit 1) d on true
        where d.version = ${version} order by e.name <> 'production', e.position`,
  );
  return rows.map((r) => r.name);
}

/**
 * The environment a generation counts for: the label it was fetched by, else the `environment` its metadata
 * names, else a key's only environment, else the one serving the version (production when several do), else
 * production (Lectern's own default for events).
 */
async function environmentOf(
  deps: RecordDeps,
  tie: { promptId: string; version: number },
  metadata: Record<string, string>,
  label?: string | null,
): Promise<string> {
  const named = label ?? metadata.environment ?? (deps.allowed?.length === 1 ? deps.allowed[0] : undefined);
  if (named) return named;
  return (await servingEnvironments(deps.db, tie.promptId, tie.version))[0] ?? "production";
}

/** The version a label's environment serves now. */
async function servedVersion(db: Db, projectId: string, name: string, label: string): Promise<number | undefined> {
  const [row] = await queryRows<{ version: number }>(
    db,
    sql`select d.version from deployments d join environments e on e.id = d.environment_id join prompts p on p.id = d.prompt_id
        where p.project_id = ${projectId} and p.name = ${name} and e.name = ${label}
        order by d.created_at desc, d.id desc limit 1`,
  );
  return row?.version;
}

/** The version a request names (by prompt name or PromptLayer's integer id; a label's, or the newest, without one). */
export async function tieOf(
  deps: RecordDeps,
  p: { name?: string | null; id?: number | null; version?: number | null; label?: string | null },
  metadata: Record<string, string>,
): Promise<Tie> {
  const name = p.name ?? (p.id ? (await promptByIntegerId(deps.db, deps.projectId, p.id))?.name : undefined);
  if (!name)
    throw new AppError("not_found", `No prompt template with id ${p.id} in this project.`, { field: "prompt_id" });
  // A label is an environment (the version it serves now, and the generation counts there) or a version label.
  const target = p.label ? await labelTargetOf(deps.db, deps.projectId, name, p.label) : undefined;
  if (p.label && !target)
    throw new AppError("not_found", `No release label ${p.label} on ${name}.`, { field: "label", label: p.label });
  const environment = target?.kind === "environment" ? target.environment : undefined;
  const version =
    p.version ??
    (target?.kind === "version" ? target.version : undefined) ??
    (environment ? await servedVersion(deps.db, deps.projectId, name, environment) : undefined);
  const facts = await versionFacts(deps.db, deps.projectId, name, version);
  if (!facts)
    throw new AppError("not_found", `Prompt template ${name}${version ? ` version ${version}` : ""} not found.`, {
      field: "prompt_name",
      prompt: name,
    });
  const [prompt] = await queryRows<{ id: string }>(
    deps.db,
    sql`select id from prompts where project_id = ${deps.projectId} and name = ${name}`,
  );
  const at = { promptId: prompt!.id, version: facts.version };
  return { ...at, name, environment: await environmentOf(deps, at, metadata, environment) };
}

const metricName = (score: string) => (score === "default" ? "score" : `score.${score.toLowerCase()}`);
/** Who the generation was for: the metadata's subject or user_id, else the request itself. */
const subjectOf = (f: RequestFacts, id: number) =>
  f.metadata.subject ?? f.metadata.user_id ?? `promptlayer-request-${id}`;

/** The generation (and its scores) of a tied request, as metric events. */
async function eventsOf(db: Db, projectId: string, id: number, tie: Tie, f: RequestFacts) {
  const base = {
    prompt: tie.name,
    version: tie.version,
    environment: tie.environment,
    subject: subjectOf(f, id),
  };
  let costUsd = f.costUsd;
  if (costUsd === undefined && f.model && (f.inputTokens || f.outputTokens))
    costUsd =
      costOf(
        f.model,
        { inputTokens: f.inputTokens ?? 0, outputTokens: f.outputTokens ?? 0 },
        await projectPrices(db, projectId),
      ) ?? undefined;
  const generation = {
    ...base,
    id: `promptlayer-${id}`,
    type: "generation",
    latencyMs: f.latencyMs,
    ...(f.inputTokens !== undefined ? { inputTokens: f.inputTokens } : {}),
    ...(f.outputTokens !== undefined ? { outputTokens: f.outputTokens } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(f.model ? { model: f.model } : {}),
    ...(f.output !== undefined ? { output: f.output } : {}),
    ...(f.input !== undefined ? { input: f.input } : {}),
  };
  return [generation, ...f.scores.map((s) => scoreEvent(base, id, s))];
}

const scoreEvent = (base: object, id: number, s: { name: string; value: number }) => ({
  ...base,
  id: `promptlayer-${id}-score-${s.name}-${s.value}`,
  type: "metric",
  name: metricName(s.name),
  value: s.value,
});

/** Stores a request (tied or not) and records the generation of a tied one, in one transaction. Its id. */
export async function storeRequest(deps: RecordDeps, facts: RequestFacts, tie: Tie | null): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(promptlayerRequests)
      .values({
        projectId: deps.projectId,
        promptId: tie?.promptId ?? null,
        version: tie?.version ?? null,
        environment: tie?.environment ?? null,
        facts: tie ? { ...facts, scores: [] } : facts,
      })
      .returning({ id: promptlayerRequests.id });
    const id = row!.id;
    if (tie) {
      await ingestEvents(
        tx,
        deps.projectId,
        { events: await eventsOf(tx, deps.projectId, id, tie, facts) },
        new Date(),
        deps.allowed,
      );
      await tx
        .update(promptlayerRequests)
        .set({ eventId: `promptlayer-${id}` })
        .where(eq(promptlayerRequests.id, id));
    }
    return id;
  });
}

/** A request of this project this key may touch (one of its environments, or not yet tied to one). */
export async function requestOf(deps: RecordDeps, requestId: number | string): Promise<Row> {
  const id = Number(requestId);
  const [row] = await deps.db
    .select()
    .from(promptlayerRequests)
    .where(sql`${promptlayerRequests.projectId} = ${deps.projectId} and ${promptlayerRequests.id} = ${id}`);
  if (!row) throw new AppError("not_found", `Request ${id} not found.`, { field: "request_id" });
  if (deps.allowed && row.environment !== null && !deps.allowed.includes(row.environment))
    throw new AppError("forbidden", `This API key may only touch requests of ${deps.allowed.join(", ")}.`, {
      field: "request_id",
      allowed: deps.allowed,
    });
  return row;
}

/** track.prompt: ties a stored request to a prompt version, recording its generation (and waiting scores). */
export async function tieRequest(deps: RecordDeps, row: Row, tie: Tie, variables?: Record<string, unknown> | null) {
  if (row.eventId) {
    if (row.promptId === tie.promptId && row.version === tie.version) return;
    throw new AppError("conflict", `Request ${row.id} is already recorded for another prompt version.`, {
      field: "request_id",
    });
  }
  const facts = row.facts as RequestFacts;
  const withInput = variables && Object.keys(variables).length ? { ...facts, input: variables } : facts;
  await deps.db.transaction(async (tx) => {
    await ingestEvents(
      tx,
      deps.projectId,
      { events: await eventsOf(tx, deps.projectId, row.id, tie, withInput) },
      new Date(),
      deps.allowed,
    );
    await tx
      .update(promptlayerRequests)
      .set({
        promptId: tie.promptId,
        version: tie.version,
        environment: tie.environment,
        eventId: `promptlayer-${row.id}`,
        facts: { ...withInput, scores: [] },
      })
      .where(eq(promptlayerRequests.id, row.id));
  });
}

/** track.score: a metric event of the request's version, or kept until track.prompt ties it. */
export async function scoreRequest(deps: RecordDeps, row: Row, score: { name: string; value: number }) {
  const facts = row.facts as RequestFacts;
  if (!row.eventId || row.promptId === null || row.version === null) {
    const scores = [...facts.scores.filter((s) => s.name !== score.name), score].slice(-20);
    await deps.db
      .update(promptlayerRequests)
      .set({ facts: { ...facts, scores } })
      .where(eq(promptlayerRequests.id, row.id));
    return;
  }
  const [p] = await queryRows<{ name: string }>(deps.db, sql`select name from prompts where id = ${row.promptId}`);
  const base = {
    prompt: p!.name,
    version: row.version,
    environment: row.environment ?? "production",
    subject: subjectOf(facts, row.id),
  };
  await ingestEvents(deps.db, deps.projectId, { events: [scoreEvent(base, row.id, score)] }, new Date(), deps.allowed);
}

/** track.metadata / track.group: kept with the request (its subject and environment, if not yet recorded). */
export async function annotateRequest(deps: RecordDeps, row: Row, metadata: Record<string, string>) {
  const facts = row.facts as RequestFacts;
  const merged = { ...facts.metadata, ...metadata };
  if (Object.keys(merged).length > 200)
    throw new AppError("invalid_input", "A request keeps at most 200 metadata keys.", { field: "metadata" });
  await deps.db
    .update(promptlayerRequests)
    .set({ facts: { ...facts, metadata: merged } })
    .where(eq(promptlayerRequests.id, row.id));
}
