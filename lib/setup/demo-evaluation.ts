// The demo's evaluation: a 120-item regression dataset for support-reply, completed runs of versions
// 1–3 recorded from scripted answers, three repetitions each (no model, no network; the scorers are
// real), a paired evaluation gate on production with the same scorers, and online evaluation of
// production's answers with automatic rollback, so a newcomer sees scores with their spread, a paired
// comparison, a gate and the closed loop at once.
import type { DomainContext } from "../context";
import { addItems } from "../evaluation/datasets/items";
import { createDataset } from "../evaluation/datasets/datasets";
import { recordRun } from "../evaluation/runs/record-run";
import { updateEnvironment } from "../release/environments";
import { putOnlineEvaluation } from "../evaluation/online/rules";
import { demoDatasetName, demoScorers } from "../evaluation/demo-preset";

export { demoDatasetName, demoScorers };

const customers = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jo"];
const topics = [
  {
    tag: "billing",
    ticket: "I was charged twice for my subscription this month.",
    kb: "Duplicate charges are refunded automatically within 5 business days.",
  },
  {
    tag: "shipping",
    ticket: "My order has not arrived after two weeks.",
    kb: "Orders ship within 2 days; tracking links are in the confirmation email.",
  },
  {
    tag: "account",
    ticket: "I cannot reset my password, the email never comes.",
    kb: "Password reset emails can take 10 minutes; check the spam folder.",
  },
  {
    tag: "refund",
    ticket: "I want a refund for the annual plan I bought yesterday.",
    kb: "Annual plans can be refunded in full within 14 days of purchase.",
  },
  {
    tag: "bug",
    ticket: "The export button does nothing in the dashboard.",
    kb: "Exports over 10,000 rows are emailed instead of downloaded.",
  },
  {
    tag: "out-of-scope",
    ticket: "Can you recommend a good laptop for gaming?",
    kb: "Acme sells project-management software.",
  },
];

export function demoDatasetItems() {
  const items = [];
  for (let i = 0; i < 120; i++) {
    const topic = topics[i % topics.length]!;
    const vip = i % 7 === 0;
    items.push({
      input: {
        customer_name: customers[i % customers.length]!,
        ticket: topic.ticket,
        kb_excerpt: topic.kb,
        is_vip: vip,
      },
      tags: [topic.tag, ...(vip ? ["vip"] : [])],
      metadata: { case: i + 1 },
    });
  }
  return items;
}

const filler =
  "We truly appreciate your patience and understand how frustrating this situation can be for you and your team. ";

/**
 * Scripted answers, three per item (a model at temperature 0.4 does not answer alike twice): version 1
 * rambles on every fifth ticket and now and then on others, and often forgets the next step; version 2
 * less; version 3 is concise with a next step, bar an occasional slip. Some items fail every time, others
 * only sometimes: the run page shows each item's spread, pass@3 and pass^3.
 */
function scripted(version: number) {
  return ({
    input,
    position: p,
    repetition: r,
  }: {
    input: Record<string, unknown>;
    position: number;
    repetition: number;
  }) => {
    const name = String(input.customer_name);
    const kb = String(input.kb_excerpt);
    const long =
      version === 1 ? p % 5 === 0 || (p % 5 === 2 && r === 1) : version === 2 ? p % 12 === 0 && r !== 0 : false;
    const noStep = version === 1 ? p % 9 === 0 && r !== 2 : version === 2 ? p % 20 === 0 : p % 30 === 0 && r === 2;
    const body = `Hi ${name}, thanks for reaching out. ${kb}${long ? ` ${filler.repeat(8)}` : ""}`;
    const step = noStep
      ? ""
      : input.is_vip
        ? " As a VIP you can book a direct callback; we will call you today."
        : " Next step: reply to this email if it is not resolved and I will escalate it.";
    return { text: body + step, latencyMs: 400 + ((p * 37 + r * 101) % 300) + (long ? 500 : 0) };
  };
}

/** Each demo run answers every item this often, so its page shows the spread and pass@k / pass^k. */
export const demoRepetitions = 3;

/** `connection`: the demo's scripted connection, which the recorded runs name (their answers are scripted). */
export async function seedDemoEvaluation(ctx: DomainContext, connection?: string): Promise<void> {
  const ds = await createDataset(ctx, {
    name: demoDatasetName,
    prompt: "support-reply",
    description:
      "Common support tickets, with VIPs and an out-of-scope question; every reply must stay under 120 words, end with a next step and stay safe.",
  });
  await addItems(ctx, ds.id, demoDatasetItems(), { source: "demo" });
  for (const version of [1, 2, 3])
    await recordRun(
      ctx,
      {
        prompt: "support-reply",
        version,
        dataset: ds.id,
        scorers: demoScorers,
        environment: "production",
        repetitions: demoRepetitions,
        // Their answers are scripted: the run says so.
        ...(connection && { connection }),
      },
      scripted(version),
    );
  await updateEnvironment(ctx, "production", { evaluationGate: demoGate(ds.id) });
  // Production's answers are scored as they come (the same scorers), and a clear regression rolls it back.
  await putOnlineEvaluation(ctx, "support-reply", demoOnlineRule);
}

/**
 * Production's gate: a version must score at least 80% on the regression set and be no worse than the
 * version production serves, item by item (paired t, Holm across the scorers), so a version that scores
 * well overall but drops the next step on a few tickets the live one handles is refused.
 */
export const demoGate = (dataset: string) => ({
  dataset,
  mode: "paired" as const,
  minScore: 0.8,
  scorers: demoScorers,
});

/** The demo's online evaluation of support-reply in production. */
export const demoOnlineRule = {
  environment: "production",
  sampleRate: 1,
  scorers: demoScorers,
  signals: ["feedback"] as ("feedback" | "outcome")[],
  window: 300,
  minSamples: 30,
  alert: { maxDrop: 0.1 },
  rollback: { enabled: true, maxDrop: 0.25, cooldownMinutes: 60 },
};
