// What the PromptLayer-compatible routes hand lib/compat/promptlayer: reads get resolve's runtime (its cache),
// request logging is charged to the key's ingest budgets as POST /api/v1/events is (runtime-ingest.ts).
import "server-only";
import type { PlReadDeps } from "@/lib/compat/promptlayer/reads";
import type { RecordDeps } from "@/lib/compat/promptlayer/requests";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";
import type { RouteContext } from "./api";
import { chargeIngest } from "./runtime-ingest";

type Ctx = Pick<RouteContext<string, unknown, unknown>, "db" | "project" | "environments" | "actor" | "body">;

export async function plReadDeps(ctx: Ctx): Promise<PlReadDeps> {
  const runtime = readyRuntime() ?? (await getRuntime());
  return { db: ctx.db, runtime, projectId: ctx.project.id, allowed: ctx.environments };
}

export function plRecordDeps(ctx: Ctx): RecordDeps {
  chargeIngest("id" in ctx.actor ? ctx.actor.id : ctx.actor.label, JSON.stringify(ctx.body ?? {}).length);
  return { db: ctx.db, projectId: ctx.project.id, allowed: ctx.environments };
}
