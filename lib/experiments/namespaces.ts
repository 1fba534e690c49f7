// Namespaces (layers, as GrowthBook has them): experiments that must not share subjects — on any prompt
// of the project — name the same namespace and each owns a share [start, end) of its hash space
// (assign.ts: inNamespace). Running experiments of a namespace own disjoint shares: checked when one is
// defined and, under a per-namespace lock, when it starts (with the one-per-prompt-and-environment rule).
// Experiments not started (status "draft") and stopped ones hold nothing.
import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { environments, experiments, prompts, runningExperimentOn } from "../../db/schema";
import { AppError } from "../errors";
import type { Namespace } from "./assign";
import { namespaceName } from "./definition";

type NamespaceColumns = { namespace: string | null; namespaceStart: number | null; namespaceEnd: number | null };

/** The namespace of a stored experiment, or null. */
export const namespaceOf = (e: NamespaceColumns): Namespace | null =>
  e.namespace !== null && e.namespaceStart !== null && e.namespaceEnd !== null
    ? { name: e.namespace, range: [e.namespaceStart, e.namespaceEnd] }
    : null;

type Range = readonly [number, number];

/** The parts of [0, 1) no range covers, in order. */
export function freeRanges(taken: readonly Range[]): [number, number][] {
  const free: [number, number][] = [];
  let at = 0;
  for (const [s, e] of [...taken].sort((a, b) => a[0] - b[0])) {
    if (s > at) free.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < 1) free.push([at, 1]);
  return free;
}

export const overlaps = (a: Range, b: Range) => a[0] < b[1] && b[0] < a[1];

/** "20–50%": a share as people read it. */
export const rangeText = ([s, e]: Range) => `${Number((s * 100).toFixed(1))}–${Number((e * 100).toFixed(1))}%`;

export type NamespaceMember = {
  id: string;
  name: string;
  prompt: string;
  environment: string;
  status: "draft" | "running";
  range: [number, number];
};

export type NamespaceUsage = {
  name: string;
  /** Experiments not started and running ones in the namespace; only running ones hold their share. */
  experiments: NamespaceMember[];
  /** What no running experiment holds. */
  free: [number, number][];
};

const share = z.tuple([z.number(), z.number()]);
/** GET /api/v1/experiments/namespaces: each namespace's experiments not started and running ones, and its free shares. */
export const namespaceUsageResponse = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      experiments: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          prompt: z.string(),
          environment: z.string(),
          status: z.enum(["draft", "running"]),
          range: share,
        }),
      ),
      free: z.array(share),
    }),
  ),
});

/** Every namespace in use in the project (or one), with its experiments and free shares. */
export async function listExperimentNamespaces(db: Db, projectId: string, name?: string): Promise<NamespaceUsage[]> {
  const rows = await db
    .select({
      id: experiments.id,
      name: experiments.name,
      prompt: prompts.name,
      environment: environments.name,
      status: experiments.status,
      namespace: experiments.namespace,
      namespaceStart: experiments.namespaceStart,
      namespaceEnd: experiments.namespaceEnd,
    })
    .from(experiments)
    .innerJoin(prompts, eq(prompts.id, experiments.promptId))
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .where(
      and(
        eq(experiments.projectId, projectId),
        isNotNull(experiments.namespace),
        ne(experiments.status, "stopped"),
        name === undefined ? undefined : eq(experiments.namespace, name),
      ),
    )
    .orderBy(experiments.namespace, experiments.namespaceStart);
  const byName = new Map<string, NamespaceMember[]>();
  for (const r of rows) {
    const ns = namespaceOf(r)!;
    const list = byName.get(ns.name) ?? [];
    list.push({
      id: r.id,
      name: r.name,
      prompt: r.prompt,
      environment: r.environment,
      status: r.status as "draft" | "running",
      range: [ns.range[0], ns.range[1]],
    });
    byName.set(ns.name, list);
  }
  return [...byName.entries()].map(([n, list]) => ({
    name: n,
    experiments: list,
    free: freeRanges(list.filter((x) => x.status === "running").map((x) => x.range)),
  }));
}

/**
 * Refuses `ns` when a running experiment of the namespace (other than `selfId`) holds part of its share,
 * naming it and what is free. With `lock`, first takes the namespace's transaction lock so two starts
 * cannot both pass (call it inside the start's transaction).
 */
export async function assertNamespaceFree(
  tx: Db,
  projectId: string,
  ns: Namespace,
  opts: { selfId?: string; lock?: boolean } = {},
) {
  if (opts.lock)
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`experiment-namespace:${projectId}:${ns.name}`}))`);
  const [usage] = await listExperimentNamespaces(tx, projectId, ns.name);
  const running = (usage?.experiments ?? []).filter((x) => x.status === "running" && x.id !== opts.selfId);
  const clash = running.filter((x) => overlaps(x.range, ns.range));
  if (!clash.length) return;
  const free = freeRanges(running.map((x) => x.range));
  throw new AppError(
    "conflict",
    `namespace.range: ${rangeText(ns.range)} of namespace "${ns.name}" overlaps ${clash
      .map((x) => `running experiment "${x.name}" on ${x.prompt} in ${x.environment} (${rangeText(x.range)})`)
      .join(", ")}; a subject may be in only one experiment of a namespace. Free: ${
      free.length ? free.map(rangeText).join(", ") : "nothing"
    }.`,
    { field: "namespace.range", namespace: ns.name, overlaps: clash.map((x) => x.id), free },
  );
}

export const runningElsewhere = (e: { prompt: string; environment: string }) =>
  new AppError("conflict", `Another experiment is already running on ${e.prompt} in ${e.environment}; stop it first.`, {
    prompt: e.prompt,
    environment: e.environment,
  });

/**
 * What starting `e` needs besides its arms' release plans: no other experiment running on its prompt in its
 * environment (the unique index backs this up), and its namespace share free (under the namespace's lock).
 */
export async function assertAloneWhereItRuns(
  tx: Db,
  projectId: string,
  e: NamespaceColumns & { id: string; promptId: string; environmentId: string; prompt: string; environment: string },
) {
  const [other] = await tx
    .select({ id: experiments.id })
    .from(experiments)
    .where(runningExperimentOn(e.promptId, e.environmentId));
  if (other) throw runningElsewhere(e);
  const ns = namespaceOf(e);
  if (ns) await assertNamespaceFree(tx, projectId, ns, { selfId: e.id, lock: true });
}

/** GET /api/v1/experiments/namespaces?name= (listExperimentNamespaces). */
export const namespaceUsageQuery = z.object({
  name: namespaceName.optional().describe("Only this namespace (default: every namespace in use)"),
});
