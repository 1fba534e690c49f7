// The endpoints of environments and their release rules: one declaration each (../endpoint.ts), read by the route and
// by the OpenAPI document.
import "server-only";
import {
  environmentInput,
  environmentListResponse,
  environmentRulesInput,
  environmentSchema,
} from "@/lib/release/environments";
import { endpoint } from "../endpoint";
import { environmentParams } from "../path-params";

export const listEnvironments = endpoint({
  method: "GET",
  path: "/api/v1/environments",
  summary: "Environments and their rules",
  scope: "admin",
  permission: "prompt.read",
  response: environmentListResponse,
});

export const createEnvironment = endpoint({
  method: "POST",
  path: "/api/v1/environments",
  summary: "Add an environment",
  scope: "admin",
  permission: "settings.manage",
  body: environmentInput,
  status: 201,
  response: environmentSchema,
});

export const getEnvironment = endpoint({
  method: "GET",
  path: "/api/v1/environments/{name}",
  params: environmentParams,
  summary:
    "One environment and its rules, including evaluationGate {dataset, datasetName, minScore, maxDrop, mode}, autoPromote {minScore} and requiresShadow {minInputs}",
  scope: "admin",
  permission: "prompt.read",
  response: environmentSchema,
});

export const updateEnvironment = endpoint({
  method: "PATCH",
  path: "/api/v1/environments/{name}",
  params: environmentParams,
  summary:
    "Change an environment's protection and promotion rules; evaluationGate {dataset (id or name), minScore, maxDrop, datasetVersion?, scorers?, mode?} | null makes promotions need a completed run of the version, made with the gate's scorers, on the dataset's current (or pinned) version scoring ≥ minScore and at most maxDrop below the live version's run (mode threshold, the default), or no gate scorer significantly worse than the live version's run item by item (mode paired: paired t, Holm across scorers; minScore may be left out), or both (409 gate_failed otherwise); in every mode every gate item must have run and been scored, and a paired comparison needs real pairs on every gate scorer for at least 80% of the items and at least 10 (all of them below 10, where no scorer may be lower on average); left out, mode keeps the stored one; left out, datasetVersion and scorers keep the stored ones while the dataset is unchanged (datasetVersion: null unpins); autoPromote {minScore} | null promotes a version whose run on the gate's dataset scores ≥ minScore; requiresShadow {minInputs ≥ 5} | null makes releases need that many shadow answers to live inputs with no scorer significantly worse than the live version (409 gate_failed)",
  scope: "admin",
  permission: "settings.manage",
  body: environmentRulesInput,
  response: environmentSchema,
});
