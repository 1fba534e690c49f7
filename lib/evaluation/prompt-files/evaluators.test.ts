// A .prompt.yml's evaluators as scorers and back: each of gh-models' string checks scores as gh-models scores it
// (equals exactly; contains, startsWith, endsWith ignoring case), and the scorers write back the same evaluators.
import { describe, expect, it } from "vitest";
import { parseScorerSpecs, runScorerSync } from "../../scorers";
import { evaluatorsToScorers, scorersToEvaluators, scorerToEvaluator } from "./evaluators";

/** gh-models' runStringEvaluator, for a fixed text. */
function github(check: Record<string, string>, response: string): number {
  const [kind, text] = Object.entries(check)[0]!;
  const r = response.toLowerCase();
  const t = text!.toLowerCase();
  const passed =
    kind === "equals"
      ? response === text
      : kind === "contains"
        ? r.includes(t)
        : kind === "startsWith"
          ? r.startsWith(t)
          : r.endsWith(t);
  return passed ? 1 : 0;
}

const checks: Record<string, string>[] = [
  { equals: "Yes." },
  { contains: "Title" },
  { startsWith: "Summary (v1.2) -" },
  { endsWith: "[done]$" },
];
const responses = [
  "Yes.",
  "yes.",
  " Yes.",
  "A title here",
  "summary (v1.2) - short",
  "Summary (v1.2)- no",
  "ok [DONE]$",
  "[done]$ ok",
];

describe("string evaluators", () => {
  it.each(checks)("%o scores as gh-models scores it, and writes back the same", (check) => {
    const { scorers, warnings } = evaluatorsToScorers([{ name: "c", string: check }]);
    expect(warnings).toEqual([]);
    const [spec] = parseScorerSpecs(scorers);
    for (const output of responses)
      expect([output, runScorerSync(spec!, { output }).score]).toEqual([output, github(check, output)]);
    expect(scorerToEvaluator(spec!)).toEqual({ string: check });
  });

  it("reads {{expected}} as the item's expected answer", () => {
    const [eq, has] = parseScorerSpecs(
      evaluatorsToScorers([
        { name: "e", string: { equals: "{{expected}}" } },
        { name: "c", string: { contains: "{{expected}}" } },
      ]).scorers,
    );
    expect(runScorerSync(eq!, { output: "Rome", expected: "Rome" }).score).toBe(1);
    expect(runScorerSync(eq!, { output: "rome", expected: "Rome" }).score).toBe(0);
    expect(runScorerSync(has!, { output: "It is ROME.", expected: "Rome" }).score).toBe(1);
  });
});

describe("names, the LLM evaluator and built-ins", () => {
  it("makes names scorers accept, unique, and writes the file's names back", () => {
    const list = [
      { name: "Output should start with 'Summary -'", string: { startsWith: "Summary -" } },
      { name: "Output should start with 'Summary -'!", string: { contains: "x" } },
    ];
    const { scorers, kept } = evaluatorsToScorers(list);
    expect(scorers.map((s) => s.name)).toEqual([
      "Output should start with Summary -",
      "Output should start with Summary -_2",
    ]);
    expect(scorersToEvaluators(parseScorerSpecs(scorers), kept)).toEqual({ evaluators: list, warnings: [] });
  });

  it("makes an LLM evaluator a judge with choices, passing above 0 as gh-models does", () => {
    const llm = {
      modelId: "openai/gpt-4o-mini",
      prompt: "Is {{completion}} polite? Answer yes, partly or no.",
      choices: [
        { choice: "yes", score: 1 },
        { choice: "partly", score: 0.5 },
        { choice: "no", score: 0 },
      ],
    };
    const [spec] = parseScorerSpecs(evaluatorsToScorers([{ name: "polite", llm }]).scorers);
    expect(spec).toMatchObject({ type: "llm_judge", rubric: llm.prompt, choices: llm.choices, threshold: 0.5 });
    expect(scorerToEvaluator(spec!)).toEqual({ llm });
  });

  it("makes github/<built-in> a judge and writes `uses` back; an unknown one is kept with a warning", () => {
    const list = [
      { name: "sim", uses: "github/similarity" },
      { name: "mine", uses: "acme/tone" },
    ];
    const r = evaluatorsToScorers(list);
    expect(r.scorers).toMatchObject([{ type: "llm_judge", name: "sim", scale: "1-5" }]);
    expect(r.warnings).toEqual([
      'evaluator "mine" is kept for the export but not scored: uses "acme/tone" is not one of GitHub\'s built-in evaluators (github/similarity, github/coherence, github/fluency, github/relevance, github/groundedness), and no Lectern scorer reads it the same way',
    ]);
    expect(scorersToEvaluators(parseScorerSpecs(r.scorers), r.kept).evaluators).toEqual(list);
  });

  it("writes scorers added since, and names those .prompt.yml cannot express", () => {
    const specs = parseScorerSpecs([
      { type: "contains", value: "hi", ignoreCase: true, name: "greets" },
      { type: "length", min: 1, name: "non_empty" },
      { type: "regex", pattern: "a+b", name: "pattern" },
    ]);
    expect(scorersToEvaluators(specs, [])).toEqual({
      evaluators: [{ name: "greets", string: { contains: "hi" } }],
      warnings: [
        "scorer non_empty is not written as an evaluator: .prompt.yml has no length evaluator",
        "scorer pattern is not written as an evaluator: its pattern is not a fixed beginning or end",
      ],
    });
  });
});
