// Every declared endpoint, for the OpenAPI document (../openapi/openapi.ts) and its test. An area file exports one
// `endpoint({...})` per route handler; nothing else may be exported from it.
import "server-only";
import type { Endpoint } from "../endpoint";
import * as bundles from "./bundles";
import * as deployments from "./deployments";
import * as environments from "./environments";
import * as evalRuns from "./eval-runs";
import * as evaluation from "./evaluation";
import * as experiments from "./experiments";
import * as langfuse from "./langfuse";
import * as langfuseImport from "./langfuse-import";
import * as langsmith from "./langsmith";
import * as promptlayer from "./promptlayer";
import * as optimizations from "./optimizations";
import * as pezzo from "./pezzo";
import * as platform from "./platform";
import * as prices from "./prices";
import * as promptFiles from "./prompt-files";
import * as registry from "./registry";
import * as release from "./release";
import * as rollouts from "./rollouts";
import * as runtime from "./runtime";
import * as skills from "./skills";
import * as snapshots from "./snapshots";
import * as versionLabels from "./version-labels";

export const endpointAreas = {
  registry,
  prices,
  langfuseImport,
  snapshots,
  promptFiles,
  release,
  rollouts,
  deployments,
  versionLabels,
  environments,
  bundles,
  experiments,
  evaluation,
  evalRuns,
  optimizations,
  platform,
  runtime,
  langfuse,
  pezzo,
  promptlayer,
  langsmith,
  skills,
};

/** Each declaration with the name it is exported under (route files import it by that name). */
export const declaredEndpoints: { name: string; endpoint: Endpoint }[] = Object.values(endpointAreas).flatMap((area) =>
  Object.entries(area as Record<string, Endpoint>).map(([name, endpoint]) => ({ name, endpoint })),
);
