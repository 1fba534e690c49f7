// Benchmark rows for experiments (docs/benchmarks.md): resolve on an L1 hit with a running experiment against the
// same resolve without one (HTTP, alternating rounds, rotating subjects), and experiment results read
// from the aggregates after 1,000,000 metric events (in process, the same functions the routes call),
// with the in-process ingest rate on the way. The SDK row uses sdk/bench.ts with subjects.
import autocannon from "autocannon";
import type { Database } from "../db/client";
import { createProject } from "../lib/auth/projects";
import { compileAssignment } from "../lib/experiments/assign";
import { ingestEvents } from "../lib/ingest/ingest";
import { startExperiment } from "../lib/experiments/lifecycle";
import { experimentResults } from "../lib/experiments/analysis/results";
import { covariatePairs } from "../lib/experiments/analysis/covariates";
import { createExperiment, getExperiment } from "../lib/experiments/store";
import { refreshDecision } from "../lib/experiments/analysis/decisions";
import { experimentSummaries } from "../lib/experiments/analysis/experiment-summaries";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { cpuUs } from "./procs";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";
import { system } from "./setup";
import { summarize } from "./stats";

type Api = (method: string, path: string, key: string, body?: unknown) => Promise<{ status: number; body: any }>;

const experimentInput = (prompt: string, environment: string) => ({
  prompt,
  environment,
  name: `Bench ${prompt}`,
  variants: [
    { key: "A", version: 1, weight: 0.5 },
    { key: "B", version: 2, weight: 0.5 },
  ],
  mode: "sequential" as const,
  primaryMetric: { name: "thumbs", kind: "binary" as const },
  guardrails: [{ name: "latency_ms", kind: "continuous" as const, direction: "increase_is_bad" as const }],
});

/** Creates `bench-exp` (two versions, v1 live in production) with a running A/B experiment, over the API. */
export async function seedHttpExperiment(api: Api, adminKey: string): Promise<void> {
  const must = async (p: Promise<{ status: number; body: unknown }>, what: string) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id?: string };
  };
  await must(
    api("POST", "/api/v1/prompts", adminKey, {
      name: "bench-exp",
      type: "text",
      template: "Hello {{name}}",
      variables: [{ name: "name" }],
    }),
    "create bench-exp",
  );
  await must(api("POST", "/api/v1/prompts/bench-exp/versions", adminKey, { template: "Hi {{name}}" }), "version 2");
  await must(
    api("POST", "/api/v1/prompts/bench-exp/deployments", adminKey, { environment: "production", version: 1 }),
    "promote",
  );
  const e = await must(
    api("POST", "/api/v1/experiments", adminKey, experimentInput("bench-exp", "production")),
    "create experiment",
  );
  await must(api("POST", `/api/v1/experiments/${e.id}/start`, adminKey), "start experiment");
}

type Round = { rps: number; p50Ms: number; p99Ms: number; non2xx: number; serverCpuUsPerRequest: number | null };

async function round(
  base: string,
  key: string,
  path: string,
  seconds: number,
  connections: number,
  serverPid?: number,
): Promise<Round> {
  let n = 0;
  // The process that answers resolves (Lectern's server, not its Next process).
  const before = cpuUs(serverPid);
  const r = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
    // A different subject per request (10,000 of them), the way an application resolves per user.
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `${path}&subject=user-${n++ % 10_000}` }) }],
  });
  const after = cpuUs(serverPid);
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    serverCpuUsPerRequest:
      before !== null && after !== null && r.requests.total ? (after - before) / r.requests.total : null,
  };
}

