// Metric events as applications send them (POST /api/v1/events, the SDK's track()), and the metrics
// each one contributes. Pure: validation lists every bad event by index and field; ingest.ts stores them.
import { z } from "zod";
import { promptNameSchema } from "../registry/names";
import { versionNumber } from "../number-params";
import { compositionSchema, parsePartialsKey, partialsKey } from "../registry/composition";

export const eventTypes = ["exposure", "feedback", "outcome", "generation", "metric"] as const;
export type EventType = (typeof eventTypes)[number];
export const maxEventsPerBatch = 1000;
/** A generation's `input`, as JSON (its `output` has the same bound, in characters). */
const maxInputChars = 200_000;

/**
 * What a number an event carries may be (docs/experiments.md, "The numbers an event may carry"). The bounds keep
 * every aggregate finite: a million events at the largest value still sum, squared, far below float8's
 * 1.8e308, where 1e200 once made an experiment's guardrail Infinity for good.
 */
export const eventNumberLimits = {
  latencyMs: 86_400_000,
  ttftMs: 86_400_000,
  inputTokens: 100_000_000,
  outputTokens: 100_000_000,
  costUsd: 10_000,
  /** A `metric` event's value, either sign. */
  value: 1e12,
} as const;

const inRange = (field: keyof typeof eventNumberLimits, unit: string, whole = false) => {
  const max = eventNumberLimits[field];
  const number = z
    .number({ error: `${field} must be a number` })
    .finite({ error: `${field} must be a finite number` })
    .min(0, { error: `${field} must be at least 0` })
    .max(max, { error: `${field} must be at most ${max.toLocaleString("en-US")}${unit}` });
  return whole ? number.int({ error: `${field} must be a whole number` }) : number;
};
const base = {
  id: z
    .string({ error: "id is required (a client-generated id; a repeat is acknowledged and not counted twice)" })
    .min(1, { error: "id is required" })
    .max(128, { error: "id must be at most 128 characters" }),
  prompt: promptNameSchema,
  version: versionNumber(),
  environment: z.string().min(1).max(36).optional(),
  subject: z
    .string({ error: "subject is required" })
    .min(1, { error: "subject is required" })
    .max(256, { error: "subject must be at most 256 characters" }),
  experimentId: z.uuid({ error: "experimentId must be a UUID" }).optional(),
  variant: z.string().min(1).max(32).optional(),
  phase: z.number().int().min(1).max(1_000_000).optional(),
  /**
   * The partials the prompt's version was composed with, as `name@version,…` ("" for none; resolve's
   * `composition`, which the SDK sends as this): which text the event belongs to.
   */
  partials: z
    .string({ error: "partials must be a string: name@version joined by commas" })
    .max(8000, { error: "partials must be at most 8,000 characters" })
    .refine((k) => parsePartialsKey(k) !== undefined, {
      error: "partials must be name@version entries joined by commas, e.g. shared/tone@2",
    })
    // One text per composition, whatever order the client listed them in.
    .transform((k) => partialsKey(parsePartialsKey(k)!))
    .optional(),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO 8601 date-time" }).optional(),
};

