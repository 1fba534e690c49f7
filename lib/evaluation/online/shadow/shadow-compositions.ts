// The shadow candidates that are a version rendered with other versions of partials it includes
// (docs/decisions/shadow-evaluation.md), checked when the rule is written: the version exists, each partial version
// exists, and the version includes that partial where the rule's environment would render its own version of it (the
// same check an evaluation run's `partials` gets: ../../runs/partial-overrides.ts), so the composition changes what is
// rendered. Their words ("support-reply v3 with shared/tone v2") are shared by the job and the read.
import type { Db } from "../../../../db/client";
import { AppError, isAppError } from "../../../errors";
import type { PromptRow } from "../../../registry/prompts";
import { getVersion } from "../../../registry/versions";
import { partialOverrides } from "../../runs/partial-overrides";
import type { ShadowComposition } from "../contracts";

/** "v3 with shared/tone v2"; a plain candidate is "v3". */
export function candidateWords(c: { version: number; partials?: Record<string, number> }): string {
  const partials = Object.entries(c.partials ?? {}).map(([name, v]) => `${name} v${v}`);
  return `v${c.version}${partials.length ? ` with ${partials.join(", ")}` : ""}`;
}

/** Refuses (422, field shadow.versions) a composition the environment's rendering of the prompt would not change. */
export async function checkCompositions(
  db: Db,
  prompt: PromptRow,
  environment: string,
  compositions: readonly ShadowComposition[],
): Promise<void> {
  for (const c of compositions) {
    const words = `${prompt.name} ${candidateWords(c)}`;
    const refuse = (why: string, details: Record<string, unknown> = {}) =>
      new AppError("unprocessable", `shadow.versions: ${words}: ${why}`, { field: "shadow.versions", ...details });
    if (c.version > prompt.latestVersion)
      throw refuse(`${prompt.name} has no version ${c.version} (its latest is ${prompt.latestVersion})`);
    const root = await getVersion(db, prompt, c.version);
    await partialOverrides(
      db,
      prompt.projectId,
      { name: prompt.name, version: c.version, content: root.content },
      environment,
      c.partials,
    ).catch((e: unknown) => {
      // Its words name "partials: …" as a run's field; here they belong to the candidate.
      if (isAppError(e) && e.code === "unprocessable")
        throw refuse(e.message.replace(/^partials: /, ""), { partial: e.details?.partial });
      throw e;
    });
  }
}
