// The Prompt objects getPrompt hands out. One response is compiled once; the objects served for it
// (one per source) share that compiled form and the deep-frozen response, so a warm getPrompt
// allocates nothing.
import { compile, fallbackInput, type Compiled, type CompileInput } from "./render";
import type {
  ChatEntry,
  Composition,
  EventFields,
  Experiment,
  Rollout,
  Fallback,
  Message,
  PromptConfig,
  PromptSource,
  PromptType,
  ResolveResponse,
  TelemetryAttributes,
  Variable,
  Prompt as PublicPrompt,
} from "./types";

const emptyValues: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class PromptImpl {
  readonly name: string;
  readonly version: number;
  readonly environment: string;
  readonly type: PromptType;
  readonly template: string | readonly ChatEntry[];
  readonly variables: readonly Variable[];
  readonly config: Readonly<PromptConfig>;
  readonly experiment: Experiment | null;
  readonly rollout: Rollout | null;
  readonly composition: Composition | null;
  readonly isFallback: boolean;
  readonly source: PromptSource;
  readonly #compiled: Compiled;

  constructor(
    fields: {
      name: string;
      version: number;
      environment: string;
      type: PromptType;
      template: string | readonly ChatEntry[];
      variables: readonly Variable[];
      config: Readonly<PromptConfig>;
      experiment: Experiment | null;
      rollout?: Rollout | null;
      composition?: Composition | null;
    },
    compiled: Compiled,
    source: PromptSource,
  ) {
    this.name = fields.name;
    this.version = fields.version;
    this.environment = fields.environment;
    this.type = fields.type;
    this.template = fields.template;
    this.variables = fields.variables;
    this.config = fields.config;
    this.experiment = fields.experiment;
    this.rollout = fields.rollout ?? null;
    this.composition = fields.composition ?? null;
    this.isFallback = source === "fallback";
    this.source = source;
    this.#compiled = compiled;
  }

  render(variables?: Record<string, unknown>): string | Message[] {
    return this.#compiled.render(variables ?? emptyValues);
  }

  /** The fields that attribute a track() event to this version (and its experiment variant). */
  eventFields(subject: string): EventFields {
    const e = this.experiment;
    return {
      prompt: this.name,
      version: this.version,
      environment: this.environment,
      subject,
      ...(e ? { experimentId: e.id, variant: e.variant, ...(e.phase !== undefined ? { phase: e.phase } : {}) } : {}),
      ...(this.composition ? { partials: partialsKey(this.composition) } : {}),
    };
  }

  /** Span attributes that link a model call to this version (Lectern's OTLP endpoint reads them). */
  telemetry(options: { subject?: string; variables?: Record<string, unknown> } = {}): TelemetryAttributes {
    const e = this.experiment;
    const out: TelemetryAttributes = {
      "lectern.prompt.name": this.name,
      "lectern.prompt.version": this.version,
      "lectern.environment": this.environment,
    };
    if (this.composition) out["lectern.prompt.partials"] = partialsKey(this.composition);
    if (options.subject) out["lectern.subject"] = options.subject;
    if (options.variables) out["lectern.variables"] = JSON.stringify(options.variables);
    if (e) {
      out["lectern.experiment.id"] = e.id;
      out["lectern.experiment.variant"] = e.variant;
      if (e.phase !== undefined) out["lectern.experiment.phase"] = e.phase;
    }
    return out;
  }

  /** The same prompt, labelled with another source. */
  as(source: PromptSource): PromptImpl {
    return new PromptImpl(this, this.#compiled, source);
  }
}

/** Compiles a (frozen) resolve response. */
export function promptFromResponse(r: ResolveResponse, source: PromptSource): PromptImpl {
  const partials: Record<string, string> = {};
  const declared: Record<string, Variable[]> = {};
  for (const [name, p] of Object.entries(r.partials ?? {})) {
    partials[name] = p.template;
    declared[name] = p.variables;
  }
  const input: CompileInput = {
    type: r.type,
    template: r.template,
    variables: r.variables,
    config: r.config,
    partials,
    declared,
  };
  return new PromptImpl({ ...r, config: r.config ?? {} }, compile(input), source);
}

export function promptFromFallback(name: string, environment: string, fallback: Fallback): PromptImpl {
  const input = deepFreeze(fallbackInput(fallback));
  return new PromptImpl(
    {
      name,
      version: 0,
      environment,
      type: input.type,
      template: input.template,
      variables: input.variables,
      config: input.config,
      experiment: null,
    },
    compile(input),
    "fallback",
  );
}

export const asPublic = (p: PromptImpl) => p as unknown as PublicPrompt;

/** `name@version` of each partial, sorted, joined by commas: what events and spans carry (the server's form). */
export function partialsKey(c: Composition): string {
  return [...c.partials]
    .sort((a, b) => (a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1))
    .map((p) => `${p.name}@${p.version}`)
    .join(",");
}
