// The new-experiment page (read model): the prompts that can be tested, the environments, the namespaces'
// free shares, and the form's starting point: the prompt asked for (else the first with two versions), its
// versions and live ones, and the environment asked for (else where the prompt is live, production first).
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { listExperimentNamespaces } from "../experiments/namespaces";
import { listPromptRows } from "../registry/prompts";
import { listEnvironmentRows } from "../release/environments";
import { promptChoices } from "./prompt-choices";

export async function newExperimentOverview(
  db: Db,
  projectId: string,
  query: { prompt?: string; environment?: string },
) {
  const [prompts, environments, namespaces] = await Promise.all([
    listPromptRows(db, projectId, { limit: 200 }),
    listEnvironmentRows(db, projectId),
    listExperimentNamespaces(db, projectId),
  ]);
  const withVersions = prompts.items.filter((p) => p.latestVersion >= 2);
  const first =
    withVersions.find((p) => p.name === query.prompt) ??
    prompts.items.find((p) => p.name === query.prompt) ??
    withVersions[0];
  const initial = first
    ? await promptChoices(db, projectId, first.name).catch((e: unknown) => {
        if (isAppError(e) && e.code === "not_found") return null;
        throw e;
      })
    : null;
  const live = initial?.live ?? {};
  const environment =
    environments.find((e) => e.name === query.environment)?.name ??
    (live.production ? "production" : (environments.find((e) => live[e.name])?.name ?? environments[0]?.name ?? ""));
  return { prompts: prompts.items, environments, namespaces, initial, environment };
}
