// The playground: one version, the variables someone typed, one real model call through the
// project's connection. The answer carries the output and what the call cost (tokens, USD, latency,
// attempts, the classified error); each run is written to the audit log with those numbers.
import { z } from "zod";
import type { Db } from "../../db/client";
import { recordAudit } from "../audit/record";
import { authorize, type Actor } from "../auth/permissions";
import { callModel } from "../llm/call-model";
import { requestForVersion } from "../llm/request";
import type { CallerResolver } from "../llm/resolver";
import type { CallError, ModelMessage, ToolCall, TokenUsage } from "../llm/types";
import type { Content } from "../registry/content";
import { resolvePartialGraph } from "../registry/partials";
import { getPrompt } from "../registry/prompts";
import { getVersion, loadPartialContents } from "../registry/versions";
import { collectPartials } from "../registry/partials";
import { parseInput } from "../validation";

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
    model: z
      .string({ error: "model must be a string" })
      .trim()
      .min(1, { error: "model must not be empty" })
      .max(200, { error: "model must be at most 200 characters" })
      .optional(),
  })
  .strict();

export type PlaygroundResult = {
  prompt: string;
  version: number;
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

export async function runPlayground(
  db: Db,
  actor: Actor,
  projectId: string,
  promptName: string,
  input: unknown,
  resolver: CallerResolver,
  signal?: AbortSignal,
): Promise<PlaygroundResult> {
  authorize(actor, "evaluation.run");
  const q = parseInput(playgroundInput, input);
  const prompt = await getPrompt(db, projectId, promptName);
  const row = await getVersion(db, prompt, q.version);
  const content = row.content as Content;
  const loaded = await loadPartialContents(db, projectId, collectPartials(content));
  const graph = resolvePartialGraph({ name: prompt.name, content }, (n) => loaded.get(n));
  const conn = await resolver.resolve(db, projectId, q.connection);
  const withModel = q.model ? { ...content, config: { ...content.config, model: q.model } } : content;
  const { request, warnings } = requestForVersion(withModel, q.variables, {
    partials: graph.partials,
    declared: graph.declared,
    defaultModel: conn.defaultModel ?? undefined,
  });
  const r = await callModel(conn.caller, { ...request, abortSignal: signal });
  const result: PlaygroundResult = {
    prompt: prompt.name,
    version: q.version,
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
      version: q.version,
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
