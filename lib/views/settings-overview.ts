// The settings page (read model): members and invitations, API keys, environments with their rules and where
// each came from, evaluation gates, model connections, prices, webhooks. What the actor may not manage comes
// back as null (keys, webhooks, connections) or empty (invitations), so the page shows why instead.
import type { DomainContext } from "../context";
import { listApiKeys } from "../auth/api-keys";
import { listInvitations } from "../auth/invitations";
import { can } from "../auth/permissions";
import { listMembers } from "../auth/projects";
import { listDatasets } from "../evaluation/datasets";
import { scorerOffers } from "../evaluation/runs/form-data";
import { listConnections } from "../llm/connections";
import { getPriceSheet } from "../llm/project-prices";
import { evaluationGateOf, listEnvironmentRows } from "../release/environments";
import { rulesAfterGate } from "../release/gates/gate-config";
import { gateStatus } from "../release/gates/gate-status";
import { labelEnvironmentSources } from "../langfuse/writes";
import type { UncheckedSpec } from "../scorers/form";
import { listWebhooks } from "../webhooks";

export async function settingsOverview(ctx: DomainContext) {
  const { db, actor, projectId } = ctx;
  const [members, envs, keys, invitations, hooks, connections, prices, datasets, sources, gates] = await Promise.all([
    listMembers(db, projectId),
    listEnvironmentRows(db, projectId),
    can(actor, "apikey.manage") ? listApiKeys(ctx) : Promise.resolve(null),
    can(actor, "member.manage") ? listInvitations(db, projectId) : Promise.resolve([]),
    can(actor, "webhook.manage") ? listWebhooks(ctx) : Promise.resolve(null),
    can(actor, "connection.manage") ? listConnections(ctx) : Promise.resolve(null),
    getPriceSheet(ctx),
    listDatasets(db, projectId),
    labelEnvironmentSources(db, projectId),
    // Which versions each gate needs a new run for (its dataset or scorers changed since they ran).
    gateStatus(db, projectId),
  ]);
  // LLM judges in a gate default to the first connection that names a model.
  const judgeModel = connections?.find((c) => c.defaultModel)?.defaultModel ?? undefined;
  const [environments, offers] = await Promise.all([
    Promise.all(
      envs.map(async (e) => {
        const gate = await evaluationGateOf(db, e);
        return {
          name: e.name,
          protected: e.protected,
          requiresReview: e.requiresReview,
          requiresLiveIn: e.requiresLiveIn,
          evaluationGate: gate && {
            dataset: gate.dataset,
            minScore: gate.minScore,
            maxDrop: gate.maxDrop,
            datasetVersion: gate.datasetVersion,
            scorers: gate.scorers as UncheckedSpec[],
            mode: gate.mode,
          },
          ...rulesAfterGate(e),
        };
      }),
    ),
    scorerOffers(db, projectId, judgeModel ?? null),
  ]);
  return {
    members: members.map((m) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      expiresAt: i.expiresAt.toISOString(),
    })),
    keys,
    environments,
    /** Environments made by a Langfuse label, and by which way (the API or an import). */
    origins: Object.fromEntries(
      envs.flatMap((e) => (sources.has(e.id) ? [[e.name, sources.get(e.id)!] as const] : [])),
    ),
    datasets: datasets.map((d) => d.name),
    gateChoices: Object.fromEntries(
      datasets.map((d) => [d.name, { version: d.version, presets: offers.get(d.id)! }]).filter(([, c]) => c),
    ),
    gates,
    connections,
    judgeModel,
    prices,
    webhooks: hooks,
  };
}
