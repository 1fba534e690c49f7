// The summarizer's offline comparison: a 24-report dataset, a run of live version 1 and a run of version 2
// (the one-sentence candidate) judged against it by a pairwise judge, so the compare page shows the paired
// verdict per scorer beside the pairwise judge's wins, ties and losses. The answers are the shadow's
// (lib/setup/demo-shadow.ts) and so are the scripted judges: no model is called, the scoring is real.
import type { DomainContext } from "../context";
import { addItems } from "../evaluation/datasets/items";
import { createDataset } from "../evaluation/datasets/datasets";
import { recordRun } from "../evaluation/runs/record-run";
import { candidateSummary, demoShadowCase, demoShadowModels, demoShadowRule } from "./demo-shadow";

export const demoSummariesDataset = "summarizer incidents";
const reports = 24;

/** The online rule's scorers (the faithful judge and the length limit), and its pairwise judge. */
const scorers = [...demoShadowRule.scorers];
const pairwise = demoShadowRule.shadow.judge;

export async function seedDemoSummaries(ctx: DomainContext): Promise<void> {
  const ds = await createDataset(ctx, {
    name: demoSummariesDataset,
    prompt: "summarizer",
    description: "Incident reports whose summaries must keep every name and number.",
  });
  await addItems(
    ctx,
    ds.id,
    Array.from({ length: reports }, (_, i) => ({
      input: { document: demoShadowCase(i).document, doc_type: "incident report", max_bullets: 3 },
      tags: [demoShadowCase(i).team.toLowerCase()],
      metadata: { case: i + 1 },
    })),
    { source: "demo" },
  );
  const models = { models: demoShadowModels };
  const live = await recordRun(
    ctx,
    { prompt: "summarizer", version: 1, dataset: ds.id, scorers },
    ({ position }) => ({ text: demoShadowCase(position).output, latencyMs: 1100 + ((position * 53) % 400) }),
    models,
  );
  await recordRun(
    ctx,
    { prompt: "summarizer", version: 2, dataset: ds.id, scorers: [...scorers, pairwise], baseline: live.id },
    ({ position }) => ({ text: candidateSummary(position), latencyMs: 420 + ((position * 29) % 120) }),
    models,
  );
}
