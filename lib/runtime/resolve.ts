// The resolve path: what an application gets when it asks for a prompt by name and environment.
import { z } from "zod";
import type { Db } from "../../db/client";
import { compositionOf, compositionSchema } from "../registry/composition";
import type { Content } from "../registry/content";
import { contentFields } from "../registry/dto";
import { promptNameSchema } from "../registry/names";
import { versionNumber, versionParam } from "../number-params";
import { messageFormats } from "../registry/message-formats";
import { checkPartialMap, contentNode, defaultExpansionLimits } from "../registry/templates/partials";
import { renderContent, type RenderOptions } from "../registry/templates/template";
import { environmentNameSchema } from "../release/environments";
import { findLabelTarget } from "../release/version-labels/version-labels";
import { findPrompt } from "../registry/prompts";
import { AppError } from "../errors";
import type { Layer, TwoLayerCache } from "./cache";
import { loadResolved, type ResolvedPrompt } from "./load";
import { renderOptionsFor } from "./render-as-served";

export const resolveQuery = z.object({
  name: promptNameSchema.describe("The prompt's name (folders use '/')"),
  environment: environmentNameSchema.default("production").describe("The environment whose live version is answered"),
  version: versionParam().optional().describe("This version instead of what the environment serves"),
  label: z
    .string({ error: "label must be a string" })
    .regex(/^[a-z0-9_.-]{1,36}$/, { error: "label must be 1–36 lowercase letters, digits, '_', '-' or '.'" })
    .optional()
    .describe("A version label (or latest): the version it names, as a version pin answers it"),
  subject: z
    .string()
    .max(256, { error: "subject must be at most 256 characters" })
    .optional()
    .describe("Who is served (a user or session id): picks the variant when an experiment or rollout runs"),
  at: z.iso
    .datetime({ offset: true, error: "at must be an ISO 8601 date-time, e.g. 2026-11-17T15:00:00Z" })
    .optional()
    .describe("What the environment served at this moment (ISO 8601), instead of now"),
});
export type ResolveQuery = z.infer<typeof resolveQuery>;

export const resolveBody = resolveQuery.extend({
  version: versionNumber().optional(),
  variables: z.record(z.string(), z.unknown(), { error: "variables must be an object" }).default({}),
  /** Also answer the rendered messages in a model SDK's shape, as `formatted`. */
  format: z.enum(messageFormats, { error: `format must be one of ${messageFormats.join(", ")}` }).optional(),
});

export type ResolveDeps = { db: Db; cache: TwoLayerCache<ResolvedPrompt> };

// A label's answer is cached under its own key beside version pins (":" cannot start a version number).
const cacheKey = (q: ResolveQuery) =>
  `${q.environment}\u0000${q.name}\u0000${q.version ?? (q.label === undefined ? "" : `:${q.label}`)}`;

/** The L1-only fast path: no await, no allocation beyond the key. */
export function peekResolved(
  cache: TwoLayerCache<ResolvedPrompt>,
  projectId: string,
  q: ResolveQuery,
): ResolvedPrompt | undefined {
  // A label with a version or an instant is refused on the way to the database (labelVersion).
  return q.at || (q.label !== undefined && q.version !== undefined) ? undefined : cache.peek(projectId, cacheKey(q));
}

/**
 * The version a label names for resolve: a version label (or `latest`, the newest version). An environment's
 * name is refused (it is asked for as `environment`), and so is a label with `version` or `at` (a label is
 * a pointer now; pin the version for a fixed or past answer).
 */
