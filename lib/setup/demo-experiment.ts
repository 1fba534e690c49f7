// The demo experiment's first users, so a fresh demo shows results at once: each simulated user's thumbs on
// the control in the ten days before the experiment started (history, naming no experiment) and, since the
// start, their exposure, generation and (for most) a thumbs up or down, from the same simulated users as
// `npm run demo:traffic` (lib/setup/demo-users.ts). The concise variant truly gets more thumbs up and
// costs less; users who liked answers before still like them more: CUPED takes their history as the
// covariate and shows the adjusted lift beside the raw one. Recorded through the real ingest path.
import { compileAssignment } from "../experiments/assign";
import { refreshDecision } from "../experiments/analysis/decisions";
import type { Experiment } from "../experiments/store";
import { ingestEvents } from "../ingest/ingest";
import { maxEventsPerBatch } from "../experiments/metric-events";
import type { DomainContext } from "../context";
import { historyEvents, seededRandom, tastes, userEvents } from "./demo-users";

/** Users recorded by the seed: enough for the adjusted interval to be visibly narrower, too few for a verdict. */
export const demoExperimentUsers = 600;
const seed = "seed";

export async function seedDemoExperimentTraffic(ctx: DomainContext, e: Experiment): Promise<void> {
  const phase = e.phases.find((p) => p.phase === e.phase)!;
  const since = e.startedAt!.getTime();
  const control = e.variants[0]!;
  const assign = compileAssignment({
    seed: phase.seed,
    coverage: e.coverage,
    namespace: e.namespace === null ? null : { name: e.namespace, range: [e.namespaceStart ?? 0, e.namespaceEnd ?? 1] },
    variants: e.variants.map((v) => ({ key: v.key, weight: Number((phase.weights as Record<string, number>)[v.key]) })),
  });
  const { random, normal } = seededRandom(seed);
  const taste = tastes(demoExperimentUsers, normal);
  const events: Record<string, unknown>[] = historyEvents({
    run: seed,
    prompt: e.prompt,
    environment: e.environment,
    version: control.version,
    since,
    perUser: 4,
    taste,
    random,
  });
  const now = Date.now();
  for (let i = 0; i < demoExperimentUsers; i++) {
    const subject = `demo-${seed}-${i}`;
    const variant = assign(subject)?.key;
    if (!variant) continue;
    const common = {
      prompt: e.prompt,
      version: e.variants.find((v) => v.key === variant)!.version,
      environment: e.environment,
      subject,
      at: new Date(since + ((now - since) * i) / demoExperimentUsers).toISOString(),
      experimentId: e.id,
      variant,
      phase: e.phase,
    };
    events.push({ id: `${subject}-exp`, type: "exposure", ...common });
    const kind = variant === control.key ? "today" : "better";
    events.push(
      ...userEvents({ id: subject, i, kind, common, taste: taste[i]!, feedbackRate: 0.7, random, normal }).events,
    );
  }
  for (let from = 0; from < events.length; from += maxEventsPerBatch)
    await ingestEvents(ctx.db, ctx.projectId, { events: events.slice(from, from + maxEventsPerBatch) });
  // The experiments list shows the call as last computed: this one, until the scheduled job's first run.
  await refreshDecision(ctx.db, ctx.projectId, e.id, ctx.now);
}
