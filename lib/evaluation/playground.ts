// The playground: one version, the variables someone typed, one real model call through the
// project's connection. The version is rendered as an environment serves it (the one render path,
// lib/runtime/render-as-served.ts): its partials at the versions live there. The answer carries the output and
// what the call cost (tokens, USD, latency, attempts, the classified error); each run is written to
// the audit log with those numbers.
import type { DomainContext } from "../context";
import { z } from "zod";
import type { Db } from "../../db/client";
import { recordAudit } from "../audit/record";
import { callModel } from "../llm/call-model";
import { callErrorSchema, modelOverride } from "../llm/call-schemas";
import type { CallerResolver } from "../llm/resolver";
import type { CallError, ModelMessage, ToolCall, TokenUsage } from "../llm/types";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { listEnvironmentRows } from "../release/environments";
import { versionStatuses } from "../release/status";
import { loadServedVersion, servedRequest, type ServedVersion } from "../runtime/render-as-served";
import { parseInput } from "../validation";
import { AppError } from "../errors";

export const playgroundInput = z
  .object({
    version: z
      .number({ error: "version must be a number" })
      .int({ error: "version must be a whole number" })
      .min(1, { error: "version must be at least 1" })
      .max(2_147_483_647, { error: "version is too large" }),
    variables: z.record(z.string(), z.unknown(), { error: "variables must be an object of name → value" }).default({}),
    /** A connection id or name; omitted: the project's default. */
    connection: z
      .string({ error: "connection must be a string" })
      .max(200, { error: "connection must be at most 200 characters" })
      .optional(),
    /** Overrides the version's model (e.g. to try a local model). */
    model: modelOverride,
    /**
     * Whose partials: the environment's live versions of them. Default: the last environment in
     * promotion order that serves the version, else the first environment (where a new version goes first).
     */
    environment: z
      .string({ error: "environment must be a string" })
      .max(36, { error: "environment must be at most 36 characters" })
      .optional(),
  })
  .strict();

export type PlaygroundResult = {
  prompt: string;
  /** The version run; 0 for unsaved content (runUnsavedPlayground). */
  version: number;
  unsaved?: boolean;
  environment: string;
  connection: { id: string; name: string; provider: string };
  model: string;
  messages: ModelMessage[];
  output: string;
  object?: unknown;
  toolCalls?: ToolCall[];
  finishReason: string;
  usage: TokenUsage;
  costUsd: number | null;
  latencyMs: number;
  totalMs: number;
  attempts: number;
  error: CallError | null;
  warnings: string[];
};

/** POST /api/v1/prompts/{name}/playground: the call's output and what it cost (PlaygroundResult). */
export const playgroundResultSchema = z.object({
  prompt: z.string(),
  version: z.number().int().min(0),
  unsaved: z.boolean().optional(),
  environment: z.string(),
  connection: z.object({ id: z.string(), name: z.string(), provider: z.string() }),
  model: z.string(),
  messages: z.array(z.unknown()),
  output: z.string(),
  object: z.unknown().optional(),
  toolCalls: z.array(z.unknown()).optional(),
  finishReason: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costUsd: z.number().nullable(),
  latencyMs: z.number(),
  totalMs: z.number(),
  attempts: z.number().int(),
  error: callErrorSchema,
  warnings: z.array(z.string()),
});
const _result: (r: PlaygroundResult) => z.input<typeof playgroundResultSchema> = (r) => r;
void _result;

/** A playground run: what runPromptPlayground and runUnsavedPlayground take and answer. */
export type PlaygroundRun = (
  ctx: DomainContext,
  promptName: string,
  input: unknown,
  resolver: CallerResolver,
  signal?: AbortSignal,
) => Promise<PlaygroundResult>;

export const runPromptPlayground: PlaygroundRun = async (ctx, promptName, input, resolver, signal) => {
  const { db, projectId } = ctx;
  const q = parseInput(playgroundInput, input);
  const prompt = await getPrompt(db, projectId, promptName);
  const row = await getVersion(db, prompt, q.version);
  const environment = await playgroundEnvironment(db, projectId, prompt.id, q.version, q.environment);
  const served = await loadServedVersion(
    db,
    projectId,
    { name: prompt.name, version: q.version, content: row.content },
    environment,
  );
  return callServed(ctx, { prompt, served, version: q.version }, q, resolver, signal);
};

/**
 * One model call for a rendered version (saved or not), through the chosen connection and model, with its
 * audit entry. Shared by runPromptPlayground and runUnsavedPlayground.
 */
export async function callServed(
  ctx: DomainContext,
  run: { prompt: { id: string; name: string }; served: ServedVersion; version: number | null },
  q: { variables: Record<string, unknown>; connection?: string; model?: string },
  resolver: CallerResolver,
  signal?: AbortSignal,
): Promise<PlaygroundResult> {
  const { db, actor, projectId } = ctx;
  const { prompt, served } = run;
  const environment = served.environment;
  const conn = await resolver.resolve(db, projectId, q.connection);
  const { request, warnings } = servedRequest(served, q.variables, {
    model: q.model,
    defaultModel: conn.defaultModel ?? undefined,
  });
  const r = await callModel(conn.caller, { ...request, abortSignal: signal });
  const result: PlaygroundResult = {
    prompt: prompt.name,
    version: run.version ?? 0,
    ...(run.version === null && { unsaved: true }),
    environment,
    connection: { id: conn.id, name: conn.name, provider: conn.provider },
    model: r.model,
    messages: request.messages ?? [],
    output: r.text,
    ...(r.object !== undefined && { object: r.object }),
    ...(r.toolCalls?.length && { toolCalls: r.toolCalls }),
    finishReason: r.finishReason,
    usage: r.usage,
    costUsd: r.costUsd,
    latencyMs: Math.round(r.latencyMs),
    totalMs: Math.round(r.totalMs),
    attempts: r.attempts,
    error: r.error ?? null,
    warnings,
  };
  await recordAudit(db, {
    projectId,
    actor,
    action: "playground.run",
    objectType: "prompt",
    objectId: prompt.id,
    after: {
      version: run.version,
      ...(run.version === null && { unsaved: true }),
      environment,
      connection: conn.name,
      model: r.model,
      usage: r.usage,
      costUsd: r.costUsd,
      latencyMs: result.latencyMs,
      attempts: r.attempts,
      error: r.error ? { kind: r.error.kind, message: r.error.message } : null,
    },
  });
  return result;
}

/** The environment a playground run renders partials for (see playgroundInput.environment). */
export async function playgroundEnvironment(
  db: Db,
  projectId: string,
  promptId: string,
  version: number,
  asked?: string,
): Promise<string> {
  const envs = await listEnvironmentRows(db, projectId);
  if (asked !== undefined) {
    if (!envs.some((e) => e.name === asked))
      throw new AppError(
        "invalid_input",
        `environment: no environment named ${asked}. This project has: ${envs.map((e) => e.name).join(", ")}.`,
        { field: "environment" },
      );
    return asked;
  }
  const liveIn = (await versionStatuses(db, promptId)).get(version)?.liveIn ?? [];
  return [...envs].reverse().find((e) => liveIn.includes(e.name))?.name ?? envs[0]!.name;
}
