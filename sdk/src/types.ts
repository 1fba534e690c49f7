// The SDK's public shapes. They mirror the resolve API's JSON and are written out here (rather than
// imported from the server's zod schemas) so the published .d.ts stands on its own.
// Over 300 lines: the whole public surface in one file, read as the SDK's reference.

/** An `image` variable takes an https: URL or a data:image/…;base64 URL. */
export type VariableType = "string" | "number" | "boolean" | "json" | "image";
/** The roles Lectern's editor offers; a message may hold any other role as given (Langfuse's `function`, a custom role). */
export type MessageRole = "system" | "user" | "assistant" | "developer" | "tool" | (string & {});

export interface Variable {
  name: string;
  type: VariableType;
  required: boolean;
  default?: unknown;
  description?: string;
  /** The value's JSON Schema (a list's items, an object's fields, allowed values): the server checks it; the SDK does not. */
  schema?: Record<string, unknown>;
}

export type TextPart = { type: "text"; text: string };
export type ImagePart = { type: "image"; url: string };
/** In a template only: an image given at render time through an `image` variable. */
export type ImageVariablePart = { type: "image"; variable: string };

/**
 * A rendered message. Its content is text, or a list of parts when the prompt holds images; turn it into
 * your model SDK's shape with toOpenAI, toAnthropic or toAiSdk.
 */
export interface Message {
  role: MessageRole;
  content: string | (TextPart | ImagePart)[];
}

/** OpenAI chat completions' message: images as `image_url` parts. */
export type OpenAIMessage = {
  role: string;
  content: string | ({ type: "text"; text: string } | { type: "image_url"; image_url: { url: string } })[];
};

/** Anthropic Messages' request fields: system text apart; images as `image` blocks. */
export type AnthropicRequest = {
  system?: string;
  messages: {
    role: "user" | "assistant";
    content:
      | string
      | (
          | { type: "text"; text: string }
          | {
              type: "image";
              source: { type: "url"; url: string } | { type: "base64"; media_type: string; data: string };
            }
        )[];
  }[];
};

/** The AI SDK's ModelMessage, as generateText({ messages }) takes it. */
export type AiSdkMessage =
  | { role: "system"; content: string }
  | {
      role: "user";
      content: string | ({ type: "text"; text: string } | { type: "image"; image: string; mediaType?: string })[];
    }
  | { role: "assistant"; content: string | { type: "text"; text: string }[] };

/** A message as the template holds it: an image part may name a variable. */
export interface TemplateMessage {
  role: MessageRole;
  content: string | (TextPart | ImagePart | ImageVariablePart)[];
}

/**
 * A slot in a chat prompt for messages the application supplies when rendering (a conversation
 * history): `render({ history: [{ role: "user", content: "Hi" }] })`. The messages are inserted as
 * given, not treated as templates.
 */
export interface Placeholder {
  type: "placeholder";
  name: string;
}

/** One entry of a chat prompt's template. */
export type ChatEntry = TemplateMessage | Placeholder;

/** Model settings saved with the version; provider-specific keys are kept as they are. */
export interface PromptConfig {
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  tools?: unknown[];
  responseFormat?: unknown;
  [key: string]: unknown;
}

export type PromptType = "text" | "chat";

export interface Experiment {
  id: string;
  variant: string;
  /** The experiment's phase (a reweight starts a new one); absent on older servers. */
  phase?: number;
}

/** While a guarded rollout ramps a prompt: which arm the subject got, the new version or the live one. */
export interface Rollout {
  id: string;
  arm: "new" | "live";
}

/** One variant of a running experiment, as `include=experiment` returns it: the variant's whole answer. */
export interface ExperimentArm extends Omit<
  ResolveResponse,
  "experiment" | "rollout" | "subjectDependent" | "subject" | "resolvedAt" | "experimentDefinition"
> {
  key: string;
  weight: number;
}

/** The running experiment, for assigning subjects in the client (the server's own hash). */
export interface ExperimentDefinition {
  id: string;
  phase: number;
  /** When the current phase started (ISO 8601). */
  phaseStartedAt?: string;
  seed: string;
  coverage: number;
  /** Mutually exclusive experiments: only subjects whose namespace hash is in [range[0], range[1]) take part. */
  namespace?: { name: string; range: [number, number] } | null;
  mode: "fixed" | "sequential" | "bandit";
  /** "rollout": a guarded rollout's split (arms "live" and "new"); absent on older servers. */
  kind?: "experiment" | "rollout";
  /**
   * "hash": assign locally; "hash+namespace": assign locally within the namespace share (a client that does
   * not know namespaces sees an unknown value and asks the server, so it never breaks the exclusion);
   * "server": a bandit keeps stored assignments, so ask per subject.
   */
  assignment: "hash" | "hash+namespace" | "server";
  variants: ExperimentArm[];
}

