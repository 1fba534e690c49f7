// Writes the demo prompts (db/seed.ts) through the registry and release functions, and starts the
// demo experiment through lib/experiments (so it is audited like any other).
import { demoExperiment, demoPrompts } from "../../db/seed";
import { startExperiment } from "../experiments/lifecycle";
import { createExperiment } from "../experiments/store";
import { createPrompt } from "../registry/prompts";
import { saveVersion } from "../registry/versions";
import { parseContent } from "../registry/content";
import { deploy } from "../release/deployments";
import type { DomainContext } from "../context";
import { getEnvironmentRow, updateEnvironment } from "../release/environments";
import { seedDemoEvaluation } from "./demo-evaluation";
import { seedDemoExperimentTraffic } from "./demo-experiment";
import { seedDemoShadow } from "./demo-shadow";
import { seedDemoSummaries } from "./demo-summaries";
import { createConnection } from "../llm/connections/create";
import { SCRIPTED_LABEL } from "../llm/provider-labels";

/**
 * The demo shows the workflow Lectern is for: production takes only versions that were live in
 * staging and have an approved review. (New projects start without these two rules; see Settings.)
 */
export const demoProductionRules = { requiresReview: true, requiresLiveIn: "staging" } as const;

/**
 * The demo's model: Lectern's built-in scripted model (lib/llm/scripted), the project's default connection,
 * so that every button of the README's tour (gate runs, the optimizer, shadow evaluation, the playground)
 * works on a fresh install with nothing configured, and nothing leaves the machine.
 */
export const demoConnection = {
  name: SCRIPTED_LABEL,
  provider: "scripted",
  isDefault: true,
  defaultModel: "gpt-4o-mini",
} as const;

export async function seedDemoPrompts(
  ctx: DomainContext,
  /** scriptedModel false: no model connection (a test that brings its own model, as a team with one would). */
  opts: { scriptedModel?: boolean } = {},
): Promise<void> {
  const { db, projectId } = ctx;
  // No key is stored for it, so no encryption key is needed.
  const scripted = opts.scriptedModel !== false;
  if (scripted) await createConnection(ctx, demoConnection, null);
  for (const p of demoPrompts) {
    const [first, ...rest] = p.versions;
    const { prompt } = await createPrompt(ctx, {
      name: p.name,
      description: p.description,
      tags: [...p.tags],
      ...first,
    });
    let current = prompt;
    for (const v of rest) {
      await saveVersion(ctx, current, parseContent(v), { commitMessage: v.commitMessage, baseVersion: null });
      current = { ...current, latestVersion: current.latestVersion + 1 };
    }
    for (const d of p.deploy)
      await deploy(
        ctx,
        prompt,
        await getEnvironmentRow(db, projectId, d.environment),
        d.version,
        "promote",
        "Demo setup",
      );
  }
  await updateEnvironment(ctx, "production", demoProductionRules);
  const experiment = await createExperiment(ctx, {
    ...demoExperiment,
    variants: [...demoExperiment.variants],
    guardrails: [...demoExperiment.guardrails],
    ratioMetrics: [...demoExperiment.ratioMetrics],
  });
  await seedDemoExperimentTraffic(ctx, await startExperiment(ctx, experiment.id));
  await seedDemoEvaluation(ctx, scripted ? demoConnection.name : undefined);
  await seedDemoShadow(ctx);
  await seedDemoSummaries(ctx);
}
