import "server-only";
import type { Db } from "@/db/client";
import { callModel, embedTexts } from "@/lib/llm";
import { createGuardedFetch } from "@/lib/llm/guarded-fetch";
import { createCallerResolver, type CallerResolver } from "@/lib/llm/resolver";
import type { ModelResolver } from "@/lib/evaluation/runs";
import { getDb } from "./db";
import type { ScorerModels } from "@/lib/scorers";
import { encryptionKey } from "./encryption";
import { env } from "./env";
import { processSingleton } from "./singleton";

// Model access for this process: every call (playground, evaluation runs, LLM judges) resolves its
// caller here, from the project's model connections or, when a project has no default connection,
// the server's LLM_BASE_URL / LLM_API_KEY. One resolver per process (processSingleton, like the
// database), so each connection's concurrency limit is shared by everything that calls it.
export function callerResolver(): CallerResolver {
  return processSingleton("callers", () =>
    createCallerResolver({
      encryptionKey,
      allowPrivate: env().LECTERN_CONNECTIONS_ALLOW_PRIVATE,
      maxResponseBytes: env().LECTERN_MODEL_ANSWER_MAX_BYTES,
      fallback: () => {
        const config = env();
        return config.LLM_BASE_URL
          ? { provider: "openai-compatible", baseUrl: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY }
          : undefined;
      },
    }),
  );
}

/**
 * The fetch for other URLs a project admin chooses (the Langfuse import's source): the same checks as a
 * model connection's calls — the address each request connects to, no redirects, a size cap per answer.
 */
export function outboundFetch(): typeof fetch {
  return processSingleton("outboundFetch", () =>
    createGuardedFetch({
      allowPrivate: env().LECTERN_CONNECTIONS_ALLOW_PRIVATE,
      maxResponseBytes: env().LECTERN_MODEL_ANSWER_MAX_BYTES,
    }),
  );
}

/** What project connections may reach, for the checks made when one is saved. */
export const connectionPolicy = () => ({ allowPrivate: env().LECTERN_CONNECTIONS_ALLOW_PRIVATE });

/** Scorer model access for one project: a scorer's `connection` names one of the project's connections (id or name). */
export function scorerModels(db: Db, projectId: string): ScorerModels {
  const resolver = callerResolver();
  return {
    generate: async (connection, request) =>
      callModel((await resolver.resolve(db, projectId, connection)).caller, request),
    embed: async (connection, request) =>
      embedTexts((await resolver.resolve(db, projectId, connection)).caller, request),
  };
}

/**
 * The model connections of a project for an evaluation run, as the synchronous lookup the run's
 * executor wants: the default and every named connection are resolved up front (a project has at
 * most 50), so a run, its judges and the playground share each connection's caller and limiter.
 */
export async function modelsFor(projectId: string): Promise<ModelResolver> {
  return callerResolver().resolveAll(await getDb(), projectId);
}
