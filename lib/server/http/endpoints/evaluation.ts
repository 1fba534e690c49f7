// The endpoints of datasets, online evaluation, shadow comparisons, scorer agreement and annotations: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import {
  addedItemsResponse,
  addItemsJsonBody,
  createDatasetInput,
  datasetListResponse,
  datasetSchema,
  deletedDatasetResponse,
  exportItemsQuery,
  itemPageResponse,
  listDatasetsQuery,
  listItemsInput,
  parseCreateDatasetInput,
  parseItemPatch,
  parseUpdateDatasetInput,
  removedItemsResponse,
  restoredVersionResponse,
  restoreVersionInput,
  updatedItemResponse,
  updateDatasetInput,
} from "@/lib/evaluation/datasets";
import { itemPatchSchema } from "@/lib/evaluation/datasets/parse";
import { agreementQuery, labelSourceQuery, nextToLabelResponse } from "@/lib/evaluation/judge-labels";
import { annotationInput, annotationSchema } from "@/lib/evaluation/online/annotations";
import {
  listSamplesInput,
  onlineRuleResponse,
  samplePageResponse,
  seriesQuery,
  seriesResponse,
} from "@/lib/evaluation/online/rule-reads";
import {
  deleteOnlineRuleInput,
  onlineEvalInput,
  onlineRuleQuery,
  parseOnlineRuleInput,
} from "@/lib/evaluation/online/rules";
import { shadowQuery } from "@/lib/evaluation/online/shadow/shadow-read";
import { agreementContract, shadowContract } from "@/lib/stats/contracts";
import { endpoint, noContent } from "../endpoint";
import { datasetItemParams, idParams, promptParams } from "../path-params";

export const createDataset = endpoint({
  method: "POST",
  path: "/api/v1/datasets",
  summary: "Create a dataset, optionally tied to a prompt (CSV cells are then parsed against its variable types)",
  scope: "admin",
  // Checked before the body, as createDataset does (403 before 422).
  permission: "evaluation.run",
  body: parseCreateDatasetInput,
  bodySchema: createDatasetInput,
  status: 201,
  response: datasetSchema,
});

export const listDatasets = endpoint({
  method: "GET",
  path: "/api/v1/datasets",
  summary: "Datasets with their current version and item count (?prompt=)",
  scope: "admin",
  permission: "evaluation.read",
  query: listDatasetsQuery,
  response: datasetListResponse,
});

export const getDataset = endpoint({
  method: "GET",
  path: "/api/v1/datasets/{id}",
  params: idParams("dataset"),
  summary: "One dataset (id or name)",
  scope: "admin",
  permission: "evaluation.read",
  response: datasetSchema,
});

export const updateDataset = endpoint({
  method: "PATCH",
  path: "/api/v1/datasets/{id}",
  params: idParams("dataset"),
  summary: "Rename, describe or (un)tie a dataset to a prompt",
  scope: "admin",
  // Checked before the body, as updateDataset does (403 before 422).
  permission: "evaluation.run",
  body: parseUpdateDatasetInput,
  bodySchema: updateDatasetInput,
  response: datasetSchema,
});

export const deleteDataset = endpoint({
  method: "DELETE",
  path: "/api/v1/datasets/{id}",
  params: idParams("dataset"),
  summary: "Delete a dataset, its items and its runs (409 while an environment's gate uses it)",
  scope: "admin",
  permission: "evaluation.manage",
  response: deletedDatasetResponse,
});

export const addDatasetItems = endpoint({
  method: "POST",
  path: "/api/v1/datasets/{id}/items",
  params: idParams("dataset"),
  summary:
    "Add items as a new dataset version: application/json {items: [{input, expected?, tags?, metadata?}]} or {sampleIds: [online sample ids]}, text/csv (a column per variable, expected, tags split on ';', metadata) or application/x-ndjson. All or nothing: 422 details.errors lists each bad row {row, field, message}",
  scope: "admin",
  permission: "evaluation.run",
  // No `body`: addUploadedItems reads it once the Content-Type names a format it takes.
  bodySchema: addItemsJsonBody,
  bodyTypes: { "text/csv": { schema: { type: "string" } }, "application/x-ndjson": { schema: { type: "string" } } },
  status: 201,
  response: addedItemsResponse,
});

export const restoreDatasetVersion = endpoint({
  method: "POST",
  path: "/api/v1/datasets/{id}/restore",
  params: idParams("dataset"),
  summary:
    "Undo: a new dataset version with the items of an earlier one (default: the one before the current); runs made on those items count for gates again",
  scope: "admin",
  permission: "evaluation.run",
  body: restoreVersionInput,
  status: 201,
  response: restoredVersionResponse,
});

export const listDatasetItems = endpoint({
  method: "GET",
  path: "/api/v1/datasets/{id}/items",
  params: idParams("dataset"),
  summary: "Items of a dataset version (default: current), page by page",
  scope: "admin",
  permission: "evaluation.read",
  errors: ["unprocessable"],
  query: listItemsInput,
  response: itemPageResponse,
});

export const updateDatasetItem = endpoint({
  method: "PATCH",
  path: "/api/v1/datasets/{id}/items/{itemId}",
  params: datasetItemParams,
  summary: "Edit an item: a new dataset version with a new revision of the item (its new id is returned)",
  scope: "admin",
  // Checked before the body, as updateDatasetItem does (403 before 422).
  permission: "evaluation.run",
  body: parseItemPatch,
  bodySchema: itemPatchSchema,
  response: updatedItemResponse,
});

export const removeDatasetItem = endpoint({
  method: "DELETE",
  path: "/api/v1/datasets/{id}/items/{itemId}",
  params: datasetItemParams,
  summary: "Remove an item: a new dataset version without it",
  scope: "admin",
  permission: "evaluation.run",
  response: removedItemsResponse,
});

