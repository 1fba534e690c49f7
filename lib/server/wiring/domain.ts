import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/permissions";
import { projectContext, type DomainContext } from "@/lib/context";
import { getEvents } from "./events-wiring";

/**
 * The context every request's domain operations receive (lib/context.ts): built here once per request, by the
 * API's `route`, the UI's `projectAction` and the MCP server, with the process's announcement bus.
 */
export async function domainContext(db: Db, actor: Actor, projectId: string): Promise<DomainContext> {
  return projectContext(db, actor, projectId, await getEvents());
}
