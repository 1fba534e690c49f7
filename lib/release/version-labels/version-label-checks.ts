// The checks of a version label's move, under the prompt's lock (version-labels.ts): not an environment's
// name, the database's refusals worded, and a partial graph that stays sound.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { environments } from "../../../db/schema";
import type { DomainContext } from "../../context";
import { AppError, isAppError, pgConstraint } from "../../errors";
import { collectPartials, resolvePartialGraph } from "../../registry/templates/partials";
import type { PromptRow } from "../../registry/prompts";
import { getVersion, loadPartialContents, type VersionRow } from "../../registry/versions";

export async function assertNotEnvironment(ctx: DomainContext, prompt: string, label: string) {
  const [env] = await ctx.db
    .select({ name: environments.name })
    .from(environments)
    .where(and(eq(environments.projectId, ctx.projectId), eq(environments.name, label)));
  if (env)
    throw new AppError(
      "invalid_input",
      `"${label}" is an environment of this project: it is moved by a promotion (POST /api/v1/prompts/{name}/deployments), where its rules apply, not as a version label.`,
      { field: "label", label, environment: label, prompt },
    );
}

/** The database's refusals, should a concurrent change slip past the checks above (its triggers decide). */
export function labelRefusal(e: unknown, label: string, version: number): never {
  const constraint = pgConstraint(e);
  if (constraint === "version_labels_not_environment")
    throw new AppError(
      "conflict",
      `An environment named "${label}" was just created; a version label cannot share its name.`,
      {
        field: "label",
        label,
      },
    );
  if (constraint === "version_labels_not_archived")
    throw new AppError("conflict", `Version ${version} was just deleted; a label cannot point at it.`, { version });
  throw e;
}

/**
 * The labeled version's partial graph once the label points at it (read inside the move's transaction): a
 * label pin can close a cycle (`a` includes `b|label=x`, and version x of `b` includes `a`), which no
 * environment would then serve. Refused (422) as a save or a promotion refuses one; a missing partial is not
 * this move's business.
 */
export async function assertGraphSound(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  version: number,
  label: string,
  /** The version as the caller read it already (setVersionLabel): not read again (versions never change). */
  read?: VersionRow,
) {
  const { content } = read?.version === version ? read : await getVersion(db, prompt, version);
  const refs = collectPartials(content);
  if (!refs.length) return;
  const loaded = await loadPartialContents(db, projectId, refs);
  try {
    resolvePartialGraph({ name: prompt.name, content }, (n) => (n === prompt.name ? content : loaded.get(n)), {
      collectMissing: true,
    });
  } catch (e) {
    if (isAppError(e) && e.code === "unprocessable")
      throw new AppError(
        "unprocessable",
        `Label ${label} cannot point at version ${version} of ${prompt.name}: ${e.message}`,
        {
          ...e.details,
          label,
          version,
        },
      );
    throw e;
  }
}
