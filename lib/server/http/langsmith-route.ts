// What the LangSmith-compatible routes hand lib/compat/langsmith: reads get resolve's runtime (its cache); every
// call gets the project's tenant handle (its slug), the owner LangSmith's clients compare with.
import "server-only";
import type { LsReadDeps } from "@/lib/compat/langsmith/reads";
import type { DomainContext } from "@/lib/context";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";
import type { RouteContext } from "./api";

type Ctx = Pick<RouteContext<string, unknown, unknown>, "db" | "project" | "environments" | "domain">;

export async function lsReadDeps(ctx: Ctx): Promise<LsReadDeps> {
  const runtime = readyRuntime() ?? (await getRuntime());
  return { db: ctx.db, runtime, projectId: ctx.project.id, tenantHandle: ctx.project.slug, allowed: ctx.environments };
}

/** The domain context of a write, with the tenant handle. */
export const lsWriteCtx = (ctx: Ctx): DomainContext & { tenantHandle: string } => ({
  ...ctx.domain,
  tenantHandle: ctx.project.slug,
});
