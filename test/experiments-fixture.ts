// Shared by the experiments' integration tests (lib/experiments/*.int.test.ts): a fresh database per
// file with a seeded project, and helpers that put a prompt live and define an experiment on it. The
// bindings below are assigned in beforeAll and read by the tests.
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { queryRows } from "../db/client";
import { ingestEvents } from "../lib/ingest/ingest";
import { assign } from "../lib/experiments/assign";
import { startExperiment } from "../lib/experiments/lifecycle";
import { startRollout } from "../lib/experiments/rollouts/rollouts";
import { createExperiment } from "../lib/experiments/store";
import { promoteVersion } from "../lib/release/promote";
import { resolveBundle } from "../lib/runtime/bundle-resolve";
import { chooseArm } from "../lib/runtime/experiment-arms";
import { loadResolved } from "../lib/runtime/load";
import type { TestDatabase } from "./db";
import * as fixtures from "./domain-fixtures";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";
import { quickSteps } from "./rollout-steps";

export let t: TestDatabase;
export let f: Fixture;

/** Registers this file's database and project (beforeAll / afterAll). */
export function withExperimentsDatabase(slug: string): void {
  projectDatabaseForFile(slug, (db, fx) => {
    t = db;
    f = fx;
  });
}

/** A prompt whose version 1 the environment serves: an experiment's control is what the environment serves. */
export async function servedPrompt(name: string, versions: number, environment = "staging") {
  const prompt = await fixtures.promptWith(t.db, f, name, versions);
  await promoteVersion(f.ctx(f.approver), name, { environment, version: 1 });
  return prompt;
}

export const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
/** Two arms, half each: A on version `a`, and `second` (B) on version `b`. */
export const arms = (a: number, b: number, second = "B") => [
  { key: "A", version: a, weight: 0.5 },
  { key: second, version: b, weight: 0.5 },
];
export const base = (prompt: string, extra: Record<string, unknown> = {}) => ({
  prompt,
  environment: "staging",
  name: `Test ${prompt}`,
  variants: arms(1, 2),
  mode: "sequential" as const,
  primaryMetric: { name: "thumbs", kind: "binary" as const },
  ...extra,
});

/** A `base` experiment on `prompt` (with `extra`) that an approver created and started: the row as created. */
export async function runningExperiment(prompt: string, extra: Record<string, unknown> = {}) {
  const e = await createExperiment(f.ctx(f.approver), base(prompt, extra));
  await startExperiment(f.ctx(f.approver), e.id);
  return e;
}

/** What `assign` takes for a `base` experiment with this seed: arms A and B, half each, over `coverage` of subjects. */
export const split = (seed: string, coverage = 1) => ({
  seed,
  coverage,
  variants: base("").variants.map(({ key, weight }) => ({ key, weight })),
});

/** An approver's guarded rollout of version 2 in staging, guarded by latency, over quickSteps unless `options` say. */
export const latencyRollout = (prompt: string, options: Record<string, unknown> = {}) =>
  startRollout(f.ctx(f.approver), prompt, {
    environment: "staging",
    version: 2,
    steps: quickSteps,
    guardrails: ["latency_ms"],
    ...options,
  });

/** A seeded pseudo-random generator (mulberry32), for event streams that are the same on every run. */
export function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which arm each subject gets now, through the resolve path. */
export async function servedArms(prompt: string, subjects: string[]) {
  const entry = await loadResolved(t.db, f.projectId, prompt, "staging");
  return new Map(
    subjects.map((s) => {
      const c = chooseArm(entry, s);
      if (c === "sticky") throw new Error("a rollout is never sticky");
      return [s, { version: c.arm.version, variant: c.experiment?.variant ?? null, dto: c }] as const;
    }),
  );
}

/**
 * The version of each of a bundle's `members` each subject is served in staging (each member's own arm choice), the
 * bundle's answer checked against it for the first `checked` subjects, with `also` if given.
 */
export async function bundleSides(
  bundle: string,
  members: string[],
  subjects: string[],
  checked: number,
  also?: (answer: Awaited<ReturnType<typeof resolveBundle>>, versions: number[]) => void,
) {
  const entries = await Promise.all(members.map((m) => loadResolved(t.db, f.projectId, m, "staging")));
  const out = new Map(
    subjects.map((s) => [
      s,
      entries.map((e) => {
        const c = chooseArm(e, s);
        if (c === "sticky") throw new Error("a split of a bundle is never sticky");
        return c.arm.version;
      }),
    ]),
  );
  for (const s of subjects.slice(0, checked)) {
    const r = await resolveBundle(t.db, f.projectId, bundle, "staging", { subject: s });
    expect(members.map((m) => r.prompts[m]!.version)).toEqual(out.get(s));
    also?.(r, out.get(s)!);
  }
  return out;
}

/** Exposure and generation events for each subject on the version it is served, latency from `latency(version)`. */
export async function traffic(
  prompt: string,
  n: number,
  latency: (version: number, r: () => number) => number,
  tag: string,
) {
  const r = mulberry(n + tag.length);
  const subjects = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
  const got = await servedArms(prompt, subjects);
  const events = subjects.flatMap((subject, i) => {
    const version = got.get(subject)!.version;
    return [
      { id: `${tag}-x-${i}`, type: "exposure", prompt, version, subject, environment: "staging" },
      {
        id: `${tag}-g-${i}`,
        type: "generation",
        prompt,
        version,
        subject,
        environment: "staging",
        latencyMs: latency(version, r),
      },
    ];
  });
  for (let i = 0; i < events.length; i += 1000)
    await ingestEvents(t.db, f.projectId, { events: events.slice(i, i + 1000) });
}

/** Exposures of subjects s0…s{n-1} to a `base` experiment (seed `seed`) in the arm `assign` gives each, ids `${tag}-${i}`. */
export function armExposures<X extends object = object>(
  e: { id: string; prompt: string; seed: string },
  n: number,
  tag: string,
  extra?: (i: number) => X,
) {
  return Array.from({ length: n }, (_, i) => {
    const variant = assign(split(e.seed), `s${i}`)!.key;
    return {
      id: `${tag}-${i}`,
      type: "exposure",
      prompt: e.prompt,
      version: variant === "B" ? 2 : 1,
      subject: `s${i}`,
      environment: "staging",
      experimentId: e.id,
      variant,
      phase: 1,
      ...(extra?.(i) as X),
    };
  });
}
