// Shadow evaluation's worst case for one answer: what its model calls (the candidate's, each model-backed
// scorer's, the pairwise judge's two) can cost at most, from the project's price table. It is held
// against the rule's daily cost cap before the first call (shadow-budget.ts), so answers in flight
// cannot together pass the cap. Bounds, not guesses: a byte-level tokenizer (the GPT, Claude and Llama
// families) makes at most one token per UTF-8 byte of input, and a call writes at most its maxTokens.
import { findPrice, type PriceTable } from "../../../llm/pricing";
import { describeImagesIn, messageImages } from "../../../llm/flatten";
import type { ModelContentPart, ModelRequest } from "../../../llm/types";
import type { NamedScorerSpec } from "../../../scorers";

/**
 * Output tokens held for a candidate whose version sets no `maxTokens` (the model's own limit, unknown
 * here, applies). A version that sets maxTokens holds that instead.
 */
export const UNCAPPED_OUTPUT_TOKENS = 16_384;
/** A judge's instructions and the fences around what it is shown. */
const JUDGE_FRAME_TOKENS = 1_024;
/** Role markers and separators around each message. */
const PER_MESSAGE_TOKENS = 16;

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/**
 * Input tokens one image may cost. Providers scale large images down before counting: OpenAI's
 * high-detail tiles and Anthropic's (width × height) / 750 stay under ~1,600–2,500 tokens for the images
 * they accept; this bound leaves room for models that count finer.
 */
export const IMAGE_TOKEN_BOUND = 8_192;

/** Tokens of a message's content: its text's bytes, and each image at IMAGE_TOKEN_BOUND (never its URL's bytes). */
const contentTokens = (content: string | ModelContentPart[]) =>
  typeof content === "string"
    ? bytes(content)
    : content.reduce((n, p) => n + (p.type === "text" ? bytes(p.text) : IMAGE_TOKEN_BOUND), 0);

/** At most this many input tokens: one per UTF-8 byte of everything the request sends, plus framing. */
export function inputTokenBound(request: ModelRequest): number {
  const texts = [request.system ?? "", request.prompt ?? ""];
  const extra =
    request.tools?.length || request.responseFormat ? JSON.stringify([request.tools, request.responseFormat]) : "";
  const messages = (request.messages ?? []).reduce((n, m) => n + contentTokens(m.content), 0);
  return (
    texts.reduce((n, t) => n + bytes(t), bytes(extra) + messages) +
    PER_MESSAGE_TOKENS * (1 + (request.messages?.length ?? 0))
  );
}

/** USD of a call of `model` with these token counts; 0 for a model without a price (it is capped by calls only). */
function usd(model: string | undefined, inputTokens: number, outputTokens: number, prices: PriceTable): number {
  const p = model ? findPrice(model, prices) : null;
  return p ? (inputTokens * p.inputPerMTok + outputTokens * p.outputPerMTok) / 1_000_000 : 0;
}

export type AnswerPlan = {
  /** The candidate's request as rendered; null when it cannot render (then no call is made). */
  candidate: ModelRequest | null;
  scorers: readonly NamedScorerSpec[];
  judge: NamedScorerSpec | null;
  /** What judges are shown besides the candidate's answer: the sample's input and the live answer. */
  shown: { input: unknown; liveOutput: string };
};

/** The most one answer can cost (USD). */
export function worstCaseUsd(plan: AnswerPlan, prices: PriceTable): number {
  const c = plan.candidate;
  if (!c) return 0;
  const out = c.maxTokens ?? UNCAPPED_OUTPUT_TOKENS;
  const candidate = usd(c.model, inputTokenBound(c), out, prices);
  // The candidate's answer as judges see it: twice its tokens, as another model's tokenizer may split it finer.
  // Judges see the input with its images described, and the candidate's images themselves.
  const shown =
    2 * out +
    bytes(JSON.stringify(describeImagesIn(plan.shown.input ?? null))) +
    bytes(plan.shown.liveOutput) +
    IMAGE_TOKEN_BOUND * messageImages(c.messages).length;
  const judge = (s: { model: string; rubric: string; maxTokens: number }) =>
    usd(s.model, shown + bytes(s.rubric) + JUDGE_FRAME_TOKENS, s.maxTokens, prices);
  let total = candidate;
  for (const s of plan.scorers) {
    if (s.type === "llm_judge") total += judge(s);
    else if (s.type === "embedding_similarity")
      total += usd(s.model, shown + bytes(JSON.stringify(s.value ?? "")), 0, prices);
    else if (s.type === "consistency")
      total += (s.k - 1) * candidate + (s.method === "embedding" ? usd(s.model, s.k * 2 * out, 0, prices) : 0);
  }
  if (plan.judge?.type === "llm_judge") total += 2 * judge(plan.judge);
  return total;
}
