// Model-backed similarity scorers: embedding_similarity (cosine of output and expected embeddings) and
// consistency (agreement among k outputs of the same item).
import type { EmbedResult } from "../llm/types";
import type { SpecOf } from "./spec";
import { countChars, levenshteinSimilarity, maxLevenshteinCells, normalize } from "./text-scorers";
import { clamp01, errorResult, type ScoreResult, type ScorerModels, type ScoringContext } from "./types";

/** Cosine of the angle between two vectors; 0 when either is all zeros. Throws on a length mismatch. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length)
    throw new Error(`cannot compare embeddings of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const noModels = (type: string) => errorResult(`${type} needs model access, but none was provided to the scorer`);
const embedFailed = (r: EmbedResult) =>
  errorResult(`the embedding call failed (${r.error!.kind}): ${r.error!.message}`);
const usageOf = (r: EmbedResult) => ({ inputTokens: r.tokens, outputTokens: 0, costUsd: r.costUsd });

/**
 * Cosine similarity between the embeddings of the output and the reference (the spec's value, else
 * the item's expected). Negative cosines, rare with text embeddings, count as 0.
 */
export async function scoreEmbeddingSimilarity(
  spec: SpecOf<"embedding_similarity">,
  ctx: ScoringContext,
  models: ScorerModels | undefined,
): Promise<ScoreResult> {
  if (!models) return noModels("embedding_similarity");
  const ref = spec.value !== undefined ? spec.value : ctx.expected;
  if (ref === undefined)
    return errorResult("embedding_similarity needs the item's expected output, or a value in the scorer spec");
  const refText = typeof ref === "string" ? ref : JSON.stringify(ref);
  // Providers reject empty input; an empty answer is simply not similar to anything.
  if (ctx.output.trim() === "") return { score: 0, reason: "output is empty" };
  if (refText.trim() === "") return errorResult("the expected text is empty, so there is nothing to compare with");
  const r = await models.embed(spec.connection, {
    model: spec.model,
    values: [ctx.output, refText],
    abortSignal: ctx.abortSignal,
  });
  if (r.error) return embedFailed(r);
  const [a, b] = r.embeddings;
  if (!a || !b) return errorResult("the embedding call returned fewer vectors than texts");
  const cos = cosineSimilarity(a, b);
  return {
    score: clamp01(cos),
    reason: `cosine similarity ${cos.toFixed(3)} to the expected text (${spec.model})`,
    usage: usageOf(r),
  };
}

/**
 * Agreement among k outputs of the same item: `output`, then `samples`, then as many `rerun()` calls as
 * needed. Methods: "exact" = share of pairs identical after normalisation (e.g. A, A, B → 1 of 3
 * pairs = 0.333); "levenshtein" = mean pairwise levenshtein similarity; "embedding" = mean pairwise
 * cosine similarity (negatives as 0). One output cannot disagree with itself, so at least 2 are needed.
 */
export async function scoreConsistency(
  spec: SpecOf<"consistency">,
  ctx: ScoringContext,
  models: ScorerModels | undefined,
): Promise<ScoreResult> {
  const outputs = [ctx.output, ...(ctx.samples ?? [])].slice(0, spec.k);
  if (ctx.rerun) {
    try {
      while (outputs.length < spec.k) outputs.push(await ctx.rerun());
    } catch (e) {
      return errorResult(`consistency could not rerun the item: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (outputs.length < 2) {
    return errorResult(
      "consistency needs at least 2 outputs of the item: run it with repetitions, or give the scorer a rerun function",
    );
  }
  const note = outputs.length < spec.k ? ` (only ${outputs.length} of k = ${spec.k} outputs were available)` : "";
  const texts = outputs.map((o) => normalize(o, spec));
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) pairs.push([i, j]);

  if (spec.method === "exact") {
    const agree = pairs.filter(([i, j]) => texts[i] === texts[j]).length;
    const distinct = new Set(texts).size;
    return {
      score: agree / pairs.length,
      reason: `${agree} of ${pairs.length} pairs agree exactly; ${distinct} distinct answer${distinct === 1 ? "" : "s"} among ${texts.length}${note}`,
    };
  }
  if (spec.method === "levenshtein") {
    if (pairs.some(([i, j]) => countChars(texts[i]!) * countChars(texts[j]!) > maxLevenshteinCells)) {
      return errorResult(
        "consistency cannot compare outputs this long with levenshtein; use method exact or embedding",
      );
    }
    const mean = pairs.reduce((s, [i, j]) => s + levenshteinSimilarity(texts[i]!, texts[j]!), 0) / pairs.length;
    return {
      score: clamp01(mean),
      reason: `mean pairwise levenshtein similarity ${mean.toFixed(3)} over ${texts.length} outputs${note}`,
    };
  }
  if (!models) return noModels("consistency (method embedding)");
  if (texts.some((t) => t.trim() === ""))
    return { score: 0, reason: `an output is empty, so the ${texts.length} outputs do not agree${note}` };
  const r = await models.embed(spec.connection, { model: spec.model!, values: texts, abortSignal: ctx.abortSignal });
  if (r.error) return embedFailed(r);
  if (r.embeddings.length !== texts.length) return errorResult("the embedding call returned fewer vectors than texts");
  const mean =
    pairs.reduce((s, [i, j]) => s + clamp01(cosineSimilarity(r.embeddings[i]!, r.embeddings[j]!)), 0) / pairs.length;
  return {
    score: clamp01(mean),
    reason: `mean pairwise cosine similarity ${mean.toFixed(3)} over ${texts.length} outputs${note}`,
    usage: usageOf(r),
  };
}
