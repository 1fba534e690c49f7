// The facts every Pezzo-compatible route hands lib/compat/pezzo: the key's project and environments (read by
// the route wrapper from the key in x-pezzo-api-key) and the x-pezzo-project-id header as sent.
import "server-only";
import type { PezzoCaller } from "@/lib/compat/pezzo/caller";
import type { RouteContext } from "./api";

export const pezzoCaller = (
  c: Pick<RouteContext<string, unknown, unknown>, "req" | "project" | "environments">,
): PezzoCaller => ({
  project: c.project,
  environments: c.environments,
  projectHeader: c.req.headers.get("x-pezzo-project-id"),
});
