// What a rule's `shadow` setting accepts: which candidate versions answer sampled live inputs off the
// user's path, how many of them, under which daily budget, and whether a pairwise judge says which
// answer is better. Parsed here once; the rule's write (rules.ts) checks the versions and connections.
import { z } from "zod";
import { AppError } from "../../errors";
import { parseScorerSpecs } from "../../scorers";
import type { ShadowConfig } from "./contracts";

export const shadowDefaults = { sampleRate: 0.5, maxCallsPerDay: 500, maxCostUsdPerDay: 5 } as const;

export const shadowInput = z
  .object({
    versions: z
      .array(
        z
          .number({ error: "shadow.versions must be version numbers" })
          .int({ error: "shadow.versions must be version numbers" })
          .min(1, { error: "shadow.versions must be version numbers" }),
        { error: "shadow.versions must be a list of version numbers" },
      )
      .min(1, { error: "shadow.versions must name at least one candidate version" })
      .max(5, { error: "shadow.versions may name at most 5 candidates (each one is a model call per sample)" }),
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

/** The rule's shadow setting from its input (undefined or null: none), or an `unprocessable` naming the field. */
export function parseShadow(input: unknown): ShadowConfig | null {
  if (input === undefined || input === null) return null;
  const r = shadowInput.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const field = ["shadow", ...i.path.map(String)].join(".");
    const message = i.message.startsWith("shadow") ? i.message : `${field}: ${i.message}`;
    throw new AppError("unprocessable", message, { field });
  }
  const versions = [...new Set(r.data.versions)].sort((a, b) => a - b);
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
  return { ...r.data, versions, judge };
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