/** Resolve (L1 hit) of a prompt under a running experiment vs a prompt without one, alternating; medians. */
export async function experimentResolveRatio(
  base: string,
  runtimeKey: string,
  opts: { rounds: number; seconds: number; connections: number; serverPid?: number },
) {
  const plain = "/api/v1/prompts/resolve?name=bench-prompt";
  const split = "/api/v1/prompts/resolve?name=bench-exp";
  await round(base, runtimeKey, plain, 2, opts.connections);
  await round(base, runtimeKey, split, 2, opts.connections);
  const without: Round[] = [];
  const withExp: Round[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    without.push(await round(base, runtimeKey, plain, opts.seconds, opts.connections, opts.serverPid));
    withExp.push(await round(base, runtimeKey, split, opts.seconds, opts.connections, opts.serverPid));
  }
  const median = (xs: Round[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;
  const a = median(without);
  const b = median(withExp);
  if (a.non2xx || b.non2xx)
    throw new Error(`resolve answered non-2xx during the experiment bench (${a.non2xx} / ${b.non2xx})`);
  // The load generator shares the cores: server CPU per request is the fairer comparison.
  const cpuRatio =
    a.serverCpuUsPerRequest && b.serverCpuUsPerRequest ? a.serverCpuUsPerRequest / b.serverCpuUsPerRequest : null;
  return { without: a, withExperiment: b, ratio: b.rps / a.rps, cpuRatio };
}

/**
 * Ingests `events` metric events (half exposures, half thumbs feedback, two per subject) into a running
 * experiment in batches of 500 through ingestEvents, and a thumb from before the start for every other
 * subject (CUPED's history, not counted in `events`), then times experimentResults as the experiment's
 * page reads it (CUPED on every metric, ratios) and as the experiments list does (CUPED on the primary
 * metric only, which decides: what the `experiment-decisions` job computes and stores), the list's per-subject
 * part alone (covariatePairs of the primary metric), and a view of the experiments list (the stored call).
 */
export async function resultsAtScale(
  database: Database,
  opts: {
    events: number;
    reads: number;
    /** Batches in flight at once, as concurrent HTTP clients send them. */ concurrency?: number;
  },
) {
  const db = database.db;
  const project = await createProject(db, { slug: `bench-exp-${Date.now()}`, name: "bench experiments" }, system);
  const ctx = { db, actor: system, projectId: project.id, events: noEvents };
  await createPrompt(ctx, { name: "scale", type: "text", template: "v1" });
  await createVersion(ctx, "scale", { template: "v2" });
  await promoteVersion(ctx, "scale", { environment: "development", version: 1 });
  const seed = `bench-${Date.now()}`;
  // The shape priced here: CUPED on, two guardrails and a ratio metric.
  const exp = await createExperiment(ctx, {
    ...experimentInput("scale", "development"),
    guardrails: [
      { name: "latency_ms", kind: "continuous" as const, direction: "increase_is_bad" as const },
      { name: "rating", kind: "continuous" as const, direction: "decrease_is_bad" as const },
    ],
    ratioMetrics: [{ name: "thumbs_per_rating_point", numerator: "thumbs", denominator: "rating" }],
    seed,
  });
  await startExperiment(ctx, exp.id);
  // Exposures must name the subject's assigned variant (ingest refuses others).
  const assigned = compileAssignment({
    seed,
    coverage: 1,
    variants: [
      { key: "A", weight: 0.5 },
      { key: "B", weight: 0.5 },
    ],
  });

  const subjects = Math.floor(opts.events / 2);
  const batch = 500;
  const at = new Date().toISOString();
  // History first (a subject's CUPED covariate is fixed when it enters the experiment): one thumb 3 days
  // before the start for every other subject, naming no experiment.
  const before = new Date(Date.now() - 3 * 86_400_000).toISOString();
  for (let start = 0; start < subjects; start += 2 * batch) {
    const events: unknown[] = [];
    for (let s = start; s < Math.min(subjects, start + 2 * batch); s += 2)
      events.push({
        id: `h${s}`,
        type: "feedback",
        prompt: "scale",
        version: 1,
        environment: "development",
        subject: `s${s}`,
        at: before,
        value: (s * 7919) % 100 < 10 ? 1 : 0,
        rating: 1 + ((s * 17) % 5),
      });
    await ingestEvents(db, project.id, { events });
  }

  const t0 = performance.now();
  const starts: number[] = [];
  for (let start = 0; start < subjects; start += batch / 2) starts.push(start);
  await inParallel(starts, opts.concurrency ?? 1, async (start) => {
    const events: unknown[] = [];
    for (let s = start; s < Math.min(subjects, start + batch / 2); s++) {
      const variant = assigned(`s${s}`)!.key;
      const version = variant === "B" ? 2 : 1;
      const common = {
        prompt: "scale",
        version,
        environment: "development",
        subject: `s${s}`,
        experimentId: exp.id,
        variant,
        phase: 1,
        at,
      };
      events.push({ ...common, id: `x${s}`, type: "exposure" });
      // True effect: B gets thumbs up 12% of the time, A 10% (deterministic by subject).
      events.push({
        ...common,
        id: `f${s}`,
        type: "feedback",
        value: (s * 7919) % 100 < (variant === "B" ? 12 : 10) ? 1 : 0,
        rating: 1 + ((s * 31) % 5),
      });
    }
    await ingestEvents(db, project.id, { events });
  });
  const ingestSeconds = (performance.now() - t0) / 1000;

  const time = async (read: () => Promise<unknown>) => {
    await read(); // warm
    const samples: number[] = [];
    for (let i = 0; i < opts.reads; i++) {
      const t = performance.now();
      await read();
      samples.push(performance.now() - t);
    }
    return summarize(samples);
  };
  const list = await experimentResults(db, project.id, exp.id, { perSubject: "decision" });
  if (!list.comparisons[0]?.metrics.thumbs?.adjusted)
    throw new Error(`CUPED did not apply in the bench: ${list.comparisons[0]?.metrics.thumbs?.adjustedReason}`);
  const page = await experimentResults(db, project.id, exp.id);
  if (!page.ratios[0]?.arms.every((a) => a.n > 0) || !page.comparisons[0]?.metrics.rating?.adjusted)
    throw new Error("the bench's ratio metric or its rating guardrail's CUPED came out empty");
  const e = await getExperiment(db, project.id, exp.id);
  return {
    projectId: project.id,
    experimentId: exp.id,
    events: subjects * 2,
    ingestSeconds,
    eventsPerSecond: (subjects * 2) / ingestSeconds,
    results: await time(() => experimentResults(db, project.id, exp.id)),
    listResults: await time(() => experimentResults(db, project.id, exp.id, { perSubject: "decision" })),
    // The per-subject pairs from raw events: what `?lookbackDays=` other than the experiment's reads (and all
    // CUPED read before the sums were kept). Minutes past ~50,000 subjects: timed up to 20,000 only.
    whatIfCovariates:
      subjects <= 20_000
        ? await time(() => covariatePairs(db, e, [e.phase], [e.primaryMetric.name], e.cupedLookbackDays))
        : null,
    listView: await refreshDecision(db, project.id, exp.id).then(() =>
      time(() => experimentSummaries(db, project.id, { status: "running" })),
    ),
  };
}

/** Runs `work` over `items` with at most `n` in flight. */
export async function inParallel<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}
