// The scripted model playing the optimizer's reflection (Ax's GEPA asks for `Feedback Summary` and `New
// Value` fields, lib/optimization/ax-service.ts): it reads the minibatch of answers and their scores, names
// what the low-scoring ones have in common (too long, no next step, not the expected answer), and proposes the
// current instruction with the lessons it lacks added at its end, so every template tag is kept. It answers
// in Ax's `wire key: value` format. Pure and deterministic.
import { words } from "./text-tools";

type Tried = { output: string; expected: string; score: number };

const NEXT_STEP = /next step|\bI will\b|\bwe will\b|escalat|callback/i;

/** The fields Ax asks for, by wire key (`New Value (wire key: \`newValue\`)`). */
export function axOutputKeys(system: string): string[] {
  if (!/Your task is to generate new fields/.test(system)) return [];
  return [...system.matchAll(/\(wire key: `([A-Za-z0-9_]+)`\)/g)].map((m) => m[1]!);
}

/** A field's value in Ax's user message ("Current Value: …"), up to the next field it knows of. */
function field(user: string, title: string): string {
  const start = user.indexOf(`${title}: `);
  if (start < 0) return "";
  const rest = user.slice(start + title.length + 2);
  const next =
    /\n\n(?:Component Key|Component Kind|Component Description|Constraints|Current Value|Feedback Summary|Previous Validation Error|Minibatch|Trace Dataset|Target Id): /.exec(
      rest,
    );
  return (next ? rest.slice(0, next.index) : rest).trim();
}

function minibatch(user: string): Tried[] {
  try {
    const rows = JSON.parse(field(user, "Minibatch")) as unknown[];
    return rows.flatMap((r) => {
      const row = r as { input?: { expected?: unknown }; prediction?: { output?: unknown }; score?: unknown };
      return [
        {
          output: typeof row.prediction?.output === "string" ? row.prediction.output : "",
          expected: typeof row.input?.expected === "string" ? row.input.expected : "",
          score: typeof row.score === "number" ? row.score : 0,
        },
      ];
    });
  } catch {
    return [];
  }
}

type Lesson = { finding: string; instruction: string; present: RegExp };

/** What the low-scoring answers have in common, as lessons an instruction can carry. */
function lessons(tried: Tried[]): Lesson[] {
  const low = tried.filter((t) => t.score < 1);
  const out: Lesson[] = [];
  const expected = [...new Set(low.map((t) => t.expected).filter(Boolean))];
  if (expected.length === 1 && low.some((t) => t.output.trim() !== expected[0]))
    out.push({
      finding: `the answers differ from the expected answer "${expected[0]}"`,
      instruction: `Reply with exactly: ${expected[0]}`,
      present: /reply with exactly/i,
    });
  if (low.some((t) => words(t.output).length > 120))
    out.push({
      finding: "some answers are longer than 120 words",
      instruction: "Keep the reply under 120 words.",
      present: /\b(under|at most|no more than)\s+\d+\s+words/i,
    });
  if (!expected.length && low.some((t) => !NEXT_STEP.test(t.output)))
    out.push({
      finding: "some answers end without a next step",
      instruction: "End with one clear next step.",
      present: /next step/i,
    });
  return out;
}

function feedback(tried: Tried[]): string {
  const low = tried.filter((t) => t.score < 1).length;
  if (!tried.length) return "No answers to learn from.";
  if (!low) return `All ${tried.length} answers scored 1; keep the instruction as it is.`;
  const found = lessons(tried).map((l) => l.finding);
  return `${low} of ${tried.length} answers scored below 1${found.length ? `: ${found.join("; ")}` : ", for no reason the answers show"}.`;
}

function newValue(user: string): string {
  const current = field(user, "Current Value");
  const missing = lessons(minibatch(user)).filter((l) => !l.present.test(current));
  return missing.length ? `${current}\n${missing.map((l) => l.instruction).join(" ")}` : current;
}

/** The answer to one of Ax's requests, or undefined when the prompt is not one. */
export function scriptedAxAnswer(system: string, user: string): string | undefined {
  const keys = axOutputKeys(system);
  if (!keys.length) return undefined;
  return keys
    .map((k) => {
      if (k === "newValue") return `${k}: ${newValue(user)}`;
      if (k === "feedbackSummary") return `${k}: ${feedback(minibatch(user))}`;
      return `${k}: ${feedback(minibatch(user))}`;
    })
    .join("\n");
}
