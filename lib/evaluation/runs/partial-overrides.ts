// The partial versions a run renders instead of the environment's (docs/decisions/partial-releases.md): a partial's
// candidate version inside a prompt that includes it, so that prompt's evaluation gate runs on the composed text
// before the partial is released. Checked when the run is created; execute.ts renders with them.
import type { Db } from "../../../db/client";
import { AppError, isAppError } from "../../errors";
import type { Content } from "../../registry/content";
import { formatPartialRef } from "../../registry/templates/partial-refs";
import { getPrompt } from "../../registry/prompts";
import { environmentGraph } from "../../registry/live-versions";
import { getVersion } from "../../registry/versions";

/**
 * Checks the partial versions a run names: each exists, and the prompt includes it where the run's
 * environment would include its own version, so the override changes what is rendered.
 */
export async function partialOverrides(
  db: Db,
  projectId: string,
  root: { name: string; version: number; content: Content },
  environment: string,
  partials: Record<string, number> | undefined,
): Promise<Record<string, number> | null> {
  if (!partials || !Object.keys(partials).length) return null;
  const { partials: included } = await environmentGraph(db, projectId, root, environment);
  for (const [name, version] of Object.entries(partials)) {
    if (name === root.name)
      throw new AppError("unprocessable", `partials: ${name} is the prompt being run`, { field: "partials" });
    await (async () => getVersion(db, await getPrompt(db, projectId, name), version))().catch((e: unknown) => {
      throw isAppError(e) && e.code === "not_found"
        ? new AppError("unprocessable", `partials: ${e.message}`, { field: "partials", partial: name })
        : e;
    });
    if (!(name in included) && !(formatPartialRef({ name, label: environment }) in included))
      throw new AppError(
        "unprocessable",
        `partials: ${root.name} version ${root.version} does not include ${name} as ${environment} serves it`,
        { field: "partials", partial: name },
      );
  }
  return Object.fromEntries(Object.entries(partials).sort(([a], [b]) => a.localeCompare(b)));
}
