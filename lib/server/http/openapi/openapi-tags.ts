import "server-only";
import type { Endpoint } from "../endpoint";

// The OpenAPI document's tags: one per resource, each owning the path prefixes below it. An operation takes the
// tag of its longest matching prefix, and "Runtime" besides when a runtime key may call it.

export const apiTags = [
  {
    name: "Prompts",
    description: "Prompts: create, list, read, describe, comment, dependents, stats, the playground, file import",
    prefixes: ["/api/v1/prompts"],
  },
  {
    name: "Versions",
    description:
      "A prompt's immutable versions: history, save, diff, release plan, export; version labels (aliases of a version)",
    prefixes: ["/api/v1/prompts/{name}/versions", "/api/v1/prompts/{name}/version-labels"],
  },
  {
    name: "Deployments",
    description: "What each environment serves: promote a version, the release log, rollback",
    prefixes: ["/api/v1/prompts/{name}/deployments", "/api/v1/prompts/{name}/rollback"],
  },
  {
    name: "Environments",
    description: "The project's environments and their release rules",
    prefixes: ["/api/v1/environments"],
  },
  {
    name: "Drafts",
    description: "Draft copies of a prompt, edited apart and merged back",
    prefixes: ["/api/v1/prompts/{name}/drafts", "/api/v1/drafts"],
  },
  {
    name: "Reviews",
    description: "Review requests for a release, and their decisions",
    prefixes: ["/api/v1/prompts/{name}/reviews", "/api/v1/reviews"],
  },
  {
    name: "Rollouts",
    description: "Guarded rollouts: a release ramped in steps, watched by guardrails",
    prefixes: ["/api/v1/prompts/{name}/rollouts", "/api/v1/rollouts"],
  },
  {
    name: "Bundles",
    description: "Named sets of prompts released, reviewed, rolled out and experimented on as one",
    prefixes: ["/api/v1/bundles"],
  },
  {
    name: "Experiments",
    description: "A/B experiments and bandits: lifecycle, namespaces, results",
    prefixes: ["/api/v1/experiments"],
  },
  {
    name: "Evaluations",
    description: "Eval runs, online evaluation, shadow comparison, annotations and scorer agreement",
    prefixes: [
      "/api/v1/eval-runs",
      "/api/v1/prompts/{name}/online-evaluation",
      "/api/v1/prompts/{name}/shadow",
      "/api/v1/annotations",
      "/api/v1/scorers",
    ],
  },
  { name: "Datasets", description: "Datasets, their items and versions", prefixes: ["/api/v1/datasets"] },
  { name: "Optimizations", description: "Prompt optimization jobs", prefixes: ["/api/v1/optimizations"] },
  {
    name: "Runtime",
    description: "What a runtime key may call: resolve and render, change streams, metric and trace ingest",
    prefixes: ["/api/v1/prompts/resolve", "/api/v1/events", "/api/v1/otel"],
  },
  {
    name: "Skills",
    description:
      "Skills URLs (a skills key's, and a project's published one that needs no key): the Agent Skills Discovery index and its artifacts; what a project publishes",
    prefixes: ["/api/v1/skills"],
  },
  { name: "Keys", description: "API keys: create, list, revoke", prefixes: ["/api/v1/api-keys"] },
  { name: "Webhooks", description: "Webhooks and their deliveries", prefixes: ["/api/v1/webhooks"] },
  { name: "Connections", description: "LLM provider connections", prefixes: ["/api/v1/connections"] },
  { name: "Alerts", description: "Alerts raised by regressions and guardrails", prefixes: ["/api/v1/alerts"] },
  {
    name: "Project",
    description:
      "The key's project, prices, the audit log, snapshots and the imports (Langfuse, Pezzo, PromptLayer, LangSmith)",
    prefixes: ["/api/v1/project", "/api/v1/prices", "/api/v1/audit", "/api/v1/snapshot", "/api/v1/import"],
  },
  {
    name: "Langfuse",
    description: "Langfuse-compatible prompt API (/api/public/v2), with Langfuse's errors and basic auth",
    prefixes: ["/api/public"],
  },
  {
    name: "Pezzo",
    description:
      "Pezzo-compatible API (/api/compat/pezzo): @pezzo/client's getPrompt and reportPromptExecution, with Pezzo's errors and x-pezzo-api-key",
    prefixes: ["/api/compat/pezzo"],
  },
  {
    name: "PromptLayer",
    description:
      "PromptLayer-compatible API (/api/compat/promptlayer): templates, publish and request logging for PromptLayer's own clients, with PromptLayer's errors and X-API-KEY",
    prefixes: ["/api/compat/promptlayer"],
  },
  {
    name: "LangSmith",
    description:
      "LangSmith-compatible prompt hub (/api/compat/langsmith): repos, commits, pulls and pushes for LangSmith's own clients and langchain/hub, with LangSmith's errors and x-api-key",
    prefixes: ["/api/compat/langsmith"],
  },
] as const;

const startsAt = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** An operation's tags: its resource (the longest prefix that holds its path), and Runtime for a runtime key's. */
export function tagsOf(e: Pick<Endpoint, "path" | "scope">): string[] {
  let best: { name: string; length: number } | undefined;
  for (const tag of apiTags)
    for (const prefix of tag.prefixes)
      if (startsAt(e.path, prefix) && prefix.length > (best?.length ?? -1))
        best = { name: tag.name, length: prefix.length };
  const tags = best ? [best.name] : [];
  if (e.scope === "runtime" && !tags.includes("Runtime")) tags.push("Runtime");
  return tags;
}
