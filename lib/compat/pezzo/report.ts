// POST /api/compat/pezzo/api/reporting/v2/request (Pezzo's reportPromptExecution, which PezzoOpenAI sends
// after each call): the execution as one `generation` event, recorded by lib/ingest exactly as
// POST /api/v1/events records one — latency, tokens, cost from the project's prices, the output and the
// messages sent — so experiments, version statistics and online evaluation see it.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { prompts } from "../../../db/schema";
import { AppError } from "../../errors";
import { eventNumberLimits } from "../../experiments/metric-events";
import { ingestEvents } from "../../ingest/ingest";
import { costOf, type PriceTable } from "../../llm/pricing";
import { isUuid } from "../../validation";
import { assertPezzoProject, pezzoEnvironment, type PezzoCaller } from "./caller";
import { versionOfSha } from "./version-sha";

const timestamp = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

/** The report PezzoOpenAI sends (Pezzo's CreateReportDto): only what Lectern reads is checked; the rest is kept out. */
export const pezzoReportBody = z.object({
  metadata: z.looseObject({
    promptId: z.string().max(100).optional(),
    promptVersionSha: z.string().max(100).optional(),
    environment: z.string().max(100).optional(),
  }),
  properties: z.record(z.string(), z.unknown()).nullish(),
  request: z.object({ timestamp, body: z.looseObject({ model: z.string().max(200).optional() }) }),
  response: z.object({ timestamp, body: z.unknown(), status: z.number().int().optional() }),
  cacheEnabled: z.boolean().nullish(),
  cacheHit: z.boolean().nullish(),
});
export type PezzoReport = z.infer<typeof pezzoReportBody>;

/** What the report answers: the event it became, or why nothing was recorded. */
export const pezzoReportResponse = z.object({
  recorded: z.boolean(),
  reason: z.string().optional(),
  event: z
    .object({ id: z.string(), prompt: z.string(), version: z.number().int(), environment: z.string() })
    .optional(),
  duplicate: z.boolean().optional(),
});

const maxText = 200_000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const wholeTokens = (v: unknown) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= eventNumberLimits.inputTokens
    ? (v as number)
    : undefined;

/** The prompt and version a report names; a report without them (an unmanaged call) is refused, named. */
async function reportedVersion(db: Db, projectId: string, r: PezzoReport) {
  const { promptId, promptVersionSha } = r.metadata;
  if (!promptId || !promptVersionSha)
    throw new AppError(
      "unprocessable",
      "Lectern records executions of its prompts: this report names no promptId and promptVersionSha (pass the prompt getPrompt answered as `pezzo`).",
      { field: "metadata.promptId" },
    );
  const [prompt] = isUuid(promptId)
    ? await db
        .select({ name: prompts.name })
        .from(prompts)
        .where(and(eq(prompts.id, promptId), eq(prompts.projectId, projectId)))
    : [];
  if (!prompt)
    throw new AppError("not_found", `No prompt with id ${promptId} in this project.`, { field: "metadata.promptId" });
  const version = versionOfSha(promptId, promptVersionSha);
  if (version === undefined)
    throw new AppError("invalid_input", `promptVersionSha ${promptVersionSha} is not a version of ${prompt.name}.`, {
      field: "metadata.promptVersionSha",
    });
  return { name: prompt.name, version };
}

/** The same report sent twice is one event: its id is a hash of what identifies the call. */
const eventId = (r: PezzoReport) => {
  const completion = isObject(r.response.body) ? r.response.body.id : undefined;
  const key = [r.metadata.promptId, r.metadata.promptVersionSha, r.request.timestamp, r.response.timestamp, completion];
  return `pezzo-${createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 40)}`;
};

/** The subject an experiment counts by: properties.subject or properties.userId when given, else the call itself. */
function subjectOf(r: PezzoReport, id: string): string {
  const p = r.properties ?? {};
  const given = [p.subject, p.userId].find((v) => typeof v === "string" || typeof v === "number");
  return given === undefined || String(given) === "" ? id : String(given).slice(0, 256);
}

function generationOf(r: PezzoReport, prices: PriceTable) {
  const body = isObject(r.response.body) ? r.response.body : {};
  const usage = isObject(body.usage) ? body.usage : {};
  const inputTokens = wholeTokens(usage.prompt_tokens);
  const outputTokens = wholeTokens(usage.completion_tokens);
  const model = typeof body.model === "string" ? body.model.slice(0, 200) : r.request.body.model;
  const cost =
    model && inputTokens !== undefined && outputTokens !== undefined
      ? costOf(model, { inputTokens, outputTokens }, prices)
      : null;
  const choice = Array.isArray(body.choices) && isObject(body.choices[0]) ? body.choices[0] : {};
  const output = isObject(choice.message) ? choice.message.content : undefined;
  const input = r.request.body.messages;
  const latency = Date.parse(r.response.timestamp) - Date.parse(r.request.timestamp);
  return {
    latencyMs: Math.min(Math.max(latency, 0), eventNumberLimits.latencyMs),
    ...(inputTokens !== undefined && { inputTokens }),
    ...(outputTokens !== undefined && { outputTokens }),
    ...(cost !== null && cost <= eventNumberLimits.costUsd && { costUsd: cost }),
    ...(model && { model }),
    // Over ingest's bounds, the text is left out and the generation still counts.
    ...(typeof output === "string" && output.length <= maxText && { output }),
    ...(input !== undefined && JSON.stringify(input).length <= maxText && { input }),
    at: r.response.timestamp,
  };
}

/**
 * Records a reported execution as a generation of the version it names. A failed model call (status other
 * than 200) is not a generation and records nothing; the answer says so.
 */
export async function reportPezzoExecution(
  db: Db,
  caller: PezzoCaller,
  r: PezzoReport,
  prices: PriceTable,
  now = new Date(),
): Promise<z.infer<typeof pezzoReportResponse>> {
  assertPezzoProject(caller);
  const environment = pezzoEnvironment(r.metadata.environment, "metadata.environment");
  const { name, version } = await reportedVersion(db, caller.project.id, r);
  if (r.response.status !== undefined && r.response.status !== 200)
    return { recorded: false, reason: `the model call failed (status ${r.response.status}): no generation to record` };
  const id = eventId(r);
  const event = { id, type: "generation", prompt: name, version, environment, subject: subjectOf(r, id) };
  const { duplicates } = await ingestEvents(
    db,
    caller.project.id,
    { events: [{ ...event, ...generationOf(r, prices) }] },
    now,
    caller.environments,
  );
  return { recorded: true, event: { id, prompt: name, version, environment }, duplicate: duplicates > 0 };
}
