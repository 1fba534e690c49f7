// The /api/v1 endpoints of evaluation (datasets, runs, online evaluation, alerts, model connections and
// prices), for the OpenAPI document (../openapi.ts).
import "server-only";
import { onlineEvalInput } from "@/lib/evaluation/online/rules";
import { createDatasetInput, listItemsInput, restoreVersionInput, updateDatasetInput } from "@/lib/evaluation/datasets";
import { itemPatchSchema, itemSchema } from "@/lib/evaluation/datasets/parse";
import { compareInput, createRunInput, listRunItemsInput, listRunsInput } from "@/lib/evaluation/runs";
import { createConnectionInput, updateConnectionInput } from "@/lib/llm/connections";
import { testConnectionInput } from "@/lib/llm/connection-test";
import { setPricesInput } from "@/lib/llm/project-prices";
import { playgroundInput } from "@/lib/evaluation/playground";
import { promptStatsQuery } from "@/lib/views/prompt-stats";
import { annotationInput } from "@/lib/evaluation/online/annotations";
import { shadowQuery } from "@/lib/evaluation/online/shadow-read";
import { type Endpoint, schema } from "./shared";

export const evaluationEndpoints: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/datasets",
    summary: "Create a dataset, optionally tied to a prompt (CSV cells are then parsed against its variable types)",
    scope: "admin",
    body: createDatasetInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    summary: "Datasets with their current version and item count (?prompt=)",
    scope: "admin",
  },
  { method: "get", path: "/api/v1/datasets/{id}", summary: "One dataset (id or name)", scope: "admin" },
  {
    method: "patch",
    path: "/api/v1/datasets/{id}",
    summary: "Rename, describe or (un)tie a dataset to a prompt",
    scope: "admin",
    body: updateDatasetInput,
  },
  {
    method: "delete",
    path: "/api/v1/datasets/{id}",
    summary: "Delete a dataset, its items and its runs (409 while an environment's gate uses it)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/datasets/{id}/items",
    summary:
      "Add items as a new dataset version: application/json {items: [{input, expected?, tags?, metadata?}]} or {sampleIds: [online sample ids]}, text/csv (a column per variable, expected, tags split on ';', metadata) or application/x-ndjson. All or nothing: 422 details.errors lists each bad row {row, field, message}",
    scope: "admin",
    body: {
      type: "object",
      properties: {
        items: { type: "array", items: schema(itemSchema) },
        sampleIds: { type: "array", items: { type: "integer" } },
      },
    },
    bodyTypes: { "text/csv": { schema: { type: "string" } }, "application/x-ndjson": { schema: { type: "string" } } },
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/datasets/{id}/restore",
    summary:
      "Undo: a new dataset version with the items of an earlier one (default: the one before the current); runs made on those items count for gates again",
    scope: "admin",
    body: restoreVersionInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/items",
    summary: "Items of a dataset version (default: current), page by page",
    scope: "admin",
    query: listItemsInput,
  },
  {
    method: "patch",
    path: "/api/v1/datasets/{id}/items/{itemId}",
    summary: "Edit an item: a new dataset version with a new revision of the item (its new id is returned)",
    scope: "admin",
    body: itemPatchSchema,
  },
  {
    method: "delete",
    path: "/api/v1/datasets/{id}/items/{itemId}",
    summary: "Remove an item: a new dataset version without it",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/export",
    summary: "Download a dataset version as CSV or JSONL (?format=csv|jsonl&version=)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/eval-runs",
    summary:
      "Start an evaluation run of a prompt version over a dataset version (default: current) → 202 {id, status: queued}; a durable job scores every item (× repetitions) with the scorers",
    scope: "admin",
    body: createRunInput,
    status: 202,
  },
  {
    method: "get",
    path: "/api/v1/eval-runs",
    summary: "Evaluation runs, newest first (?prompt=&version=&dataset=&status=)",
    scope: "admin",
    query: listRunsInput,
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/{id}",
    summary:
      "A run: status (queued, running, completed, unscored: a weighted scorer scored no answer, failed, cancelled), progress {done, total}, score (errors count as failures), scores per scorer, per-tag breakdown, costUsd, tokens, startedAt, finishedAt",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/{id}/items",
    summary:
      "A run's results per item: input, expected, output, each scorer's score and reason, latency, tokens, cost (?failed=true)",
    scope: "admin",
    query: listRunItemsInput,
  },
  {
    method: "post",
    path: "/api/v1/eval-runs/{id}/cancel",
    summary: "Cancel a queued or running run (calls in flight are aborted; 409 once finished)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/compare",
    summary:
      "Two runs on the same dataset version side by side per item: outputs, scores, deltas (?a=&b=&regressions=true); per scorer a paired comparison paired {n, meanDiff, ci, tPValue, wilcoxonPValue, adjustedPValue (Holm across scorers), significant, direction}, paired.overall for the weighted item score, a verdict sentence, and each run's statistics {score, ci (t over items), repetitions, passAtK, passHatK, unstable}",
    scope: "admin",
    query: compareInput,
  },
  {
    method: "post",
    path: "/api/v1/annotations",
    summary:
      "A person's label of a sampled live output or of an evaluation run's output, a score with source human: {sampleId | runItemId, score: 1–5 | pass | fail | true | false, comment?} (label: pass | fail is the older spelling); answers {source: human, score, label, scale, comment, by, at}; labelling the same output again replaces the label (the label is the signed-in member's, or the API key's)",
    scope: "admin",
    body: annotationInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/annotations/next",
    summary:
      "The next output to label, with the judges' rubrics and label counts: of an online rule (?rule=: the newest scored output this person has not labelled; sample is null when none is left), or of an evaluation run (?run=: its first output in dataset order not labelled yet, as item {id (the runItemId), position, repetition, input, expected, output}; item is null when none is left)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/scorers/agreement",
    summary:
      "Each LLM-judge scorer of an online rule (?rule=&scorer=) or of an evaluation run (?run=&scorer=) against people's labels of its outputs: at the top {scorer, labels, kappa, weightedKappa?, confusion, disagreements, warning} of the named (else first) judge (labels: those κ rests on, pass/fail when there are any, else 1–5; disagreements: [{sampleId | runItemId (the other null), output, human, judge, judgeScore, reason, comment}]); per judge in judges: the same, with passFail {kappa, strength, observedAgreement, confusion}, scale {weightedKappa (quadratic), spearman, confusion}, and a warning below 30 labels or κ < 0.6",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary:
      "Create or replace the online evaluation rule of a prompt in an environment: sampling, scorers, signals, window, alert and automatic rollback thresholds, and shadow candidates (shadow: {versions, sampleRate, maxCallsPerDay, maxCostUsdPerDay, connection, judge}, where a version may be {version, partials: {name: version}} to render it with other versions of partials it includes, read back under compositions; 422 names the field)",
    scope: "admin",
    body: onlineEvalInput,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary:
      "The rule of an environment (?environment=, default production), its samples per version and the last check's decision",
    scope: "admin",
  },
  {
    method: "delete",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary: "Remove the rule of an environment (?environment=)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation/samples",
    summary:
      "Scored production outputs of a version, newest first, with each scorer's score and reason (?environment=&version=&before=&limit=)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/shadow",
    summary:
      "Shadow evaluation of the environment's rule (?environment=, default production; an environment the project does not have is a 404 naming it): per candidate version over its latest answers against the live version (window {answers, since, leftOut}: 2,000, or the environment's requiresShadow.minInputs when larger) {version, n (inputs compared on every scorer: the smallest per-scorer count of pairs; a scorer error on the candidate's answer where the live one scored is a loss), answered, pairsPerScorer, wins, ties, losses, paired {n, meanDiff, ci, tPValue, wilcoxonPValue, adjustedPValue, significant}, scorers, verdict, costUsdDiff, latencyMsDiff}, the day's budget, and with version= its latest answers beside the live ones",
    query: shadowQuery,
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/stats",
    summary:
      "Per version (newest first) with generations or scores in the range: {version, environments, generations, inputTokens, outputTokens, costUsd (totals), latencyMs {mean, p50, p95} (percentiles from logarithmic bins, within 2.5% of latency + 1 ms), scores {samples, mean, scorers {name: {n, mean}}} (online evaluation), feedback {thumbsUp, thumbsDown, ratings, meanRating}}; OTLP spans count as generations. ?environment= (all when left out), ?from= and ?to= (ISO date-times; whole UTC days for usage and feedback, hours for scores)",
    query: promptStatsQuery,
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation/series",
    summary:
      "Mean score per version, hour or day and scorer, for charts (?environment=&bucket=): {version, at, scorer, n, mean, ci (95% Wilson interval on 0–1, conservative for graded scorers)}",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/alerts",
    summary:
      "Alerts (kind: regression, auto_rollback, rollback_withheld, experiment_regression, rollout_regression), newest first (?open=true&prompt=)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/alerts/{id}/acknowledge",
    summary: "Acknowledge an alert (idempotent)",
    scope: "admin",
    status: 204,
  },
  {
    method: "post",
    path: "/api/v1/connections",
    summary:
      "Add a model connection (openai, anthropic or openai-compatible: base URL, key, limits). The key is stored AES-256-GCM encrypted and never returned, only a mask like …abcd; 409 when the name is taken",
    scope: "admin",
    body: createConnectionInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/connections",
    summary: "The project's model connections (keys masked)",
    scope: "admin",
  },
  {
    method: "patch",
    path: "/api/v1/connections/{id}",
    summary:
      "Change a connection; apiKey replaces the stored key (null removes it); cached callers pick the change up at once",
    scope: "admin",
    body: updateConnectionInput,
  },
  { method: "delete", path: "/api/v1/connections/{id}", summary: "Delete a connection", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/connections/{id}/test",
    summary:
      "One short call through the connection (model: the given one or the connection's default model): ok, reply, latency and the classified error",
    scope: "admin",
    body: testConnectionInput,
  },
  {
    method: "get",
    path: "/api/v1/prices",
    summary:
      "Model prices in USD per million tokens: the default table (and the date it was checked) and the project's overrides",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/prices",
    summary: "Replace the project's price overrides; they apply before the defaults to every cost Lectern computes",
    scope: "admin",
    body: setPricesInput,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/playground",
    summary:
      "Run a version once with the given variables against its model (or `model`) through a project connection (default: the project's default, else LLM_BASE_URL): output, tokens, cost, latency, attempts and any error",
    scope: "admin",
    body: playgroundInput,
  },
];