/**
 * What an answer composes: the prompt's version and every partial it includes (transitively), each by name and
 * version. Two answers of one version with different partials are different texts: events say which.
 */
export interface Composition {
  prompt: { name: string; version: number };
  partials: { name: string; version: number }[];
}

/** The body of `GET /api/v1/prompts/resolve`. */
export interface ResolveResponse {
  name: string;
  version: number;
  environment: string;
  type: PromptType;
  template: string | ChatEntry[];
  variables: Variable[];
  config: PromptConfig;
  /** Every partial the prompt includes, as served in the same environment. */
  partials: Record<string, { version: number; template: string; variables: Variable[] }>;
  /** What this answer composes (absent on older servers). */
  composition?: Composition;
  experiment: Experiment | null;
  /** While a guarded rollout ramps this prompt, the subject's arm; null otherwise (absent on older servers). */
  rollout?: Rollout | null;
  /** False when every subject gets the same answer: one cached entry then serves all subjects. */
  subjectDependent?: boolean;
  subject: string | null;
  liveSince: string | null;
  /** The answer was asked for by version number (`version=`), not what the environment serves. Absent on older servers. */
  pinned?: boolean;
  resolvedAt: string;
  /** With `include=experiment`, while an experiment runs: every variant, so clients assign subjects themselves. */
  experimentDefinition?: ExperimentDefinition;
}

export type PromptSource = "cache" | "network" | "bootstrap" | "fallback";

/** What `render` returns: a string for text prompts, the messages for chat prompts. */
export type Rendered<T extends PromptType> = T extends "text" ? string : Message[];

export interface PromptOf<T extends PromptType> {
  readonly name: string;
  /** The version served; 0 for a hard-coded fallback. */
  readonly version: number;
  readonly environment: string;
  readonly type: T;
  readonly template: T extends "text" ? string : readonly ChatEntry[];
  readonly variables: readonly Variable[];
  readonly config: Readonly<PromptConfig>;
  readonly experiment: Experiment | null;
  /** While a guarded rollout ramps this prompt: the subject's arm ("new" or "live"); else null. */
  readonly rollout: Rollout | null;
  /** The version and partial versions this prompt was composed of; null for a fallback or an older server. */
  readonly composition: Composition | null;
  /** True only when the hard-coded `fallback` of getPrompt is being served. */
  readonly isFallback: boolean;
  readonly source: PromptSource;
  /**
   * Fills in the variables exactly as the server would (Mustache, no HTML escaping, objects as JSON,
   * partials expanded). Throws LecternValidationError for missing or mistyped variables.
   */
  render(variables?: Record<string, unknown>): Rendered<T>;
  /**
   * What attributes a metric event to this version and, in an experiment, to the subject's variant:
   * `lectern.track({ ...prompt.eventFields(userId), type: "feedback", value: 1 })`.
   */
  eventFields(subject: string): EventFields;
  /**
   * OpenTelemetry attributes that link a model-call span to this version, for Lectern's OTLP endpoint
   * (POST /api/v1/otel/v1/traces): the AI SDK's `experimental_telemetry: { isEnabled: true, metadata:
   * prompt.telemetry({ subject }) }`, or `span.setAttributes(prompt.telemetry())` on a span around the
   * call. `variables` (sent as JSON) lets online evaluation and shadow runs see the input.
   */
  telemetry(options?: { subject?: string; variables?: Record<string, unknown> }): TelemetryAttributes;
}

/** Span attributes (string or number values), as `prompt.telemetry()` returns them. */
export type TelemetryAttributes = Record<string, string | number>;

/** The attribution part of a TrackEvent, as `prompt.eventFields(subject)` returns it. */
export interface EventFields {
  prompt: string;
  version: number;
  environment: string;
  subject: string;
  experimentId?: string;
  variant?: string;
  phase?: number;
  /** The composition's partials as `name@version` joined by commas ("" for none), when known. */
  partials?: string;
}

export type TextPrompt = PromptOf<"text">;
export type ChatPrompt = PromptOf<"chat">;
/** Narrow on `type` to get the right `render` result: `if (p.type === "chat") p.render(v)[0].role`. */
export type Prompt = TextPrompt | ChatPrompt;

/**
 * A prompt to serve when Lectern cannot be reached and nothing is cached. A string is a text
 * template; its variables are then taken from the template, all optional.
 */
export type Fallback =
  | string
  | {
      type: PromptType;
      template: string | ChatEntry[];
      /** When given, they are checked strictly, as the server does; `type` defaults to "string", `required` to true. */
      variables?: Array<Partial<Variable> & { name: string }>;
      config?: PromptConfig;
    };