export const exportDataset = endpoint({
  method: "GET",
  path: "/api/v1/datasets/{id}/export",
  params: idParams("dataset"),
  summary: "Download a dataset version as CSV or JSONL (?format=csv|jsonl&version=)",
  scope: "admin",
  permission: "evaluation.read",
  query: exportItemsQuery,
  response: {
    contentType: "text/csv",
    description:
      "The items as a file (Content-Disposition: attachment): text/csv for format=csv, application/x-ndjson (one JSON item a line) for format=jsonl",
  },
});

export const putOnlineEvaluation = endpoint({
  method: "PUT",
  path: "/api/v1/prompts/{name}/online-evaluation",
  params: promptParams,
  summary:
    "Create or replace the online evaluation rule of a prompt in an environment: sampling, scorers, signals, window, alert and automatic rollback thresholds, and shadow candidates (shadow: {versions, sampleRate, maxCallsPerDay, maxCostUsdPerDay, connection, judge}, where a version may be {version, partials: {name: version}} to render it with other versions of partials it includes, read back under compositions; 422 names the field)",
  scope: "admin",
  permission: "evaluation.manage",
  // 422 naming the field, nothing written.
  body: parseOnlineRuleInput,
  bodySchema: onlineEvalInput,
  response: onlineRuleResponse,
});

export const getOnlineEvaluation = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/online-evaluation",
  params: promptParams,
  summary:
    "The rule of an environment (?environment=, default production), its samples per version and the last check's decision",
  scope: "admin",
  permission: "evaluation.read",
  query: onlineRuleQuery,
  response: onlineRuleResponse,
});

export const deleteOnlineEvaluation = endpoint({
  method: "DELETE",
  path: "/api/v1/prompts/{name}/online-evaluation",
  params: promptParams,
  summary: "Remove the rule of an environment (?environment=)",
  scope: "admin",
  permission: "evaluation.manage",
  query: deleteOnlineRuleInput,
  status: 204,
  response: noContent,
});

export const listOnlineSamples = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/online-evaluation/samples",
  params: promptParams,
  summary:
    "Scored production outputs of a version, newest first, with each scorer's score and reason (?environment=&version=&before=&limit=)",
  scope: "admin",
  permission: "evaluation.read",
  query: listSamplesInput,
  response: samplePageResponse,
});

export const onlineScoreSeries = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/online-evaluation/series",
  params: promptParams,
  summary:
    "Mean score per version, hour or day and scorer, for charts (?environment=&bucket=): {version, at, scorer, n, mean, ci (95% Wilson interval on 0–1, conservative for graded scorers)}",
  scope: "admin",
  permission: "evaluation.read",
  query: seriesQuery,
  response: seriesResponse,
});

export const shadowComparison = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/shadow",
  params: promptParams,
  summary:
    "Shadow evaluation of the environment's rule (?environment=, default production; an environment the project does not have is a 404 naming it): per candidate version over its latest answers against the live version (window {answers, since, leftOut}: 2,000, or the environment's requiresShadow.minInputs when larger) {version, n (inputs compared on every scorer: the smallest per-scorer count of pairs; a scorer error on the candidate's answer where the live one scored is a loss), answered, pairsPerScorer, wins, ties, losses, paired {n, meanDiff, ci, tPValue, wilcoxonPValue, adjustedPValue, significant}, scorers, verdict, costUsdDiff, latencyMsDiff}, the day's budget, and with version= its latest answers beside the live ones",
  scope: "admin",
  permission: "evaluation.read",
  query: shadowQuery,
  response: shadowContract,
});

export const scorerAgreement = endpoint({
  method: "GET",
  path: "/api/v1/scorers/agreement",
  summary:
    "Each LLM-judge scorer of an online rule (?rule=&scorer=) or of an evaluation run (?run=&scorer=) against people's labels of its outputs: at the top {scorer, labels, kappa, weightedKappa?, confusion, disagreements, warning} of the named (else first) judge (labels: those κ rests on, pass/fail when there are any, else 1–5; disagreements: [{sampleId | runItemId (the other null), output, human, judge, judgeScore, reason, comment}]); per judge in judges: the same, with passFail {kappa, strength, observedAgreement, confusion}, scale {weightedKappa (quadratic), spearman, confusion}, and a warning below 30 labels or κ < 0.6",
  scope: "admin",
  permission: "evaluation.read",
  query: agreementQuery,
  response: agreementContract,
});

export const createAnnotation = endpoint({
  method: "POST",
  path: "/api/v1/annotations",
  summary:
    "A person's label of a sampled live output or of an evaluation run's output, a score with source human: {sampleId | runItemId, score: 1–5 | pass | fail | true | false, comment?} (label: pass | fail is the older spelling); answers {source: human, score, label, scale, comment, by, at}; labelling the same output again replaces the label (the label is the signed-in member's, or the API key's)",
  scope: "admin",
  permission: "annotation.write",
  body: annotationInput,
  status: 201,
  response: annotationSchema,
});

export const nextOutputToLabel = endpoint({
  method: "GET",
  path: "/api/v1/annotations/next",
  summary:
    "The next output to label, with the judges' rubrics and label counts: of an online rule (?rule=: the newest scored output this person has not labelled; sample is null when none is left), or of an evaluation run (?run=: its first output in dataset order not labelled yet, as item {id (the runItemId), position, repetition, input, expected, output}; item is null when none is left)",
  scope: "admin",
  permission: "evaluation.read",
  query: labelSourceQuery,
  response: nextToLabelResponse,
});
