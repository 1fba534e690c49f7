// The one render path. Whatever renders a prompt version — resolve (and the SDK, which gets the same
// partials in the resolve answer and runs the same renderContent), the playground, evaluation runs and
// online scoring — renders it as an environment serves it: its partials at the versions live in that
// environment, its variables' defaults applied, the same expansion limits, and a partial that is not
// live there refused (422) rather than rendered empty.
import type { Db } from "../../db/client";
import { AppError } from "../errors";
import { requestForVersion, type VersionRequest } from "../llm/request";
import type { Content, Variable } from "../registry/content";
import type { RenderOptions } from "../registry/templates/template";
import { schemaValueProblem } from "../registry/templates/variable-schema";
import { environmentGraph } from "../registry/live-versions";

/** A version with the partials an environment serves for it. */
export interface ServedVersion {
  name: string;
  version: number;
  environment: string;
  content: Content;
  partials: Record<string, { version: number; text: string; variables: Variable[] }>;
  missingPartials: string[];
}

/** Loads the partial graph of a version as `environment` serves it (cycles, depth and size refused with 422). */
export async function loadServedVersion(
  db: Db,
  projectId: string,
  v: { name: string; version: number; content: Content },
  environment: string,
  /** Partials at named versions instead of the environment's (a partial's candidate in its dependents). */
  overrides: Record<string, number> | null = null,
): Promise<ServedVersion> {
  const { partials, missing } = await environmentGraph(db, projectId, v, environment, undefined, overrides);
  return { ...v, environment, partials, missingPartials: missing };
}

/** What renderContent needs from a served version; throws 422 naming partials that are not live there. */
export function renderOptionsFor(s: {
  name: string;
  environment: string;
  partials: ServedVersion["partials"];
  missingPartials: string[];
}): RenderOptions {
  if (s.missingPartials.length)
    throw new AppError(
      "unprocessable",
      `${s.name} includes ${s.missingPartials.join(", ")}, which ${s.missingPartials.length > 1 ? "are" : "is"} not live in ${s.environment}.`,
      { missingPartials: s.missingPartials, environment: s.environment },
    );
  return {
    partials: Object.fromEntries(Object.entries(s.partials).map(([k, v]) => [k, v.text])),
    declared: Object.fromEntries(Object.entries(s.partials).map(([k, v]) => [k, v.variables])),
    checkSchema: schemaValueProblem,
  };
}

/**
 * The model request for a served version and one set of variables (playground, evaluation runs,
 * online scoring). `model` overrides the version's model; `defaultModel` is used when it names none.
 */
export function servedRequest(
  s: ServedVersion,
  variables: Record<string, unknown>,
  opts: { model?: string; defaultModel?: string } = {},
): VersionRequest {
  const content = opts.model ? { ...s.content, config: { ...s.content.config, model: opts.model } } : s.content;
  return requestForVersion(content, variables, { ...renderOptionsFor(s), defaultModel: opts.defaultModel });
}
