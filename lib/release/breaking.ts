// What a release would change for the applications that call a prompt in an environment: the diff
// from what it serves and which changes break its callers (shown by the release dialogs). The rule that
// a protected environment takes breaking changes only when confirmed is a step of the release plan
// (plan.ts), checked by promote for every caller.
import { readTogether, type Db } from "../../db/client";
import { classifyDiff, type Compatibility } from "../registry/compat";
import { diffContent, type ContentDiff } from "../registry/diff";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { liveDeployment } from "./deployments";
import { getEnvironment } from "./environments";

export interface ReleaseChanges {
  environment: { name: string; protected: boolean; requiresReview: boolean; requiresLiveIn: string | null };
  /** The version the environment serves now, if any. */
  live: number | null;
  version: number;
  /** From what is live (or from nothing) to `version`. */
  diff: ContentDiff;
  /** Empty when nothing is live: no application can depend on the prompt there yet. */
  compat: Compatibility;
}

/** What releasing `version` of a prompt to `environment` would change for its callers. */
export async function releaseChanges(
  db: Db,
  projectId: string,
  promptName: string,
  environment: string,
  version: number,
): Promise<ReleaseChanges> {
  const prompt = await getPrompt(db, projectId, promptName);
  const env = await getEnvironment(db, projectId, environment);
  const live = await liveDeployment(db, prompt.id, env.id);
  const [target, current] = await readTogether(db, [
    () => getVersion(db, prompt, version),
    () => (live ? getVersion(db, prompt, live.version) : null),
  ]);
  const diff = diffContent(current?.content ?? null, target.content);
  return {
    environment: {
      name: env.name,
      protected: env.protected,
      requiresReview: env.requiresReview,
      requiresLiveIn: env.requiresLiveIn,
    },
    live: live?.version ?? null,
    version,
    diff,
    compat: current ? classifyDiff(diff) : { breaking: [], compatible: [] },
  };
}
