// What a rule's `shadow` setting accepts: which candidates answer sampled live inputs off the user's path,
// how many of them, under which daily budget, and whether a pairwise judge says which answer is better. A
// candidate is a version (its number), or a version rendered with other versions of partials it includes,
// `{version, partials: {"shared/tone": 2}}` (a partial's candidate inside the prompts that include
// it, usually their live version). Parsed here once; the rule's write (../rules.ts, shadow-compositions.ts)
// checks the versions, partials and connections.
import { z } from "zod";
import { AppError } from "../../../errors";
import { parseScorerSpecs } from "../../../scorers";
import type { ShadowComposition, ShadowConfig } from "../contracts";

export const shadowDefaults = { sampleRate: 0.5, maxCallsPerDay: 500, maxCostUsdPerDay: 5 } as const;

export const shadowInput = z
  .object({
    // Numbers and compositions: each entry is parsed on its own (candidateEntry) so an error names it.
    versions: z.array(z.unknown(), { error: "shadow.versions must be a list of version numbers" }),
    // What a read of the setting returns the compositions as, so a setting read can be written back as is.
    compositions: z
      .array(z.unknown(), { error: "shadow.compositions must be a list of {version, partials}" })
      .default([]),
    sampleRate: z
      .number({ error: "shadow.sampleRate must be a number" })
      .gt(0, { error: "shadow.sampleRate must be above 0 and at most 1" })
      .max(1, { error: "shadow.sampleRate must be above 0 and at most 1" })
      .default(shadowDefaults.sampleRate),
    maxCallsPerDay: z
      .number({ error: "shadow.maxCallsPerDay must be a whole number" })
      .int({ error: "shadow.maxCallsPerDay must be a whole number" })
      .min(1, { error: "shadow.maxCallsPerDay must be at least 1" })
      .max(100_000, { error: "shadow.maxCallsPerDay must be at most 100,000" })
      .default(shadowDefaults.maxCallsPerDay),
    maxCostUsdPerDay: z
      .number({ error: "shadow.maxCostUsdPerDay must be a number of dollars" })
      .gt(0, { error: "shadow.maxCostUsdPerDay must be above 0 (or null for no cost cap)" })
      .max(10_000, { error: "shadow.maxCostUsdPerDay must be at most 10,000" })
      .nullable()
      .default(shadowDefaults.maxCostUsdPerDay),
    connection: z
      .string({ error: "shadow.connection must be a connection id or name" })
      .max(200)
      .nullable()
      .default(null),
    judge: z.unknown().nullable().default(null),
  })
  .strict();

export type ShadowInput = z.input<typeof shadowInput>;

/** At most this many candidates, versions and compositions together: each one is a model call per sample. */
const MAX_CANDIDATES = 5;

const versionNumber = z
  .number({ error: "shadow.versions must be version numbers" })
  .int({ error: "shadow.versions must be version numbers" })
  .min(1, { error: "shadow.versions must be version numbers" });

const composition = z
  .object(
    {
      version: z
        .number({ error: "must be a version number" })
        .int({ error: "must be a version number" })
        .min(1, { error: "must be a version number" }),
      partials: z
        .record(
          z.string().min(1, { error: "a partial's name must not be empty" }).max(200),
          z
            .number({ error: "must be a version number of the partial" })
            .int({ error: "must be a version number of the partial" })
            .min(1, { error: "must be a version number of the partial" }),
          { error: 'must be an object of partial names and versions, e.g. {"shared/tone": 2}' },
        )
        .refine((p) => Object.keys(p).length > 0, {
          error: "must name at least one partial (a plain candidate is just its version number)",
        })
        .refine((p) => Object.keys(p).length <= 20, { error: "may name at most 20 partials" }),
    },
    { error: 'must be a version number or {version, partials: {"shared/tone": 2}}' },
  )
  .strict();

