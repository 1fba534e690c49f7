// What the experiment form offers for one prompt: its versions (newest first) and what each environment
// serves now. Read by the new-experiment page and, when the form's prompt changes, by its action.
import type { Db } from "../../db/client";
import { getPrompt } from "../registry/prompts";
import { listVersionRows } from "../registry/versions";
import { liveVersions } from "../release/deployments";

export type PromptChoices = {
  prompt: string;
  versions: { version: number; commitMessage: string }[];
  /** Environment name → the version it serves now (absent when nothing is live). */
  live: Record<string, number>;
};

export async function promptChoices(db: Db, projectId: string, name: string): Promise<PromptChoices> {
  const prompt = await getPrompt(db, projectId, name);
  const [versions, live] = await Promise.all([
    listVersionRows(db, prompt, { limit: 200 }),
    liveVersions(db, projectId, prompt.id),
  ]);
  return {
    prompt: prompt.name,
    versions: versions.map((v) => ({ version: v.version.version, commitMessage: v.version.commitMessage })),
    live: Object.fromEntries(live.flatMap((l) => (l.live ? [[l.environment, l.live.version]] : []))),
  };
}
