// The scorer lists a form offers to start from, chosen from what is known about the dataset. Comparing
// with expected answers is only offered when every item has one (exact_match scores an item without one
// as an error, so the run would fail everywhere); a gate's own scorers come first, since only runs made
// with exactly them count for the gate.
import { sameScorers } from "./gate";
import { parseScorerSpecs, type ScorerSpecInput } from "./spec";

export interface ScorerPreset {
  id: string;
  label: string;
  /** One plain sentence: what the list checks. */
  description: string;
  scorers: ScorerSpecInput[];
}

export interface ScorerPresetOffer {
  presets: ScorerPreset[];
  /** The id of the preset a new form starts with. */
  defaultId: string;
  /** Why a preset is missing or chosen, for the person filling the form; null when nothing needs saying. */
  note: string | null;
}

export interface DatasetFacts {
  /** Items in the dataset's current version, and how many of them have an expected answer. */
  items: number;
  withExpected: number;
  /** Environments whose evaluation gate uses this dataset, with the gate's scorers. */
  gates: ReadonlyArray<{ environment: string; scorers: unknown }>;
  /** Scorers the dataset was made for (the demo dataset's own), or null. */
  suggested?: { label: string; scorers: readonly unknown[] } | null;
  /** The model a new LLM judge uses (the default connection's), else a common one. */
  judgeModel?: string | null;
}

export const fallbackJudgeModel = "gpt-4o-mini";

/** Non-empty and safe: checks on the answer itself, for datasets (and traffic) without expected answers. */
export const answerChecks: ScorerSpecInput[] = [
  { type: "length", min: 1, name: "non_empty" },
  { type: "safety", name: "safe" },
];

// The same spec the run form offered before presets depended on the dataset; gates set up with it keep
// counting runs started from this preset.
const exactMatch: ScorerSpecInput[] = [
  { type: "exact_match", weight: 1, threshold: 1, ignoreCase: true, collapseWhitespace: true },
];

const judge = (model: string): ScorerSpecInput[] => [
  {
    type: "llm_judge",
    name: "quality",
    model,
    rubric: "Does the answer address the request correctly, completely and politely?",
  },
];

const checksPreset: ScorerPreset = {
  id: "checks",
  label: "Not empty and safe",
  description: "Every answer must have text, with no refusal and no blocked word. Needs no expected answers.",
  scorers: answerChecks,
};

const judgePreset = (model: string): ScorerPreset => ({
  id: "judge",
  label: "Judged by a model",
  description: `${model} grades each answer against a rubric you can edit.`,
  scorers: judge(model),
});

const jsonPreset: ScorerPreset = {
  id: "json",
  label: "Valid JSON with an answer field",
  description: "For prompts that must answer in JSON: the output parses and has an “answer” field.",
  scorers: [{ type: "json_valid" }, { type: "required_fields", fields: ["answer"] }],
};

/** Whether two scorer lists score the same once names and default options are filled in. */
function equivalent(a: unknown, b: unknown): boolean {
  try {
    return sameScorers(parseScorerSpecs(a), parseScorerSpecs(b));
  } catch {
    return false;
  }
}

const and = (names: string[]) =>
  names.length < 2 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

/** The presets to offer for a run on a dataset, the default, and a note on what was left out and why. */
export function presetsForDataset(facts: DatasetFacts): ScorerPresetOffer {
  const presets: ScorerPreset[] = [];
  // Environments gated with the same scorers share one preset.
  const gates: Array<{ environments: string[]; scorers: unknown }> = [];
  for (const g of facts.gates) {
    const same = gates.find((x) => equivalent(x.scorers, g.scorers));
    if (same) same.environments.push(g.environment);
    else gates.push({ environments: [g.environment], scorers: g.scorers });
  }
  for (const g of gates) {
    const whose = and(g.environments.map((e) => `${e}'s`));
    presets.push({
      id: `gate:${g.environments[0]}`,
      label: `The gate's scorers (runs with these count for ${whose} gate${g.environments.length > 1 ? "s" : ""})`,
      description: `Exactly the scorers of ${whose} evaluation gate; a run with any other list does not count for it.`,
      scorers: (Array.isArray(g.scorers) ? g.scorers : []) as ScorerSpecInput[],
    });
  }
  const s = facts.suggested;
  if (s && !gates.some((g) => equivalent(g.scorers, s.scorers)))
    presets.push({
      id: "suggested",
      label: s.label,
      description: "The scorers this dataset was made for.",
      scorers: [...s.scorers] as ScorerSpecInput[],
    });
  const allExpected = facts.items > 0 && facts.withExpected === facts.items;
  if (allExpected)
    presets.push(
      {
        id: "exact",
        label: "Same as the expected answer",
        description: "Passes when the answer equals the item's expected answer, ignoring case and extra spaces.",
        scorers: exactMatch,
      },
      {
        id: "similar",
        label: "Close to the expected answer",
        description: "Scores how close the answer's text is to the expected answer, letter by letter.",
        scorers: [{ type: "levenshtein" }],
      },
    );
  presets.push(checksPreset, judgePreset(facts.judgeModel || fallbackJudgeModel), jsonPreset);

  // The first preset: a gate's, else the dataset's own, else exact match when it can work, else the checks.
  const defaultId = presets[0]!.id;
  let note: string | null = null;
  if (gates.length)
    note = `Runs count for ${and(gates.flatMap((g) => g.environments))}'s evaluation gate only with the gate's scorers, unchanged.`;
  else if (facts.items === 0) note = "The dataset has no items yet: add some before starting a run.";
  else if (facts.withExpected === 0)
    note =
      "The items have no expected answers, so comparing with an expected answer is not offered: the checks look at the answer itself.";
  else if (!allExpected)
    note = `${facts.items - facts.withExpected} of ${facts.items} items have no expected answer, so comparing with an expected answer is not offered (those items would fail).`;
  return { presets, defaultId, note };
}

/** The presets for online evaluation: production traffic has no expected answers. */
export function presetsForOnline(judgeModel?: string | null): ScorerPresetOffer {
  return {
    presets: [checksPreset, judgePreset(judgeModel || fallbackJudgeModel), jsonPreset],
    defaultId: checksPreset.id,
    note: "Production answers have no expected answer: use checks on the answer itself, or a model as judge.",
  };
}