/** Refuses input with an `unprocessable` naming the field (shadow.versions.1.partials, …). */
function refuse(error: z.ZodError, at: (string | number)[] = []): never {
  const i = error.issues[0]!;
  const field = ["shadow", ...at, ...i.path].map(String).join(".");
  const message = i.message.startsWith("shadow") ? i.message : `${field}: ${i.message}`;
  throw new AppError("unprocessable", message, { field });
}

/** A composition's identity: its version and its partials in name order. */
export const compositionKey = (c: ShadowComposition) =>
  `${c.version}:${JSON.stringify(Object.entries(c.partials).sort(([a], [b]) => a.localeCompare(b)))}`;

/** The candidates of the setting: plain versions, and compositions (from `versions` entries or `compositions`). */
function candidates(versions: unknown[], compositions: unknown[]) {
  if (versions.length + compositions.length === 0)
    throw new AppError("unprocessable", "shadow.versions must name at least one candidate version", {
      field: "shadow.versions",
    });
  if (versions.length + compositions.length > MAX_CANDIDATES)
    throw new AppError(
      "unprocessable",
      `shadow.versions may name at most ${MAX_CANDIDATES} candidates (each one is a model call per sample)`,
      { field: "shadow.versions" },
    );
  const plain = new Set<number>();
  const composed = new Map<string, ShadowComposition>();
  const add = (entry: unknown, at: (string | number)[]) => {
    const isObject = typeof entry === "object" && entry !== null && !Array.isArray(entry);
    if (!isObject && at[0] === "versions") {
      const r = versionNumber.safeParse(entry);
      if (!r.success) refuse(r.error, at);
      plain.add(r.data);
      return;
    }
    const r = composition.safeParse(entry);
    if (!r.success) refuse(r.error, at);
    const c = {
      version: r.data.version,
      partials: Object.fromEntries(Object.entries(r.data.partials).sort(([a], [b]) => a.localeCompare(b))),
    };
    composed.set(compositionKey(c), c);
  };
  versions.forEach((e, i) => add(e, ["versions", i]));
  compositions.forEach((e, i) => add(e, ["compositions", i]));
  return {
    versions: [...plain].sort((a, b) => a - b),
    compositions: [...composed.values()].sort(
      (a, b) => a.version - b.version || compositionKey(a).localeCompare(compositionKey(b)),
    ),
  };
}

/** The rule's shadow setting from its input (undefined or null: none), or an `unprocessable` naming the field. */
export function parseShadow(input: unknown): ShadowConfig | null {
  if (input === undefined || input === null) return null;
  const r = shadowInput.safeParse(input);
  if (!r.success) refuse(r.error);
  const { versions, compositions } = candidates(r.data.versions, r.data.compositions);
  let judge = null;
  if (r.data.judge !== null) {
    try {
      judge = parseScorerSpecs([r.data.judge], "shadow.judge")[0]!;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // One judge, not a list: "shadow.judge[0].temperature …" reads as "shadow.judge.temperature …".
      const field = String(e.details?.field ?? "shadow.judge");
      throw new AppError("unprocessable", e.message.replaceAll("shadow.judge[0].", "shadow.judge."), {
        field: field.replace(/^shadow\.judge\.0(?=\.|$)/, "shadow.judge"),
      });
    }
    if (judge.type !== "llm_judge" || judge.mode !== "pairwise")
      throw new AppError(
        "unprocessable",
        'shadow.judge must be an llm_judge with mode "pairwise" (it compares the candidate\'s answer with the live one)',
        { field: "shadow.judge" },
      );
    // A pairwise judge at a temperature other than 0 is refused by the scorer schema itself (spec-schema.ts).
  }
  return { ...r.data, versions, compositions, judge };
}

/** Model calls one shadow answer costs: the candidate's, plus each model-backed scorer's. */
export function callsPerAnswer(config: ShadowConfig, scorers: readonly { type: string; k?: number }[]): number {
  const scorerCalls = scorers.reduce(
    (n, s) =>
      n +
      (s.type === "llm_judge" || s.type === "embedding_similarity" ? 1 : s.type === "consistency" ? (s.k ?? 3) - 1 : 0),
    0,
  );
  return 1 + scorerCalls + (config.judge ? 2 : 0);
}