export async function labelVersion(db: Db, projectId: string, q: ResolveQuery & { label: string }): Promise<number> {
  if (q.version !== undefined || q.at)
    throw new AppError("invalid_input", "label cannot be combined with version or at: pin the version instead.", {
      field: "label",
    });
  const prompt = await findPrompt(db, projectId, q.name);
  if (!prompt || prompt.deletedAt !== null)
    throw new AppError("not_found", `No prompt named ${q.name} in this project.`, { prompt: q.name });
  const target = await findLabelTarget(db, projectId, prompt.id, q.label);
  if (target?.kind === "environment")
    throw new AppError(
      "invalid_input",
      `"${q.label}" is an environment: ask for environment=${q.label}, which serves what it serves (experiments included).`,
      { field: "label", environment: q.label },
    );
  if (!target)
    throw new AppError("not_found", `Prompt ${q.name} has no version label "${q.label}".`, {
      prompt: q.name,
      label: q.label,
    });
  return target.version;
}

export async function resolvePrompt(
  deps: ResolveDeps,
  projectId: string,
  q: ResolveQuery,
): Promise<{ resolved: ResolvedPrompt; layer: Layer }> {
  if (q.label !== undefined) {
    const label = q.label;
    const { value, layer } = await deps.cache.get(projectId, cacheKey(q), async () =>
      loadResolved(deps.db, projectId, q.name, q.environment, {
        version: await labelVersion(deps.db, projectId, { ...q, label }),
      }),
    );
    return { resolved: value, layer };
  }
  // Point-in-time answers are historical and rare: read them from the log, uncached.
  if (q.at)
    return {
      resolved: await loadResolved(deps.db, projectId, q.name, q.environment, {
        version: q.version,
        at: new Date(q.at),
      }),
      layer: "origin",
    };
  const { value, layer } = await deps.cache.get(projectId, cacheKey(q), () =>
    loadResolved(deps.db, projectId, q.name, q.environment, { version: q.version }),
  );
  return { resolved: value, layer };
}

export function toContent(r: ResolvedPrompt): Content {
  if (r.type === "skill")
    return {
      type: "skill",
      files: r.files ?? {},
      ...(r.modes ? { modes: r.modes } : {}),
      variables: r.variables,
      config: r.config,
      examples: [],
    };
  return { type: r.type, template: r.template, variables: r.variables, config: r.config, examples: [] } as Content;
}

// A cached entry's content and render options, and its partial map checked, once per entry (entries never change).
const renderInputs = new WeakMap<ResolvedPrompt, { content: Content; opts: RenderOptions }>();

/** Fills in variables, expanding partials as served in the same environment (the one render path: render-as-served.ts). */
export function renderResolved(r: ResolvedPrompt, values: Record<string, unknown>) {
  let inputs = renderInputs.get(r);
  if (!inputs) {
    const content = toContent(r);
    const opts = renderOptionsFor(r);
    if (content.type !== "skill") checkPartialMap(contentNode(content), opts.partials ?? {}, defaultExpansionLimits);
    renderInputs.set(r, (inputs = { content, opts: { ...opts, partialMapChecked: content.type !== "skill" } }));
  }
  return renderContent(inputs.content, values, inputs.opts);
}

/** What a subject is told about the experiment it is in (null: not in one). */
/** The experiment a subject's answer came from; `rollout` when it is a guarded rollout's split. */
export type ExperimentAnswer = { id: string; variant: string; phase: number; rollout?: boolean } | null;

/** A guarded rollout's part of the answer: which arm ("new" or "live") the subject got. */
const rolloutOf = (e: ExperimentAnswer) => (e?.rollout ? { id: e.id, arm: e.variant } : null);

// The serialized response minus the per-request fields, kept per cached entry (or arm): the L1-hit
// path then costs one string concatenation instead of building and stringifying the object again.
const serialized = new WeakMap<ResolvedPrompt, string>();

/** The GET response body as JSON text, identical to JSON.stringify(resolvedDto(...)). */
/** `resolvedAt` is the answer's time as an ISO 8601 string (Date#toISOString). */
// The experiment part of an answer, once per (shared, frozen) ExperimentAnswer: lib/runtime/experiment-arms.ts.
const experimentJsons = new WeakMap<NonNullable<ExperimentAnswer>, string>();
function experimentJson(e: NonNullable<ExperimentAnswer>): string {
  let json = experimentJsons.get(e);
  if (json === undefined)
    experimentJsons.set(e, (json = JSON.stringify({ id: e.id, variant: e.variant, phase: e.phase })));
  return json;
}

