// The labelling page (read model): the next output this person has not labelled, of an online rule (?rule=)
// or of an evaluation run (?run=), in one shape whichever it is, with the judges' rubrics and the label
// counts. A refusal the person can act on (no such rule or run, no right to read it) is `problem`, shown on
// the page; anything else is an error. The page renders it.
import { isAppError } from "../errors";
import { nextOutputToLabel } from "../evaluation/judge-labels";
import type { DomainContext } from "../context";

export type LabelOrigin =
  { kind: "rule"; prompt: string; environment: string } | { kind: "run"; run: string; prompt: string; version: number };

export type OutputToLabel = {
  version: number;
  /** A run's item: its place in the dataset, and which repetition (0: the first). */
  item: { position: number; repetition: number } | null;
  input: unknown;
  /** A run's item's expected output (undefined for a live output, which has none). */
  expected?: unknown;
  text: string;
  target: { sampleId: number } | { runItemId: number };
};

export type AnnotateOverview =
  | {
      origin: LabelOrigin;
      labelled: { you: number; everyone: number };
      /** The run's outputs (items × repetitions); null for a rule, whose sampled outputs keep coming. */
      outputs: number | null;
      rubrics: { scorer: string; rubric: string }[];
      /** Null when nothing is left to label. */
      output: OutputToLabel | null;
      problem?: undefined;
    }
  | { problem: string };

export async function annotateOverview(
  ctx: DomainContext,
  q: { rule?: string; run?: string },
): Promise<AnnotateOverview> {
  if (!q.rule && !q.run)
    return { problem: "Open this page from an online evaluation rule or an evaluation run with an LLM judge." };
  const next = await nextOutputToLabel(ctx, q.rule ? { rule: q.rule } : { run: q.run }).catch((e: unknown) => {
    if (isAppError(e)) return e;
    throw e;
  });
  if (isAppError(next)) return { problem: next.message };
  if ("sample" in next) {
    const s = next.sample;
    return {
      origin: { kind: "rule", prompt: next.prompt, environment: next.environment },
      labelled: next.labelled,
      outputs: null,
      rubrics: next.rubrics,
      output: s && { version: s.version, item: null, input: s.input, text: s.output, target: { sampleId: s.id } },
    };
  }
  const i = next.item;
  return {
    origin: { kind: "run", run: next.run, prompt: next.prompt, version: next.version },
    labelled: next.labelled,
    outputs: next.outputs,
    rubrics: next.rubrics,
    output: i && {
      version: next.version,
      item: { position: i.position, repetition: i.repetition },
      input: i.input,
      expected: i.expected,
      text: i.output,
      target: { runItemId: i.id },
    },
  };
}
