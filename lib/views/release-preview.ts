// The release dialog's preview (read model) of one environment and version: what the environment serves
// now, the diff and which of its changes break callers, who made them, the environment's rules, and the
// version's release plan there. The prompt and the environment are read once for all of it, and the
// changes a person must confirm come from the plan's own "breaking" step, so the dialog never restates the
// rule (a protected environment, something else live, the version not served there before).
import { readTogether, type Db } from "../../db/client";
import { getPrompt } from "../registry/prompts";
import { releaseChanges } from "../release/plan/breaking";
import { getEnvironmentRow } from "../release/environments";
import { planFor } from "../release/plan/plan-facts";

export async function releasePreview(
  db: Db,
  projectId: string,
  promptName: string,
  environment: string,
  version: number,
) {
  const [prompt, env] = await readTogether(db, [
    () => getPrompt(db, projectId, promptName),
    () => getEnvironmentRow(db, projectId, environment),
  ]);
  const changes = await releaseChanges(db, prompt, env, version);
  const plan = await planFor(db, prompt, env, version);
  const step = plan.steps.find((s) => s.id === "breaking");
  return {
    live: changes.live,
    diff: changes.diff,
    compat: changes.compat,
    authors: changes.authors,
    rules: {
      protected: env.protected,
      requiresReview: env.requiresReview,
      requiresLiveIn: env.requiresLiveIn,
    },
    plan,
    /** The breaking changes a promotion must confirm (the plan's unmet "breaking" step); empty when none. */
    toConfirm: step && !step.met ? (step.breaking ?? []) : [],
  };
}

export type ReleasePreview = Awaited<ReturnType<typeof releasePreview>>;