export const metricEventSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ ...base, type: z.literal("exposure") }),
    z
      .object({
        ...base,
        type: z.literal("feedback"),
        value: z.union([z.literal(0), z.literal(1)], { error: "value must be 0 or 1 (thumbs down or up)" }).optional(),
        rating: z
          .number()
          .int({ error: "rating must be a whole number" })
          .min(1, { error: "rating must be from 1 to 5" })
          .max(5, { error: "rating must be from 1 to 5" })
          .optional(),
        comment: z.string().max(4000).optional(),
      })
      .refine((e) => e.value !== undefined || e.rating !== undefined, {
        error: "feedback needs value (0 or 1) or rating (1–5)",
        path: ["value"],
      }),
    z.object({
      ...base,
      type: z.literal("outcome"),
      name: z
        .string()
        .regex(/^[a-z][a-z0-9_.-]{0,63}$/, { error: "name must be 1–64 lowercase letters, digits, '_', '.' or '-'" })
        .optional(),
      value: z.boolean({ error: "value must be true or false" }),
    }),
    z.object({
      ...base,
      type: z.literal("generation"),
      latencyMs: inRange("latencyMs", " (one day)"),
      ttftMs: inRange("ttftMs", " (one day)").optional(),
      inputTokens: inRange("inputTokens", "", true).optional(),
      outputTokens: inRange("outputTokens", "", true).optional(),
      costUsd: inRange("costUsd", " (dollars for one generation)").optional(),
      model: z.string().max(200).optional(),
      refusal: z.boolean({ error: "refusal must be true or false" }).optional(),
      output: z.string().max(200_000, { error: "output must be at most 200,000 characters" }).optional(),
      // What the application sent the model, as it logs it: the user's message (a string), the messages, or the
      // variables used (an object: shadow evaluation can render a candidate with those).
      input: z
        .json({ error: "input must be JSON: a string, a list of messages or an object of the variables used" })
        .refine((v) => JSON.stringify(v).length <= maxInputChars, {
          error: `input must be at most ${maxInputChars.toLocaleString("en-US")} characters as JSON`,
        })
        .optional(),
    }),
    z.object({
      ...base,
      type: z.literal("metric"),
      name: z
        .string()
        .regex(/^[a-z][a-z0-9_.-]{0,63}$/, { error: "name must be 1–64 lowercase letters, digits, '_', '.' or '-'" }),
      value: z
        .number({ error: "value must be a number" })
        .finite({ error: "value must be a finite number" })
        .min(-eventNumberLimits.value, { error: "value must be from -1e12 to 1e12" })
        .max(eventNumberLimits.value, { error: "value must be from -1e12 to 1e12" }),
    }),
  ],
  { error: `type must be one of ${eventTypes.join(", ")}` },
);

export type MetricEvent = z.output<typeof metricEventSchema>;

export type EventProblem = { index: number; field: string; message: string };

/**
 * Validates a batch: every problem (index and field), and the events that passed with their index
 * (so the caller can check those against the database and report everything at once). The caller
 * stores nothing when there is any problem.
 */
export function parseEvents(raw: unknown): {
  events: { index: number; event: MetricEvent }[];
  problems: EventProblem[];
} {
  const list = (raw as { events?: unknown } | null)?.events;
  const whole = (message: string) => ({ events: [], problems: [{ index: -1, field: "events", message }] });
  if (!Array.isArray(list)) return whole("events must be a list");
  if (list.length === 0) return whole("events must not be empty");
  if (list.length > maxEventsPerBatch)
    return whole(`events must have at most ${maxEventsPerBatch} entries per call (got ${list.length})`);
  const events: { index: number; event: MetricEvent }[] = [];
  const problems: EventProblem[] = [];
  list.forEach((raw, index) => {
    const composed = withComposition(raw);
    if (typeof composed === "string") return problems.push({ index, field: "composition", message: composed });
    const item = withExperiment(composed);
    if (typeof item === "string") return problems.push({ index, field: "experiment", message: item });
    const r = metricEventSchema.safeParse(item);
    if (!r.success) {
      for (const issue of r.error.issues)
        problems.push({ index, field: issue.path.map(String).join(".") || "event", message: issue.message });
      return;
    }
    if (r.data.variant !== undefined && r.data.experimentId === undefined)
      return problems.push({ index, field: "variant", message: "variant needs experimentId" });
    events.push({ index, event: r.data });
  });
  return { events, problems };
}

/**
 * An event that carries `composition` as resolve answered it (`{prompt: {name, version}, partials}`) in `partials`;
 * a string names what is wrong. Its prompt and version must be the event's (or fill them in).
 */