export interface GetPromptOptions {
  /** Who the prompt is for (a user or session id); A/B tests assign variants by it. */
  subject?: string;
  /** Pins one version instead of what the environment serves. */
  version?: number;
  /**
   * A version label (`v1.2`, `approved`, or `latest`): the version it names, instead of what the environment
   * serves; kept current as the label moves. Not with `version`.
   */
  label?: string;
  /** Overrides the client's environment for this call. */
  environment?: string;
  fallback?: Fallback;
}

export interface SnapshotEntry {
  environment: string;
  name: string;
  /** The pinned version, or null for what the environment serves. */
  version: number | null;
  /** The version label asked for (absent or null: none). */
  label?: string | null;
  subject: string | null;
  etag: string | null;
  response: ResolveResponse;
}

/** Every cached prompt, as `lectern.snapshot()` returns it and `createClient({ bootstrap })` takes it. */
export interface Snapshot {
  format: "lectern.snapshot/1";
  createdAt: string;
  entries: SnapshotEntry[];
}

export interface ClientOptions {
  /** Where Lectern runs, e.g. https://lectern.example.com (no trailing /api). */
  baseUrl: string;
  /** A runtime API key. */
  apiKey: string;
  /** The environment getPrompt asks for by default. */
  environment?: string;
  /** How long a fetched prompt counts as fresh; after that it is still served, and refreshed in the background. */
  cacheTtlMs?: number;
  /**
   * The clock the cache reads (milliseconds since the epoch); defaults to Date.now. Tests pass their own to
   * move past a cache lifetime without waiting for it.
   */
  now?: () => number;
  /** Per request, for resolve calls. */
  timeoutMs?: number;
  /** Listen to /api/v1/events so cached prompts change within milliseconds of a deployment. */
  push?: boolean;
  /** Revalidates cached prompts this often when push is off or the stream is unavailable; 0 turns polling off. */
  pollIntervalMs?: number;
  /** A `snapshot()` taken earlier: served at once (as stale), refreshed in the background. */
  bootstrap?: Snapshot;
  /** A fetch to use instead of the global one (also for the event stream). */
  fetch?: typeof fetch;
  /** Failures that getPrompt does not throw: background refreshes, the event stream, served fallbacks. */
  onError?: (error: Error) => void;
  /** How many subjects are cached per prompt before the oldest is dropped. */
  maxSubjectsPerPrompt?: number;
  /** How often queued track() events are sent (default 1,000 ms); they are also sent at 100 queued. */
  flushIntervalMs?: number;
  /** Record an exposure event when a subject gets a variant of a running experiment (default true). */
  trackExposures?: boolean;
  /**
   * Make no request at all: getPrompt serves a bootstrap snapshot's prompt or its `fallback` (reported once a
   * minute through onError, as during an outage) and throws a LecternNetworkError (code "offline") when it
   * has neither; track() drops events. baseUrl and apiKey may then be empty, so code whose Lectern settings
   * are unset runs on its fallbacks: `offline: !process.env.LECTERN_BASE_URL || !process.env.LECTERN_RUNTIME_KEY`.
   */
  offline?: boolean;
}

/**
 * Prompt name → its type and variables. Empty here: `lectern types` generates a declaration file that
 * fills it by module augmentation (`declare module "@lectern/sdk" { interface PromptRegistry { … } }`).
 * Once it has entries, getPrompt accepts only those names and each prompt's render() takes exactly
 * its variables; while it is empty, names are plain strings and render() takes any record.
 */
export interface PromptRegistry {}

/** The shape of one PromptRegistry entry. */
export interface RegisteredPrompt {
  type: PromptType;
  /** Variable name → value type; optional members are variables with a default or not required. */
  variables: object;
}

/** What getPrompt accepts: any string, or only the registered names once PromptRegistry has entries. */
export type PromptName = [keyof PromptRegistry] extends [never] ? string : Extract<keyof PromptRegistry, string>;

/** A prompt whose render() is typed from its registry entry. */
export type TypedPrompt<E extends RegisteredPrompt> = Omit<PromptOf<E["type"]>, "render"> & {
  /** As PromptOf.render, with the variables checked by the compiler too. */
  render(
    ...variables: {} extends E["variables"] ? [variables?: E["variables"]] : [variables: E["variables"]]
  ): Rendered<E["type"]>;
};

/** getPrompt's result for a name: typed when the name is registered, else the loose Prompt. */
export type PromptFor<N extends string> = N extends keyof PromptRegistry
  ? PromptRegistry[N] extends RegisteredPrompt
    ? TypedPrompt<PromptRegistry[N]>
    : Prompt
  : Prompt;

