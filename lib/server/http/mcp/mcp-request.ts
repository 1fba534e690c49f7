import "server-only";
import { AppError } from "@/lib/errors";
import { assertEnvironmentAllowed } from "@/lib/auth/api-keys";
import type { McpContext } from "@/lib/mcp/server";
import { environmentNameSchema } from "@/lib/release/environments";
import { getDb, readyDb } from "../../wiring/db";
import { env, publicUrl } from "../../wiring/env";
import { domainContext } from "../../wiring/domain";
import { getRuntime, readyRuntime, type Runtime } from "../../wiring/runtime-wiring";
import type { Db } from "@/db/client";
import { processSingleton } from "../../wiring/singleton";
import type { Authenticated } from "../api-auth";
import { originCheck } from "./mcp-origin";
import { toAppError } from "../http-errors";

// What both answerers of POST /api/mcp read from a request the same way — the SDK path (mcp.ts, a Next route) and
// Lectern's own server's fast path (mcp-fast.ts): the origins allowed, the environment a new session serves, the
// context the handlers run in and the sessions' clock. Nothing here loads Next.

/** Browser origins allowed (the server's own, and LECTERN_MCP_ALLOWED_ORIGINS). */
export const allowedOrigin = () =>
  processSingleton("mcpOrigins", () => {
    const c = env();
    return originCheck(publicUrl(c), c.LECTERN_MCP_ALLOWED_ORIGINS);
  });

export function environmentOf(url: URL, principal: Authenticated["principal"]): string {
  const asked = url.searchParams.get("environment");
  const environment = asked
    ? environmentNameSchema.parse(asked)
    : principal.environments?.length === 1
      ? principal.environments[0]!
      : "production";
  assertEnvironmentAllowed(principal, environment);
  return environment;
}

export async function contextFor(auth: Authenticated, environment: string): Promise<McpContext> {
  return contextOf(auth, environment, readyDb() ?? (await getDb()), readyRuntime() ?? (await getRuntime()));
}

/** contextFor without an await, once the database and the runtime are started (undefined before). */
export function contextHere(auth: Authenticated, environment: string): McpContext | undefined {
  const db = readyDb();
  const runtime = readyRuntime();
  return db && runtime ? contextOf(auth, environment, db, runtime) : undefined;
}

function contextOf(auth: Authenticated, environment: string, db: Db, runtime: Runtime): McpContext {
  return {
    db,
    runtime,
    principal: auth.principal,
    actor: auth.actor,
    environment,
    domain: () => domainContext(db, auth.actor, auth.principal.projectId),
    fail: (e) => toAppError(e, "mcp"),
  };
}

/**
 * The time a request uses its session at: the wall clock or, on a server with the test setting LECTERN_TEST_CLOCK,
 * the request's `Lectern-Test-Clock` (an ISO time), so a test decides which sessions are idle without waiting.
 */
export function clockOf(req: { headers: { get(name: string): string | null } }): number {
  const at = req.headers.get("lectern-test-clock");
  if (at === null) return Date.now();
  if (!env().LECTERN_TEST_CLOCK)
    throw new AppError(
      "invalid_input",
      "Lectern-Test-Clock sets the MCP sessions' clock, a test setting (LECTERN_TEST_CLOCK) this server does not have.",
      { field: "Lectern-Test-Clock" },
    );
  const ms = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at) || Number.isNaN(ms))
    throw new AppError("invalid_input", "Lectern-Test-Clock must be an ISO 8601 time, e.g. 2026-11-28T12:00:00Z.", {
      field: "Lectern-Test-Clock",
    });
  return ms;
}
