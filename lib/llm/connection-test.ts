// "Test connection": one short call through a stored connection, so an admin sees at once whether the
// endpoint, key and model work. Never throws for provider failures: they come back classified.
import type { DomainContext } from "../context";
import { z } from "zod";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { callModel } from "./call-model";
import { callErrorSchema, modelOverride } from "./call-schemas";
import type { CallerResolver } from "./resolver";
import type { CallError } from "./types";

export const testConnectionInput = z
  .object({
    model: modelOverride,
  })
  .strict();

export type ConnectionTest = {
  ok: boolean;
  model: string;
  reply: string;
  latencyMs: number;
  attempts: number;
  error: CallError | null;
};

/** POST /api/v1/connections/{id}/test: a provider's failure is an answer (ok false, error classified), not an error. */
export const connectionTestResponse = z.object({
  ok: z.boolean(),
  model: z.string(),
  reply: z.string(),
  latencyMs: z.number(),
  attempts: z.number().int(),
  error: callErrorSchema,
});

export async function testConnection(
  ctx: DomainContext,
  id: string,
  input: unknown,
  resolver: CallerResolver,
): Promise<ConnectionTest> {
  const { db, projectId } = ctx;
  const q = parseInput(testConnectionInput, input ?? {});
  const conn = await resolver.resolve(db, projectId, id);
  const model = q.model ?? conn.defaultModel;
  if (!model)
    throw new AppError("unprocessable", "model is required: this connection has no default model to test with", {
      field: "model",
    });
  // A short answer and no retries: a test should say quickly what is wrong.
  const r = await callModel(
    { ...conn.caller, retry: { ...conn.caller.retry, maxRetries: 0 } },
    {
      model,
      prompt: "Reply with the single word OK.",
      maxTokens: 16,
      timeoutMs: Math.min(conn.caller.connection.timeoutMs, 30_000),
    },
  );
  return {
    ok: !r.error,
    model: r.model,
    reply: r.text.slice(0, 200),
    latencyMs: Math.round(r.latencyMs),
    attempts: r.attempts,
    error: r.error ?? null,
  };
}