/** A metric event for experiments, online evaluation and per-version statistics (POST /api/v1/events). */
export type TrackEvent = {
  /** Generated when absent; a resend with the same id is counted once. */
  id?: string;
  prompt: string;
  version: number;
  subject: string;
  environment?: string;
  experimentId?: string;
  variant?: string;
  phase?: number;
  /** ISO 8601; now when absent. */
  at?: string;
} & (
  | { type: "exposure" }
  | { type: "feedback"; value?: 0 | 1; rating?: number; comment?: string }
  | { type: "outcome"; name?: string; value: boolean }
  | {
      type: "generation";
      latencyMs: number;
      ttftMs?: number;
      inputTokens?: number;
      outputTokens?: number;
      costUsd?: number;
      model?: string;
      refusal?: boolean;
      output?: string;
      /** What the model was sent: the variables used (shadow evaluation renders candidates from these), the user's message, or the messages. */
      input?: Record<string, unknown> | string | unknown[];
    }
  | { type: "metric"; name: string; value: number }
);

/** What prefetch loaded, and each name it could not load with the server's reason. */
export interface PrefetchResult {
  loaded: string[];
  errors: { name: string; code: string; message: string }[];
  /** Without names, the environment serves more prompts than one request answers (the first 100 by name were loaded). */
  truncated: boolean;
}

/** A bundle's members at one release (GET /api/v1/bundles/{name}/resolve). */
export interface Bundle {
  name: string;
  environment: string;
  /** The bundle's latest release in the environment; `current` is false when a member was released on its own since. */
  release: { id: number; at: string; action: string; versions: Record<string, number>; current: boolean } | null;
  /**
   * While the bundle's guarded rollout ramps and a subject was given: the subject's side of it, the same for
   * every member ("new": every member's new version; "live": every member's live one). `id` is the bundle's
   * rollout (GET /api/v1/bundles/{name}/rollouts); each member's own `rollout` names its member rollout. Else null.
   */
  rollout: Rollout | null;
  /** The subject the answer is for, or null. */
  subject: string | null;
  prompts: Record<string, Prompt>;
  /** Members that are skills (folders agents read), by name. */
  skills: Record<string, Skill>;
}

/**
 * An agent skill (agentskills.io) as an environment serves it: its files by relative path, SKILL.md first,
 * exactly as stored (write each to `<folder>/<path>` to install it; `folder` is the last segment of the name).
 */
export interface Skill {
  readonly name: string;
  readonly folder: string;
  readonly version: number;
  readonly environment: string;
  readonly liveSince: string | null;
  readonly files: Readonly<Record<string, string>>;
}

export interface GetSkillOptions {
  /** Overrides the client's environment for this call. */
  environment?: string;
  /** A version by number instead of what the environment serves. */
  version?: number;
}

export interface GetBundleOptions {
  /** Overrides the client's environment for this call. */
  environment?: string;
  /**
   * Who the bundle is for (a user or session id, at most 256 characters): while the bundle's guarded rollout
   * ramps, the subject gets every member's new version or none, and Lectern records the exposure.
   */
  subject?: string;
}

export interface LecternClient {
  getPrompt<N extends PromptName>(name: N, options?: GetPromptOptions): Promise<PromptFor<N>>;
  /**
   * Queues a metric event; sent in batches (at most every flushIntervalMs, or at 100 events), retried
   * with backoff on network errors, 429 and 5xx. Events the server refuses (422) are dropped and
   * reported to onError. Attribute the event with the prompt it is about: track({ ...p.eventFields(userId), type, … }).
   */
  track(event: TrackEvent): void;
  /**
   * Sends every queued event (and exposure) now; resolves when they are acknowledged (or given up on). A Node
   * process that ends by itself sends them first; `process.exit()` and serverless platforms do not wait:
   * await this (or close()) before them.
   */
  flush(): Promise<void>;
  /**
   * Fills the cache in one request: the named prompts, or without names every prompt the environment
   * serves (at most 100). Each prompt is loaded or reported on its own; a later getPrompt of a loaded
   * prompt is a cache hit. Throws only when the request as a whole fails (network, key).
   */
  prefetch(names?: readonly string[], options?: { environment?: string }): Promise<PrefetchResult>;
  /**
   * Every prompt of a bundle (a set released as one) as the environment serves it, all from one
   * consistent release: never a mix of an old and a new release's members. With `subject`, its side of the
   * bundle's guarded rollout (every member new, or every member live). Read from the server each time.
   */
  getBundle(name: string, options?: GetBundleOptions): Promise<Bundle>;
  /**
   * A skill's files as the environment serves it (or a pinned version). Read from the server each time; a name
   * that is not a skill is refused (getPrompt reads prompts).
   */
  getSkill(name: string, options?: GetSkillOptions): Promise<Skill>;
  /** A JSON-serialisable copy of every cached prompt, for `createClient({ bootstrap })`. */
  snapshot(): Snapshot;
  /**
   * Stops the event stream, polling and background refreshes, and sends what is queued (resolves when it was
   * acknowledged). getPrompt keeps working without them.
   */
  close(): Promise<void>;
}
