// What a release would change for the applications that call a prompt in an environment: the diff
// from what it serves and which changes break its callers (shown by the release dialogs). The rule that
// a protected environment takes breaking changes only when confirmed is a step of the release plan
// (plan.ts), checked by promote for every caller.
import { readTogether, type Db } from "../../../db/client";
import { classifyDiff, type Compatibility } from "../../registry/changes/compat";
import { diffContent, type ContentDiff } from "../../registry/changes/diff";
import type { PromptRow } from "../../registry/prompts";
import { describeDiff } from "../../registry/changes/describe";
import { getVersion, listVersionRows } from "../../registry/versions";
import { liveDeployment } from "../deployments";
import type { EnvironmentRow } from "../environments";

export interface ReleaseChanges {
  environment: { name: string; protected: boolean; requiresReview: boolean; requiresLiveIn: string | null };
  /** The version the environment serves now, if any. */
  live: number | null;
  version: number;
  /** From what is live (or from nothing) to `version`. */
  diff: ContentDiff;
  /** Empty when nothing is live: no application can depend on the prompt there yet. */
  compat: Compatibility;
  /**
   * Who made which change between what is live and `version`: each version after the live one up
   * to `version` (or, going back, each version being undone), with its author, message and changes.
   */
  authors: { version: number; author: string; message: string; changes: string[]; undone: boolean }[];
}

/** What releasing `version` of a prompt to `environment` would change for its callers. */
export async function releaseChanges(
  db: Db,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
): Promise<ReleaseChanges> {
  const live = await liveDeployment(db, prompt.id, env.id);
  const [target, current] = await readTogether(db, [
    () => getVersion(db, prompt, version),
    () => (live ? getVersion(db, prompt, live.version) : null),
  ]);
  const diff = diffContent(current?.content ?? null, target.content);
  const from = live?.version ?? 0;
  const [lo, hi] = from < version ? [from, version] : [version, from];
  const authors =
    lo === hi
      ? []
      : (await listVersionRows(db, prompt, { order: "asc", limit: 5000 }))
          .filter((r) => r.version.version > lo && r.version.version <= hi)
          .slice(-50)
          .map((r) => ({
            version: r.version.version,
            author: r.authorName || r.authorEmail || r.version.authorLabel || "someone",
            message: r.version.commitMessage ?? "",
            changes: r.version.diff ? describeDiff(r.version.diff as ContentDiff).slice(0, 8) : [],
            undone: from > version,
          }));
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
    authors,
  };
}
