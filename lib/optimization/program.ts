// The program Ax's GEPA optimizes: the prompt version itself. GEPA reads and writes its one component
// (the instruction, lectern::instruction), sets its few-shot examples (setDemos, from Ax's bootstrap) and
// runs it on train items (forward); the metric scores an answer with Lectern's scorers. Every model call
// — the version's answer and each model-backed scorer's — goes through the optimization's Meter.
import type { AxOptimizableComponent, AxProgramDemos } from "@ax-llm/ax";
import type { DatasetItemRow } from "../evaluation/datasets/datasets";
import type { Content } from "../registry/content";
import { servedRequest, type ServedVersion } from "../runtime/render-as-served";
import { combineOutcomes, erroredOutcomes, scoreItem, type NamedScorerSpec } from "../scorers";
import type { Meter } from "./budget";
import { applyCandidate, checkInstruction, instructionOf, type Candidate, type Demo } from "./candidate";
import type { CandidateSummary } from "./contracts";

export const INSTRUCTION = "lectern::instruction";

/** An example as GEPA sees it: the item's id, its variables as JSON (what the reflection reads), the reference. */
export type Example = { item: string; input: string; expected: string };

export const toExample = (item: DatasetItemRow): Example => ({
  item: item.id,
  input: JSON.stringify(item.input),
  expected:
    item.expected === null ? "" : typeof item.expected === "string" ? item.expected : JSON.stringify(item.expected),
});

export interface ProgramEnv {
  served: ServedVersion;
  items: Map<string, DatasetItemRow>;
  specs: NamedScorerSpec[];
  meter: Meter;
  connection: string | undefined;
  signal: AbortSignal;
}

/** One answer of a version's content to an item, scored: the scorers' outcomes (errored when the call failed). */
export async function answerAndScore(env: ProgramEnv, content: Content, item: DatasetItemRow) {
  const input = item.input as Record<string, unknown>;
  const request = servedRequest({ ...env.served, content }, input).request;
  const result = await env.meter.generate(env.connection, { ...request, abortSignal: env.signal });
  if (result.error) {
    const message = `model call failed (${result.error.kind}): ${result.error.message}`;
    const errored = erroredOutcomes(env.specs, message);
    return { output: null, outcomes: errored, score: null as number | null };
  }
  const scored = await scoreItem(
    env.specs,
    { output: result.text, expected: item.expected ?? undefined, input, abortSignal: env.signal },
    { models: env.meter.scorerModels() },
  );
  return { output: result.text, outcomes: scored.results, score: combineOutcomes(scored.results, "failure").score };
}

/** The version as an Ax program (Ax's AxProgrammable, the parts GEPA and its bootstrap use). */
export class VersionProgram {
  private instruction: string;
  private demos: Demo[] = [];
  private lastTrace: { programId: string; trace: { item: string; output: string } } | null = null;
  private readonly seen = new Map<string, CandidateSummary & { sum: number }>();
  private readonly start: string;

  constructor(private readonly env: ProgramEnv) {
    this.instruction = instructionOf(env.served.content);
    this.start = this.instruction;
    this.summary(this.instruction);
  }

  candidate(instruction = this.instruction): Candidate {
    return { instruction, demos: this.demos };
  }

  /** Every instruction scored so far, in the order first seen (0: the starting one). */
  candidates(): CandidateSummary[] {
    return [...this.seen.values()].map(({ sum: _sum, ...c }) => ({ ...c, instruction: c.instruction.slice(0, 2000) }));
  }

  candidateIndex(instruction: string): number {
    return this.summary(instruction).index;
  }

  private summary(instruction: string) {
    let s = this.seen.get(instruction);
    if (!s)
      this.seen.set(instruction, (s = { index: this.seen.size, instruction, trainScore: null, trainItems: 0, sum: 0 }));
    return s;
  }

  getId = () => "lectern";
  setId() {}
  getSignature(): never {
    throw new Error("the version program has no Ax signature: GEPA optimizes it through its components");
  }
  getTraces() {
    return this.lastTrace ? [this.lastTrace] : [];
  }
  getUsage = () => [];
  getChatLog = () => [];
  resetUsage() {}
  applyOptimization() {}
  async *streamingForward(): AsyncGenerator<never, void, unknown> {
    throw new Error("the version program does not stream");
  }

  getOptimizableComponents(): AxOptimizableComponent[] {
    const start = this.start;
    return [
      {
        key: INSTRUCTION,
        kind: "instruction",
        current: this.instruction,
        description:
          "The prompt's instructions to the model (a Mustache template: {{name}} tags are replaced by each item's values).",
        preserve: [...new Set(start.match(/\{\{\{?[^{}]*\}?\}\}/g) ?? [])],
        maxLength: 20_000,
        validate: (value: string) => checkInstruction(start, value),
      },
    ];
  }

  applyOptimizedComponents(updates: Readonly<Record<string, string>>) {
    const next = updates[INSTRUCTION];
    if (typeof next === "string" && checkInstruction(this.start, next) === true) this.instruction = next;
  }

  setDemos(demos: readonly AxProgramDemos<unknown, unknown>[]) {
    const traces = demos.flatMap((d) => (d.traces ?? []) as unknown as { item?: string; output?: string }[]);
    this.demos = traces.flatMap((t) => {
      const item = t.item ? this.env.items.get(t.item) : undefined;
      if (!item || typeof t.output !== "string") return [];
      const input = item.input as Record<string, unknown>;
      const messages =
        this.env.served.content.type === "chat"
          ? servedRequest(this.env.served, input).request.messages!.filter((m) => m.role !== "system")
          : [];
      // An example whose turns hold images cannot be written as literal text: it is not used.
      const turns = messages.flatMap((m) =>
        (m.role === "user" || m.role === "assistant") && typeof m.content === "string"
          ? [{ role: m.role, content: m.content }]
          : [],
      );
      return turns.length === messages.length ? [{ input, turns, output: t.output }] : [];
    });
  }

  /** The version with the current instruction and examples answers one train item. */
  async forward(_ai: unknown, example: Example) {
    if (this.env.signal.aborted) throw new Error("the optimization was interrupted");
    const item = this.env.items.get(example.item);
    if (!item) throw new Error(`no train item ${example.item}`);
    const instruction = this.instruction;
    const content = applyCandidate(this.env.served.content, this.candidate(instruction));
    const r = await answerAndScore(this.env, content, item);
    if (r.output === null) throw new Error(String(r.outcomes[0]?.error ?? "the model call failed"));
    this.lastTrace = { programId: "lectern", trace: { item: item.id, output: r.output } };
    const s = this.summary(instruction);
    if (r.score !== null) {
      s.sum += r.score;
      s.trainItems++;
      s.trainScore = s.sum / s.trainItems;
    }
    return { output: r.output, score: r.score ?? 0 };
  }
}

/** GEPA's metric: the weighted item score forward() computed with the scorers (0 when none could score). */
export const metric = ({ prediction }: { prediction: unknown }) => {
  const score = (prediction as { score?: unknown } | null)?.score;
  return typeof score === "number" && Number.isFinite(score) ? score : 0;
};
