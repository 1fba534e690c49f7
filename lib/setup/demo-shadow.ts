// The demo's shadow evaluation and judge check, on the summarizer in production: 48 live answers of
// version 1 arrive as generation events (with the variables they were rendered with), an online rule
// scores them with an LLM judge and a length limit, version 2 (a one-sentence candidate) answers the
// same inputs off the user's path and is compared pairwise, and 36 seeded pass/fail labels (by the demo
// member "Demo annotator") give the judge's agreement with a person. No model is called: a scripted ScorerModels answers in-process
// (the candidate, the judge, the pairwise judge), and everything else is the real path: ingest,
// sampling, scoring, runShadow, createAnnotation.
import type { DomainContext } from "../context";
import type { ModelRequest, ModelResult } from "../llm/types";
import type { ScorerModels } from "../scorers";
import { ingestEvents } from "../ingest/ingest";
import { createAnnotation } from "../evaluation/online/annotations";
import { putOnlineEvaluation } from "../evaluation/online/rules";
import { scorePendingSamples } from "../evaluation/online/scoring";
import { runShadow } from "../evaluation/online/shadow/shadow";
import { memberships, onlineSamples } from "../../db/schema";
import { createUser, findUserByEmail } from "../auth/users";
import { and, desc, eq } from "drizzle-orm";

const rubric = "The summary keeps every name and number from the document exactly.";
const judgeModel = "gpt-4o";

/** The demo's online rule on the summarizer in production, with version 2 in shadow. */
export const demoShadowRule = {
  environment: "production",
  sampleRate: 1,
  scorers: [
    { type: "llm_judge", name: "faithful", model: judgeModel, rubric },
    { type: "length", name: "brief", unit: "words", max: 60 },
  ],
  signals: [] as ("feedback" | "outcome")[],
  window: 200,
  minSamples: 30,
  alert: { maxDrop: 0.1 },
  rollback: { enabled: false, maxDrop: 0.25, cooldownMinutes: 60 },
  shadow: {
    versions: [2],
    sampleRate: 1,
    maxCallsPerDay: 500,
    judge: { type: "llm_judge", name: "preference", mode: "pairwise", model: judgeModel, rubric },
  },
};

const people = ["Ana Costa", "Ben Okafor", "Chen Wei", "Dara Singh", "Eli Navarro", "Fatima Haddad"];
const teams = ["Payments", "Logistics", "Search", "Mobile"];

/** Case i: a short incident report, and what the live version (1) answered. */
export function demoShadowCase(i: number) {
  const person = people[i % people.length]!;
  const team = teams[i % teams.length]!;
  const orders = 40 + ((i * 37) % 400);
  const days = 2 + (i % 5);
  const document = `${person} from ${team} reports that ${orders} orders were delayed on Monday; the fix ships in ${days} days.`;
  // Version 1 keeps the facts, except on every sixth report (it drops them) and every tenth (it
  // gets the fix date wrong: a slip the judge, which checks the order count, misses; a person does not).
  const output =
    i % 6 === 0
      ? `- ${person} (${team}): some orders were delayed.\n- A fix is coming.`
      : i % 10 === 3
        ? `- ${person} (${team}): ${orders} orders delayed on Monday.\n- Fix ships in ${days + 1} days.`
        : `- ${person} (${team}): ${orders} orders delayed on Monday.\n- Fix ships in ${days} days.`;
  const faithful = i % 6 !== 0 && i % 10 !== 3;
  return { person, team, orders, days, document, output, faithful };
}

const cases = 48;
const labelled = 36;

/** Version 2's one sentence for case i: it keeps the numbers on every fourth report only. */
export function candidateSummary(i: number): string {
  const c = demoShadowCase(i);
  return i % 4 === 0
    ? `${c.team}: ${c.orders} orders were delayed on Monday; the fix ships in ${c.days} days.`
    : `${c.team} had delayed orders; a fix is coming.`;
}

function candidateAnswer(prompt: string): string {
  const i = Array.from({ length: cases }, (_, k) => k).find((k) => prompt.includes(demoShadowCase(k).document)) ?? 1;
  return candidateSummary(i);
}

/** The text inside a fence (`<tag>\n…\n</tag>`, as lib/scorers/judge.ts writes it). */
const fenced = (text: string, tag: string) => {
  const open = `<${tag}>\n`;
  const from = text.indexOf(open);
  if (from < 0) return "";
  const to = text.indexOf(`\n</${tag}>`, from + open.length);
  return text.slice(from + open.length, to < 0 ? undefined : to);
};
const documentIn = (prompt: string) => {
  const input: unknown = JSON.parse(fenced(prompt, "input") || "{}");
  return typeof input === "object" && input && "document" in input ? String(input.document) : "";
};

/** The order counts in a document the judge looks for (it checks the numbers, not the fix date). */
const orderCount = (document: string) => /(\d+) orders/.exec(document)?.[1] ?? "";

