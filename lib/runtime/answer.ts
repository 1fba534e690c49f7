// The resolve answer as status, headers and body — one implementation for the Next route handler
// and for Lectern's own server (the fast path), so both answer byte for byte the same.
// An L1 hit is answered synchronously (no await), experiments included: assignment is a hash.
import type { Db } from "../../db/client";
import type { ExposureRecorder } from "../experiments/exposures";
import type { StickyAssignments } from "../experiments/sticky";
import type { Layer, TwoLayerCache } from "./cache";
import {
  armOf,
  chooseArm,
  experimentDefinitionJson,
  experimentDefinitionSchema,
  type ArmChoice,
} from "./experiment-arms";
import type { ResolvedExperiment, ResolvedPrompt } from "./load";
import { formatMessages } from "../registry/message-formats";
import {
  peekResolved,
  renderResolved,
  resolvedJson,
  resolvedSchema,
  resolvePrompt,
  type resolveBody,
  type ResolveQuery,
} from "./resolve";
import type { z } from "zod";

/** A frozen `headers` object is shared between answers (never copy-on-write it; spread it instead). */
export type RuntimeAnswer = {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array<ArrayBuffer> | null;
  /**
   * This answer's own ETag, sent beside shared frozen `headers` when the bytes (and so the tag) change per request
   * while every other header stays the same: the headers' wire form is still built once (gateway/fast-path.ts).
   */
  etag?: string;
};

/** The parts of the process's runtime (lib/server/wiring/runtime-wiring.ts) the resolve answer uses. */
export type ResolveRuntime = {
  prompts: TwoLayerCache<ResolvedPrompt>;
  sticky: StickyAssignments;
  exposures: ExposureRecorder;
};

export type ResolveRequest = ResolveQuery & { include?: string };

// The headers of an entry's answers are the same frozen object every time: adapters may turn a frozen
// headers object into its wire form once (gateway/fast-path.ts does), and nothing can change it in between.
type HeaderSet = Readonly<Record<string, string>>;
const headerSets = new WeakMap<ResolvedPrompt, Map<string, HeaderSet>>();

function headersFor(r: ResolvedPrompt, layer: Layer, withBody: boolean, etag = r.etag): HeaderSet {
  let sets = headerSets.get(r);
  if (!sets) headerSets.set(r, (sets = new Map()));
  const key = `${withBody ? layer : `${layer}:304`}${etag === r.etag ? "" : ":definition"}`;
  let h = sets.get(key);
  if (!h) {
    const fresh: Record<string, string> = {
      etag,
      "cache-control": "private, no-cache",
      "x-lectern-cache": layer,
    };
    if (layer === "stale") {
      fresh["x-lectern-stale"] = "true";
      fresh.warning = '110 lectern "Response is stale: the database is unreachable"';
    }
    if (withBody) fresh["content-type"] = "application/json";
    sets.set(key, (h = Object.freeze(fresh)));
  }
  return h;
}

/** The etag of an answer with the experiment's definition: the arm's, and the experiment and phase it was read at. */
const definitionEtag = (arm: ResolvedPrompt, e: ResolvedExperiment) =>
  `${arm.etag.slice(0, -1)}.${e.id.slice(0, 8)}.${e.phase}"`;

const matches = (ifNoneMatch: string | null | undefined, etag: string) =>
  Boolean(ifNoneMatch) && ifNoneMatch!.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);

// The clock as an ISO string, made once per millisecond rather than once per answer (a Date per answer
// is a measurable share of an L1 hit, more so under Next, which wraps the Date constructor).
let clockMs = Number.NaN;
let clockIso = "";
function isoNow(ms: number): string {
  if (ms !== clockMs) {
    clockMs = ms;
    clockIso = new Date(ms).toISOString();
  }
  return clockIso;
}

/** GET resolve of one prompt (answerFor's body): with the experiment's definition when `include=experiment`. */
export const resolveAnswerResponse = resolvedSchema.extend({
  experimentDefinition: experimentDefinitionSchema.optional(),
});

