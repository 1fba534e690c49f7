// The script of the local model server: rules matched against the prompt decide what each request
// gets (an answer, a tool call, JSON, or a failure). Everything here is deterministic: the same
// script and the same requests give the same answers, in the same order.
import { z } from "zod";

export type Api = "chat" | "messages" | "embeddings";

const failureSchema = z.union([
  z.literal("hang"),
  z.literal("malformed"),
  z.strictObject({
    status: z.number().int().min(400).max(599),
    message: z.string().optional(),
    /** Sent as the Retry-After header: seconds, or an HTTP date. */
    retryAfter: z.union([z.number().min(0), z.string()]).optional(),
  }),
]);

const replyShape = {
  /** A list answers in turn: the rule's first use gets text[0], the second text[1], … then it cycles. */
  text: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  /** Serialised with JSON.stringify as the answer's text. */
  json: z.unknown().optional(),
  toolCalls: z.array(z.strictObject({ name: z.string().min(1), arguments: z.unknown().optional() })).optional(),
  finishReason: z.enum(["stop", "length"]).optional(),
  usage: z
    .strictObject({ input: z.number().int().min(0).optional(), output: z.number().int().min(0).optional() })
    .optional(),
  /** Delay before answering (before the first byte when streaming); replaces the script's latencyMs. */
  latencyMs: z.number().min(0).optional(),
};

const replySchema = z.strictObject(replyShape);

const ruleSchema = z
  .strictObject({
    ...replyShape,
    /** Substring of the prompt: every message's text joined by newlines (embeddings: the inputs). */
    match: z.string().optional(),
    /** Regular expression tested on the prompt; a RegExp object when scripted from code. */
    regex: z.union([z.string(), z.instanceof(RegExp)]).optional(),
    flags: z.string().optional(),
    model: z.string().optional(),
    api: z.enum(["chat", "messages", "embeddings"]).optional(),
    fail: failureSchema.optional(),
    /** The rule serves its first `times` matching requests, then is skipped. */
    times: z.number().int().min(1).optional(),
    /** Held requests wait for server.release() (or POST /__release) before answering. */
    hold: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    if (typeof r.regex === "string") {
      try {
        new RegExp(r.regex, r.flags);
      } catch (e) {
        ctx.addIssue({
          code: "custom",
          path: ["regex"],
          message: `is not a valid regular expression: ${(e as Error).message}`,
        });
      }
    }
  });

export const scriptSchema = z.strictObject({
  rules: z.array(ruleSchema).default([]),
  /** The answer when no rule matches; without it, a deterministic echo of the last user message. */
  default: replySchema.optional(),
  latencyMs: z.number().min(0).default(0),
  /** Delay between streamed chunks. */
  chunkDelayMs: z.number().min(0).default(0),
  /** When set, requests must carry it (Authorization: Bearer … or x-api-key), else 401. */
  apiKey: z.string().optional(),
  embeddingDimensions: z.number().int().min(2).max(4096).default(64),
  /** Exact input text → vector, replacing the built-in bag-of-words embedding. */
  embeddings: z.record(z.string(), z.array(z.number())).optional(),
});

export type Script = z.input<typeof scriptSchema>;
export type ParsedScript = z.output<typeof scriptSchema>;
export type ScriptRule = z.output<typeof ruleSchema>;
export type ScriptReply = z.output<typeof replySchema>;
export type ScriptFailure = z.output<typeof failureSchema>;

/** Validates a script, throwing one line per problem ("rules[1].regex is not a valid …"). */
export function parseScript(input: unknown): ParsedScript {
  const r = scriptSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "");
    return `${path || "script"}: ${i.message}`;
  });
  throw new Error(`Invalid llm-server script:\n${lines.join("\n")}`);
}

export interface Incoming {
  api: Api;
  model: string;
  prompt: string;
  lastUser: string;
}

export interface Decision {
  ruleIndex?: number;
  rule?: ScriptRule;
  reply: ScriptReply;
  /** Which answer of a text list this request gets. */
  turn: number;
}

/** Per-script state: how often each rule has served, for `times` and answer lists. */
export class ScriptState {
  readonly script: ParsedScript;
  readonly #uses: number[];
  #defaultUses = 0;

  constructor(script: ParsedScript) {
    this.script = script;
    this.#uses = script.rules.map(() => 0);
  }

  decide(req: Incoming): Decision {
    for (const [i, rule] of this.script.rules.entries()) {
      if (!matches(rule, req)) continue;
      if (rule.times !== undefined && this.#uses[i]! >= rule.times) continue;
      const turn = this.#uses[i]!;
      this.#uses[i] = turn + 1;
      return { ruleIndex: i, rule, reply: rule, turn };
    }
    const turn = this.#defaultUses++;
    return { reply: this.script.default ?? {}, turn };
  }
}

function matches(rule: ScriptRule, req: Incoming): boolean {
  if (rule.api && rule.api !== req.api) return false;
  if (rule.model && rule.model !== req.model) return false;
  if (rule.match !== undefined && !req.prompt.includes(rule.match)) return false;
  if (rule.regex !== undefined) {
    const re = typeof rule.regex === "string" ? new RegExp(rule.regex, rule.flags) : rule.regex;
    re.lastIndex = 0;
    if (!re.test(req.prompt)) return false;
  }
  return true;
}

/** The text a reply answers with; JSON-mode requests without a scripted answer get a schema-shaped object. */
export function replyText(d: Decision, req: Incoming, json: { schema?: unknown } | undefined): string {
  const { reply } = d;
  if (reply.json !== undefined) return JSON.stringify(reply.json);
  if (Array.isArray(reply.text)) return reply.text[d.turn % reply.text.length]!;
  if (typeof reply.text === "string") return reply.text;
  if (json) return JSON.stringify(json.schema ? sampleFromSchema(json.schema) : { answer: echo(req) });
  return echo(req);
}

const echo = (req: Incoming) => `Scripted reply to: ${req.lastUser.slice(0, 200)}`;

/** The smallest plausible value of a JSON Schema, so a JSON-mode default answer parses and validates. */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (typeof schema !== "object" || schema === null || depth > 8) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.const !== undefined) return s.const;
  for (const k of ["anyOf", "oneOf", "allOf"]) {
    const list = s[k];
    if (Array.isArray(list) && list.length > 0) return sampleFromSchema(list[0], depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sampleFromSchema(v, depth + 1)]));
    }
    case "array":
      return typeof s.minItems === "number" && s.minItems > 0
        ? Array.from({ length: s.minItems }, () => sampleFromSchema(s.items, depth + 1))
        : [];
    case "string":
      return "scripted";
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return true;
    default:
      return null;
  }
}

/** A rough, deterministic token count: one token per four characters, at least one. */
export const countTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A bag-of-words embedding: each lower-cased word adds 1 to a hashed dimension, then the vector is
 * normalised. Identical texts get cosine 1, texts without a shared word get (nearly) 0, and overlap
 * lands in between, which is what similarity scorers need to be tested meaningfully.
 */
export function embedText(text: string, dims: number, overrides?: Record<string, number[]>): number[] {
  const fixed = overrides?.[text];
  if (fixed) return fixed;
  const v = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) v[0] = 1;
  for (const w of words) v[fnv1a(w) % dims]! += 1;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