const result = (text: string, latencyMs: number, costUsd: number, object?: unknown): ModelResult => ({
  text,
  ...(object !== undefined ? { object } : {}),
  finishReason: "stop",
  usage: { inputTokens: 180, outputTokens: 30 },
  usageReported: true,
  costUsd,
  latencyMs,
  totalMs: latencyMs,
  attempts: 1,
  model: "scripted",
});

/** Answers the candidate's prompt, the judge's grade and the pairwise comparison, as a model would. */
export const demoShadowModels: ScorerModels = {
  async generate(_connection: string | undefined, request: ModelRequest) {
    // What the model is shown: the user's turn (the judge's system prompt names the fences too).
    const prompt = [request.prompt, ...(request.messages ?? []).filter((m) => m.role === "user").map((m) => m.content)]
      .filter((x) => x !== undefined)
      .join("\n");
    const name = request.responseFormat?.type === "json" ? request.responseFormat.name : undefined;
    if (name === "grade") {
      const keeps = fenced(prompt, "answer").includes(orderCount(documentIn(prompt)));
      const verdict = {
        reasoning: keeps ? "The order count is kept." : "The order count is missing.",
        score: keeps ? 5 : 1,
      };
      return result(JSON.stringify(verdict), 700, 0.0009, verdict);
    }
    if (name === "comparison") {
      const count = orderCount(documentIn(prompt));
      const a = fenced(prompt, "answer_a").includes(count);
      const b = fenced(prompt, "answer_b").includes(count);
      const verdict =
        a === b
          ? { reasoning: "Both keep the same facts.", winner: "tie" }
          : { reasoning: `Answer ${a ? "A" : "B"} keeps the order count.`, winner: a ? "A" : "B" };
      return result(JSON.stringify(verdict), 800, 0.0011, verdict);
    }
    return result(candidateAnswer(prompt), 420, 0.0002);
  },
  async embed() {
    throw new Error("the demo's scripted models do not embed");
  },
};

export async function seedDemoShadow(ctx: DomainContext): Promise<void> {
  const rule = await putOnlineEvaluation(ctx, "summarizer", demoShadowRule);
  const now = Date.now();
  const events = Array.from({ length: cases }, (_, i) => {
    const c = demoShadowCase(i);
    return {
      id: `demo-summary-${i + 1}`,
      type: "generation" as const,
      prompt: "summarizer",
      version: 1,
      environment: "production",
      subject: `reader-${i + 1}`,
      // Spread over the last two days, oldest first.
      at: new Date(now - (cases - i) * 60 * 60_000).toISOString(),
      latencyMs: 1100 + ((i * 53) % 400),
      inputTokens: 190,
      outputTokens: 45,
      costUsd: 0.0006,
      model: "gpt-4o-mini",
      input: { document: c.document, doc_type: "incident report", max_bullets: 3 },
      output: c.output,
    };
  });
  await ingestEvents(ctx.db, ctx.projectId, { events });
  const scripted = (projectId: string) => (projectId === ctx.projectId ? demoShadowModels : undefined);
  await scorePendingSamples(ctx.db, scripted, { ruleId: rule.id });
  await runShadow(ctx.db, scripted, { ruleId: rule.id, concurrency: 1 });
  // A person checked the judge: pass/fail labels on the newest outputs, given by the seeded demo member
  // "Demo annotator" (the labels are seeded like the rest, and say so).
  const annotator = await demoAnnotator(ctx);
  const samples = await ctx.db
    .select({ id: onlineSamples.id, eventId: onlineSamples.eventId })
    .from(onlineSamples)
    .where(and(eq(onlineSamples.ruleId, rule.id), eq(onlineSamples.status, "scored")))
    .orderBy(desc(onlineSamples.id))
    .limit(labelled);
  for (const s of samples) {
    const c = demoShadowCase(Number(s.eventId.replace("demo-summary-", "")) - 1);
    await createAnnotation(annotator, {
      sampleId: s.id,
      label: c.faithful ? "pass" : "fail",
      ...(c.faithful ? {} : { comment: "A fact is missing or wrong." }),
    });
  }
}

/** The demo's labeller: an editor of the demo project who cannot sign in (no password, a reserved domain). */
export const demoAnnotatorEmail = "annotator@demo.invalid";

async function demoAnnotator(ctx: DomainContext): Promise<DomainContext> {
  // One user for every project seeded with the demo (the e2e specs seed several in one database).
  const user =
    (await findUserByEmail(ctx.db, demoAnnotatorEmail)) ??
    (await createUser(ctx.db, { email: demoAnnotatorEmail, name: "Demo annotator" }));
  await ctx.db
    .insert(memberships)
    .values({ projectId: ctx.projectId, userId: user.id, role: "editor" })
    .onConflictDoNothing();
  return { ...ctx, actor: { type: "user", id: user.id, label: user.name, role: "editor" } };
}