/** The answer for an entry once the subject's arm is known. Records the exposure of an assigned subject. */
export function answerFor(
  rt: Pick<ResolveRuntime, "exposures">,
  entry: ResolvedPrompt,
  layer: Layer,
  choice: ArmChoice,
  q: ResolveRequest,
  ifNoneMatch: string | null | undefined,
): RuntimeAnswer {
  const ms = Date.now();
  if (choice.experiment && q.subject) rt.exposures.record(choice.experiment, q.subject, ms);
  // An answer that carries the experiment's definition changes with its phase (a reweight, a rollout's step)
  // while the arm's content stays the same: its etag says which phase, or a revalidation would keep the old split.
  const definition = q.include === "experiment" ? entry.experiment : null;
  const etag = definition ? definitionEtag(choice.arm, definition) : choice.arm.etag;
  if (matches(ifNoneMatch, etag))
    return { status: 304, headers: headersFor(choice.arm, layer, false, etag), body: null };
  const h = headersFor(choice.arm, layer, true, etag);
  let body = resolvedJson(choice.arm, q.subject, isoNow(ms), choice.experiment, choice.subjectDependent);
  // SDKs ask for the whole experiment once and assign subjects themselves (same hash, same arms).
  if (definition)
    body = `${body.slice(0, -1)},"experimentDefinition":${experimentDefinitionJson(definition, new Date(ms))}}`;
  return { status: 200, headers: h, body };
}

/** L1 only, synchronous: undefined when the answer needs I/O (a miss, `at=`, a bandit's stored assignment). */
export function answerResolveCached(
  rt: ResolveRuntime,
  projectId: string,
  q: ResolveRequest,
  ifNoneMatch: string | null | undefined,
): RuntimeAnswer | undefined {
  const hit = peekResolved(rt.prompts, projectId, q);
  if (!hit) return undefined;
  const choice = chooseArm(hit, q.subject);
  if (choice === "sticky") return undefined;
  return answerFor(rt, hit, "l1", choice, q, ifNoneMatch);
}

export async function answerResolve(
  rt: ResolveRuntime,
  db: Db,
  projectId: string,
  q: ResolveRequest,
  ifNoneMatch: string | null | undefined,
): Promise<RuntimeAnswer> {
  const fast = answerResolveCached(rt, projectId, q, ifNoneMatch);
  if (fast) return fast;
  const { resolved, layer } = await resolvePrompt({ db, cache: rt.prompts }, projectId, q);
  return answerFor(rt, resolved, layer, await choose(rt, resolved, q.subject), q, ifNoneMatch);
}

/** The arm for a subject, reading a bandit's stored assignment when needed. */
export async function choose(
  rt: Pick<ResolveRuntime, "sticky">,
  entry: ResolvedPrompt,
  subject: string | undefined,
): Promise<ArmChoice> {
  const choice = chooseArm(entry, subject);
  if (choice !== "sticky") return choice;
  const e = entry.experiment!;
  const variant = await rt.sticky.variantFor(e, subject!);
  return variant === null ? { arm: entry, experiment: null, subjectDependent: true } : armOf(entry, variant);
}

/**
 * POST resolve of one prompt: the subject's arm rendered with the variables (and in a model SDK's message
 * shape when `format` asks), with GET's headers. Records the exposure of an assigned subject.
 */
export async function answerRender(
  rt: ResolveRuntime,
  db: Db,
  projectId: string,
  b: z.infer<typeof resolveBody>,
): Promise<RuntimeAnswer> {
  const fast = answerRenderCached(rt, projectId, b);
  if (fast) return fast;
  const { resolved, layer } = await resolvePrompt({ db, cache: rt.prompts }, projectId, b);
  return renderedAnswer(rt, await choose(rt, resolved, b.subject), layer, b);
}

/** POST resolve on an L1 hit, synchronous: undefined when the answer needs I/O (as answerResolveCached). */
export function answerRenderCached(
  rt: ResolveRuntime,
  projectId: string,
  b: z.infer<typeof resolveBody>,
): RuntimeAnswer | undefined {
  const hit = peekResolved(rt.prompts, projectId, b);
  if (!hit) return undefined;
  const choice = chooseArm(hit, b.subject);
  return choice === "sticky" ? undefined : renderedAnswer(rt, choice, "l1", b);
}

// The body is JSON.stringify({...resolvedDto(…), rendered, formatted?, warnings}) written as text: the
// entry's serialized part (resolvedJson) is kept per entry, so only what the variables change is stringified.
function renderedAnswer(
  rt: Pick<ResolveRuntime, "exposures">,
  choice: ArmChoice,
  layer: Layer,
  b: z.infer<typeof resolveBody>,
): RuntimeAnswer {
  const ms = Date.now();
  if (choice.experiment && b.subject) rt.exposures.record(choice.experiment, b.subject, ms);
  const { rendered, warnings } = renderResolved(choice.arm, b.variables);
  const head = resolvedJson(choice.arm, b.subject, isoNow(ms), choice.experiment, choice.subjectDependent);
  const formatted = b.format ? `,"formatted":${JSON.stringify(formatMessages(rendered, b.format))}` : "";
  const body = `${head.slice(0, -1)},"rendered":${JSON.stringify(rendered)}${formatted},"warnings":${JSON.stringify(warnings)}}`;
  return { status: 200, headers: headersFor(choice.arm, layer, true), body };
}
