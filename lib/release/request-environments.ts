// An environment read once per request: the endpoint's resource rule (deployTarget, lib/server/http/endpoints/
// resource-rules.ts) reads the environment a request deploys into to check what it needs, and hands the row to the
// operation the wrapper then runs with the same context, which would otherwise read it again. Only a request's
// wrapper remembers a row: a job's context never has one, so a job always reads the row as it is now.
import type { DomainContext } from "../context";
import { getEnvironmentRow, type EnvironmentRow } from "./environments";

const readByRequest = new WeakMap<DomainContext, Map<string, EnvironmentRow>>();

/** Remembers the environment the request's wrapper read, for the operation it runs with `ctx`. */
export function rememberRequestEnvironment(ctx: DomainContext, row: EnvironmentRow): void {
  let seen = readByRequest.get(ctx);
  if (!seen) readByRequest.set(ctx, (seen = new Map()));
  seen.set(row.name, row);
}

/** The environment `name`: the row this request's wrapper read already, else read now (not_found as getEnvironmentRow). */
export async function getRequestEnvironment(ctx: DomainContext, name: string): Promise<EnvironmentRow> {
  return readByRequest.get(ctx)?.get(name) ?? (await getEnvironmentRow(ctx.db, ctx.projectId, name));
}