export function resolvedJson(
  r: ResolvedPrompt,
  subject: string | undefined,
  resolvedAt: string,
  experiment: ExperimentAnswer = null,
  subjectDependent = false,
): string {
  let head = serialized.get(r);
  if (head === undefined) {
    const {
      subject: _s,
      resolvedAt: _r,
      experiment: _e,
      rollout: _o,
      subjectDependent: _d,
      ...rest
    } = resolvedDto(r, undefined, new Date(resolvedAt));
    head = JSON.stringify(rest).slice(0, -1);
    serialized.set(r, head);
  }
  const rollout = rolloutOf(experiment);
  return `${head},"experiment":${experiment ? experimentJson(experiment) : "null"},"rollout":${rollout ? JSON.stringify(rollout) : "null"},"subjectDependent":${subjectDependent},"subject":${JSON.stringify(subject ?? null)},"resolvedAt":"${resolvedAt}"}`;
}

const instant = z.iso.datetime({ offset: true });

/** A prompt as resolve answers it (resolvedDto; resolvedJson writes the same fields as text). */
export const resolvedSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  environment: z.string(),
  ...contentFields,
  partials: z.record(
    z.string(),
    z.object({ version: z.number().int(), template: z.string(), variables: z.array(z.unknown()) }),
  ),
  /** What this answer composes: the prompt's version and every partial's, transitively. */
  composition: compositionSchema,
  pinned: z.boolean(),
  liveSince: instant.nullable(),
  experiment: z.object({ id: z.string(), variant: z.string(), phase: z.number().int() }).nullable(),
  rollout: z.object({ id: z.string(), arm: z.string() }).nullable(),
  subjectDependent: z.boolean(),
  subject: z.string().nullable(),
  resolvedAt: instant,
});

/** POST resolve of one prompt: the resolved prompt rendered with the variables (and `formatted` when asked). */
export const renderedResolveResponse = resolvedSchema.extend({
  rendered: z.union([
    z.string(),
    z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) })),
  ]),
  formatted: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()),
});

export function resolvedDto(
  r: ResolvedPrompt,
  subject: string | undefined,
  resolvedAt: Date,
  experiment: ExperimentAnswer = null,
  subjectDependent = false,
) {
  return {
    name: r.name,
    version: r.version,
    environment: r.environment,
    type: r.type,
    ...(r.files ? { files: r.files, ...(r.modes ? { modes: r.modes } : {}) } : { template: r.template }),
    variables: r.variables,
    config: r.config,
    partials: Object.fromEntries(
      Object.entries(r.partials).map(([k, v]) => [k, { version: v.version, template: v.text, variables: v.variables }]),
    ),
    composition: compositionOf(r, r.partials),
    // A `version=` pin answers that version whatever the environment serves; say so.
    pinned: r.pinned ?? false,
    liveSince: r.liveSince,
    experiment: experiment && { id: experiment.id, variant: experiment.variant, phase: experiment.phase },
    // While a guarded rollout ramps this prompt: {id, arm: "new" | "live"} for the subject.
    rollout: rolloutOf(experiment),
    // Whether the answer can differ between subjects (while an experiment splits this prompt's
    // traffic). When false, clients may share one cached answer across all subjects.
    subjectDependent,
    subject: subject ?? null,
    resolvedAt: resolvedAt.toISOString(),
  };
}

// The builder's type satisfies its schema: a field renamed in one and not the other fails the typecheck.
const _resolved: (r: ResolvedPrompt, s: string | undefined, at: Date) => z.input<typeof resolvedSchema> = resolvedDto;
void _resolved;
