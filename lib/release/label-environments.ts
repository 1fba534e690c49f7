// Environments that exist because another system's label met one: a Langfuse client's or an import's label
// no environment had (recorded in label_environments with where it came from; they start without rules, and
// Settings says where they came from). moveLabel is how a label lands on a version for the Langfuse API and
// every importer: through promote, so review, gate and live-in rules apply as anywhere else.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { labelEnvironments } from "../../db/schema";
import type { DomainContext } from "../context";
import type { DeployOutcome } from "./deployments";
import { createEnvironment, listEnvironments, type EnvironmentRow } from "./environments";
import { promote } from "./promote";

const reasons = {
  "langfuse-api": (label: string) => `Label ${label} set through the Langfuse API`,
  "langfuse-import": (label: string) => `Label ${label} imported from Langfuse`,
  "promptlayer-import": (label: string) => `Release label ${label} imported from PromptLayer`,
  "langsmith-import": (label: string) => `Tag ${label} imported from LangSmith`,
  "pezzo-import": (label: string) => `Environment ${label} imported from Pezzo`,
};

/** Who met the label first: a Langfuse client ("langfuse-api") or an import ("<system>-import"). */
export type LabelSource = keyof typeof reasons;

/** The environment a label names, created (without rules, and recorded as a label's) when it is new. */
export async function labelEnvironment(
  ctx: DomainContext,
  label: string,
  source: LabelSource,
): Promise<EnvironmentRow> {
  const existing = (await listEnvironments(ctx.db, ctx.projectId)).find((e) => e.name === label);
  if (existing) return existing;
  const env = await createEnvironment(ctx, { name: label });
  await ctx.db.insert(labelEnvironments).values({ environmentId: env.id, projectId: ctx.projectId, source });
  return env;
}

/**
 * Puts a label on a version: the label's environment (created when new) serves that version, through
 * promote. When it serves it already, promote answers "already_live" and writes nothing, as it does for
 * the REST API and the UI.
 */
export async function moveLabel(
  ctx: DomainContext,
  prompt: { id: string; name: string },
  label: string,
  version: number,
  source: LabelSource,
): Promise<DeployOutcome> {
  const env = await labelEnvironment(ctx, label, source);
  return promote(ctx, prompt.name, { environment: env.name, version, reason: reasons[source](label) });
}

/** Whether an environment was created for a label, and by whom (Settings shows it). */
export async function labelEnvironmentSources(db: Db, projectId: string): Promise<Map<string, LabelSource>> {
  const rows = await db.select().from(labelEnvironments).where(eq(labelEnvironments.projectId, projectId));
  return new Map(rows.map((r) => [r.environmentId, r.source as LabelSource]));
}
