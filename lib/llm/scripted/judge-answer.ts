// The scripted model as an LLM judge (the prompts lib/scorers/judge.ts writes): it grades an answer by the
// share of the material's facts (numbers, names) it keeps, lowered when the rubric asks for brevity or a
// next step the answer lacks; pairwise, the answer with the better grade wins (a tie when they are close).
// Pure and deterministic, with its reasoning in words.
import { factShare, fenced, words } from "./text-tools";

type Grade = { share: number; why: string };

const NEXT_STEP = /next step|\bI will\b|\bwe will\b|escalat|callback/i;

function grade(prompt: string, answer: string): Grade {
  const rubric = /## Rubric\n([\s\S]*?)(?:\n## |$)/.exec(prompt)?.[1] ?? "";
  const material = [fenced(prompt, "input"), fenced(prompt, "reference")].filter(Boolean).join("\n");
  const f = factShare(material, answer);
  let share = f.share;
  const why: string[] = [
    f.total
      ? `The answer keeps ${f.found} of ${f.total} names and numbers from the material.`
      : "The material has no names or numbers to check.",
  ];
  const limit = Number(/(\d+)\s+words/i.exec(rubric)?.[1] ?? (/concise|brief|short/i.test(rubric) ? 120 : 0));
  if (limit && words(answer).length > limit) {
    share /= 2;
    why.push(`It is longer than ${limit} words.`);
  }
  if (/next step/i.test(rubric) && !NEXT_STEP.test(answer)) {
    share /= 2;
    why.push("It gives no next step.");
  }
  if (!answer.trim()) return { share: 0, why: "The answer is empty." };
  return { share, why: why.join(" ") };
}

/** The verdict object of a judge call named `name` ("grade" or "comparison"), or undefined for another. */
export function scriptedVerdict(
  name: string | undefined,
  prompt: string,
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (name === "grade") {
    const g = grade(prompt, fenced(prompt, "answer"));
    const score = (schema?.properties as Record<string, { type?: string }> | undefined)?.score;
    const value = score?.type === "integer" ? 1 + Math.round(4 * g.share) : Math.round(g.share * 100) / 100;
    return { reasoning: g.why, score: value };
  }
  if (name === "comparison") {
    const a = grade(prompt, fenced(prompt, "answer_a"));
    const b = grade(prompt, fenced(prompt, "answer_b"));
    if (Math.abs(a.share - b.share) < 0.1)
      return { reasoning: `Both answers meet the rubric about as well. A: ${a.why} B: ${b.why}`, winner: "tie" };
    const winner = a.share > b.share ? "A" : "B";
    return { reasoning: `Answer ${winner} meets the rubric better. A: ${a.why} B: ${b.why}`, winner };
  }
  return undefined;
}
