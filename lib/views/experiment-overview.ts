// The experiment page (read model): the experiment, its results, the environment it runs in and the commit
// messages of its variants' versions. Null when the project has no such experiment. The page renders it.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { experimentResults } from "../experiments/results";
import { getExperiment } from "../experiments/store";
import { getPrompt } from "../registry/prompts";
import { listVersions } from "../registry/versions";
import { getEnvironment } from "../release/environments";

export async function experimentOverview(db: Db, projectId: string, id: string) {
  const experiment = await getExperiment(db, projectId, id).catch((err: unknown) => {
    if (isAppError(err) && err.code === "not_found") return null;
    throw err;
  });
  if (!experiment) return null;
  const [results, environment, prompt] = await Promise.all([
    experimentResults(db, projectId, id),
    getEnvironment(db, projectId, experiment.environment),
    getPrompt(db, projectId, experiment.prompt),
  ]);
  const versions = await listVersions(db, prompt, { limit: 500 });
  const messages: Record<number, string> = Object.fromEntries(
    versions
      .filter((v) => experiment.variants.some((x) => x.version === v.version.version))
      .map((v) => [v.version.version, v.version.commitMessage]),
  );
  return { experiment, results, environment, messages };
}