function withComposition(item: unknown): unknown {
  if (typeof item !== "object" || item === null || !("composition" in item)) return item;
  const { composition, ...rest } = item as Record<string, unknown>;
  if (composition === null || composition === undefined) return rest;
  const parsed = compositionSchema.safeParse(composition);
  if (!parsed.success)
    return "composition must be the composition resolve answered ({prompt: {name, version}, partials})";
  const c = parsed.data;
  if (
    (rest.prompt !== undefined && rest.prompt !== c.prompt.name) ||
    (rest.version !== undefined && rest.version !== c.prompt.version)
  )
    return `composition is of ${c.prompt.name} v${c.prompt.version}, not of the event's ${String(rest.prompt)} v${String(rest.version)}`;
  const key = partialsKey(c.partials);
  if (rest.partials !== undefined && rest.partials !== key)
    return `composition's partials (${key}) disagree with partials (${String(rest.partials)}); send one of them`;
  return { prompt: c.prompt.name, version: c.prompt.version, ...rest, partials: key };
}

const experimentObject = z.strictObject({
  id: z.uuid(),
  variant: z.string().min(1).max(32),
  phase: z.number().int().min(1).max(1_000_000).optional(),
});

/**
 * An event that carries `experiment` as resolve answered it (`{id, variant, phase}`, or null) in the flat fields
 * (`experimentId`, `variant`, `phase`); a string names what is wrong. Given both ways, they must agree.
 */
function withExperiment(item: unknown): unknown {
  if (typeof item !== "object" || item === null || !("experiment" in item)) return item;
  const { experiment, ...rest } = item as Record<string, unknown>;
  if (experiment === null) return rest;
  const parsed = experimentObject.safeParse(experiment);
  if (!parsed.success)
    return "experiment must be the experiment object resolve answered ({id, variant, phase}), or null";
  const flat = { experimentId: parsed.data.id, variant: parsed.data.variant, phase: parsed.data.phase };
  for (const [field, value] of Object.entries(flat))
    if (value !== undefined && rest[field] !== undefined && rest[field] !== value)
      return `experiment.${field === "experimentId" ? "id" : field} (${String(value)}) disagrees with ${field} (${String(rest[field])}); send one of them`;
  return { ...rest, ...Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined)) };
}

/** The metric values one event contributes (names as in primaryMetric and guardrails). */
export function metricsOf(e: MetricEvent): { name: string; value: number }[] {
  switch (e.type) {
    case "exposure":
      return [];
    case "feedback":
      return [
        ...(e.value !== undefined ? [{ name: "thumbs", value: e.value }] : []),
        ...(e.rating !== undefined ? [{ name: "rating", value: e.rating }] : []),
      ];
    case "outcome":
      return [{ name: e.name ?? "completed", value: e.value ? 1 : 0 }];
    case "generation":
      return [
        { name: "latency_ms", value: e.latencyMs },
        ...(e.ttftMs !== undefined ? [{ name: "ttft_ms", value: e.ttftMs }] : []),
        ...(e.inputTokens !== undefined ? [{ name: "input_tokens", value: e.inputTokens }] : []),
        ...(e.outputTokens !== undefined ? [{ name: "output_tokens", value: e.outputTokens }] : []),
        ...(e.costUsd !== undefined ? [{ name: "cost_usd", value: e.costUsd }] : []),
        ...(e.refusal !== undefined ? [{ name: "refusal", value: e.refusal ? 1 : 0 }] : []),
      ];
    case "metric":
      return [{ name: e.name, value: e.value }];
  }
}

/** The type-specific fields of an event, as stored with it (everything but the common routing fields). */
export function eventData(e: MetricEvent): Record<string, unknown> {
  const {
    id: _id,
    type: _t,
    prompt: _p,
    version: _v,
    environment: _e,
    subject: _s,
    experimentId: _x,
    variant: _k,
    phase: _ph,
    at: _at,
    ...data
  } = e;
  return data;
}

/** The start of the hour an instant falls in: the granularity of every aggregate. */
export const hourBucket = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/** POST /api/v1/events: a batch of metric events. */
export const metricEventsInput = z.object({ events: z.array(metricEventSchema) });
