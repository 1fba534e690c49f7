// Runtime keys limited to some environments (api_keys.environments): they read only those
// environments, and only versions that have been live in one of them — never an unreleased version.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import { latestLabel } from "../registry/templates/partial-refs";
import { findPrompt } from "../registry/prompts";
import { findLabelTarget } from "../release/version-labels/version-labels";

async function wasLiveIn(
  db: Db,
  projectId: string,
  name: string,
  environments: string[],
  version: number,
): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from deployments d join prompts p on p.id = d.prompt_id join environments e on e.id = d.environment_id
        where p.project_id = ${projectId} and p.name = ${name} and e.name in ${environments} and d.version = ${version}`,
  );
  return Boolean(row?.n);
}

/**
 * Throws `forbidden` when a limited key (environments not null) asks for an environment outside its
 * list, for "latest", or for a version — pinned, or named by a version label — that was never live in the
 * environment it asks about (or, without one, in any of its environments). Unlimited keys pass without a query.
 */
export async function assertKeyMayRead(
  db: Db,
  projectId: string,
  environments: string[] | null,
  q: { name: string; environment?: string; version?: number; latest?: boolean; label?: string },
): Promise<void> {
  if (!environments) return;
  if (q.environment !== undefined) assertEnvironmentAllowed({ environments, name: "" }, q.environment);
  if (q.latest || q.label === latestLabel)
    throw new AppError(
      "forbidden",
      `This API key may only read ${environments.join(", ")}; "latest" may be a version never released there.`,
    );
  // A version label is read as the version it names is (docs/decisions/version-labels.md); any other label
  // as the environment of its name.
  if (q.label !== undefined && q.version === undefined) {
    const mine = environments.includes(q.label); // one of its environments: no lookup
    const prompt = mine ? undefined : await findPrompt(db, projectId, q.name);
    const target = prompt && (await findLabelTarget(db, projectId, prompt.id, q.label));
    const next = { ...q, label: undefined };
    return assertKeyMayRead(
      db,
      projectId,
      environments,
      target?.kind === "version" ? { ...next, version: target.version } : { ...next, environment: q.label },
    );
  }
  if (q.version === undefined) return;
  const scope = q.environment !== undefined ? [q.environment] : environments;
  if (!(await wasLiveIn(db, projectId, q.name, scope, q.version)))
    throw new AppError(
      "forbidden",
      `This API key may only read versions that have been live in ${scope.join(", ")}; version ${q.version} of ${q.name} never was.`,
      { version: q.version, allowed: scope },
    );
}
