// The simulated users of the demo (npm run demo:traffic, and the experiment's first users the demo seed
// records): how each version of the demo prompt behaves, what the app rendered it with and what it
// answered, the generation and thumbs each user reports, and the thumbs each user gave before the
// experiment started. Pure: the randomness is a seeded stream, so a seed reproduces the same users.

export type Behaviour = {
  thumbsUp: number;
  outputTokens: number;
  latencyMs: number;
  ttftMs: number;
  costPer1kOut: number;
  refusal: number;
};

/** Today's prompt, a truly better one (more thumbs up, shorter, cheaper, faster), and a regressed one. */
export const behaviours: Record<"today" | "better" | "regressed", Behaviour> = {
  today: { thumbsUp: 0.58, outputTokens: 320, latencyMs: 2100, ttftMs: 420, costPer1kOut: 0.0006, refusal: 0.02 },
  better: { thumbsUp: 0.7, outputTokens: 175, latencyMs: 1350, ttftMs: 400, costPer1kOut: 0.0006, refusal: 0.02 },
  regressed: { thumbsUp: 0.2, outputTokens: 600, latencyMs: 3200, ttftMs: 500, costPer1kOut: 0.0006, refusal: 0.05 },
};
const customers = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana"];
const tickets = [
  ["I was charged twice this month.", "Duplicate charges are refunded automatically within 5 business days."],
  ["My order has not arrived.", "Orders ship within 2 days; tracking links are in the confirmation email."],
  ["I cannot reset my password.", "Password reset emails can take 10 minutes; check the spam folder."],
] as const;
/** The variables the app rendered the prompt with, and the answer the model gave (good, or long and aimless). */
export function conversation(i: number, kind: keyof typeof behaviours) {
  const [ticket, kb] = tickets[i % tickets.length]!;
  const customer_name = customers[i % customers.length]!;
  const input = { customer_name, ticket, kb_excerpt: kb, is_vip: i % 7 === 0 };
  const filler = "We truly appreciate your patience and understand how frustrating this situation can be. ";
  const output =
    kind === "regressed"
      ? `Hi ${customer_name}. ${filler.repeat(12)}`
      : `Hi ${customer_name}, thanks for reaching out. ${kb} Next step: reply to this email if it is not resolved and I will escalate it.`;
  return { input, output };
}

/** A probability moved by a user's taste, kept inside (0, 1). */
export const shifted = (p: number, taste: number) => Math.min(0.98, Math.max(0.02, p + taste));

/**
 * Each user's thumbs on the control in the 10 days before `since` (the experiment's start), naming no
 * experiment, so they stay history: CUPED's covariate. Their rate follows the user's taste, as during it.
 */
export function historyEvents(o: {
  run: string;
  prompt: string;
  environment: string;
  version: number;
  since: number;
  perUser: number;
  taste: readonly number[];
  random: () => number;
}) {
  const day = 86_400_000;
  return o.taste.flatMap((t, i) =>
    Array.from({ length: o.perUser }, (_, k) => ({
      id: `demo-${o.run}-${i}-h${k}`,
      type: "feedback",
      prompt: o.prompt,
      version: o.version,
      environment: o.environment,
      subject: `demo-${o.run}-${i}`,
      at: new Date(o.since - day * (1 + (9 * (k + o.random())) / o.perUser)).toISOString(),
      value: o.random() < shifted(behaviours.today.thumbsUp, t) ? 1 : 0,
    })),
  );
}

/** A small seeded generator (mulberry32) and normal draws from it: the same seed simulates the same users. */
export function seededRandom(seed: string) {
  let state = [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 2166136261);
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return { random, normal };
}

/** How easily each of `n` users gives a thumbs up, the same before and during an experiment: what CUPED uses. */
export const tastes = (n: number, normal: () => number) => Array.from({ length: n }, () => 0.3 * normal());

/**
 * What the app reports for user i after a resolve: the generation (latency, tokens, cost, the variables
 * and the answer) and, for a share `feedbackRate` of users, a thumbs up or down moved by the user's taste.
 * `common` holds what every event of the call carries (prompt, version, environment, subject, at, and the
 * experiment's id, variant and phase when the subject is in one).
 */
export function userEvents(o: {
  id: string;
  i: number;
  kind: keyof typeof behaviours;
  common: Record<string, unknown>;
  taste: number;
  feedbackRate: number;
  random: () => number;
  normal: () => number;
}): { events: Record<string, unknown>[]; thumbs: 0 | 1 | null } {
  const b = behaviours[o.kind];
  const outputTokens = Math.max(20, Math.round(b.outputTokens * (1 + 0.25 * o.normal())));
  const inputTokens = Math.round(900 + 150 * o.normal());
  const events: Record<string, unknown>[] = [
    {
      id: `${o.id}-gen`,
      type: "generation",
      ...o.common,
      latencyMs: Math.max(150, Math.round(b.latencyMs * (outputTokens / b.outputTokens) + 120 * o.normal())),
      ttftMs: Math.max(80, Math.round(b.ttftMs + 60 * o.normal())),
      inputTokens,
      outputTokens,
      costUsd: Math.round(((inputTokens * 0.00015 + outputTokens * b.costPer1kOut) / 1000) * 1e8) / 1e8,
      model: "gpt-4o-mini",
      refusal: o.random() < b.refusal,
      ...conversation(o.i, o.kind),
    },
  ];
  if (!(o.random() < o.feedbackRate)) return { events, thumbs: null };
  const up = o.random() < shifted(b.thumbsUp, o.taste);
  events.push({ id: `${o.id}-fb`, type: "feedback", ...o.common, value: up ? 1 : 0 });
  return { events, thumbs: up ? 1 : 0 };
}
