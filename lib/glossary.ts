// The statistical words of the experiment and evaluation pages, in plain words: `label` is what a
// page shows (the term with a hint of its meaning), `explain` what hovering or focusing it says.
// One place, so a term reads the same wherever it appears.
export type GlossaryEntry = { term: string; label: string; explain: string };

export const glossary = {
  lift: {
    term: "Lift",
    label: "Lift (change vs control)",
    explain:
      "How much the variant changes the metric compared with the control, in percent of the control's value: +10% means 10% higher than the control.",
  },
  confidenceInterval: {
    term: "Confidence interval",
    label: "confidence interval (likely range)",
    explain:
      "The range the true lift most likely lies in. When the whole range is above (or below) 0, the difference is called significant.",
  },
  alwaysValidInterval: {
    term: "Always-valid interval",
    label: "always-valid interval (likely range)",
    explain:
      "A likely range for the true lift that stays correct however often you look, so you may stop as soon as it no longer includes 0.",
  },
  pValue: {
    term: "p-value",
    label: "p-value (how surprising, if there were no difference)",
    explain:
      "How likely a difference at least this big would be if the variants were really the same. Below the significance level α (often 0.05), the difference is called significant.",
  },
  alwaysValidP: {
    term: "Always-valid p",
    label: "Always-valid p (how surprising, if there were no difference)",
    explain:
      "A p-value that stays correct however often you look at the results (sequential testing). Below the significance level α, the difference is significant.",
  },
  holm: {
    term: "Holm-adjusted",
    label: "Holm-adjusted (corrected for several checks)",
    explain:
      "Checking several guardrails at once makes a false alarm more likely; the Holm method raises each p-value so the whole set keeps the chosen false-alarm rate.",
  },
  srm: {
    term: "Sample ratio mismatch (SRM)",
    label: "Traffic split mismatch (SRM)",
    explain:
      "The variants received a different share of subjects than their weights say. It usually means assignment or exposure logging is broken, so the results cannot be trusted.",
  },
  sequential: {
    term: "Sequential",
    label: "Sequential (look any time)",
    explain:
      "Look whenever you like: the intervals stay valid at every look, so checking daily does not cause false alarms.",
  },
  fixed: {
    term: "Fixed horizon",
    label: "Fixed horizon (one look at the end)",
    explain: "One look at the end: no result is called before every variant reaches the planned sample.",
  },
  bandit: {
    term: "Bandit",
    label: "Bandit (moves traffic to the best)",
    explain: "Shifts traffic towards the variant that is doing best, keeping a minimum share for each.",
  },
  significance: {
    term: "Significance (α)",
    label: "Significance (α, false-alarm rate)",
    explain:
      "The chance you accept of calling a difference that is not real. α = 0.05 means 1 false alarm in 20 experiments where nothing changed.",
  },
  power: {
    term: "Power",
    label: "power (chance to catch a real lift)",
    explain:
      "The chance the experiment calls a real lift of at least the smallest size worth detecting. 80% power misses such a lift 1 time in 5.",
  },
  chanceOfBest: {
    term: "Chance of being best",
    label: "Chance of being best",
    explain:
      "A bandit's own estimate, from its model of each variant's rate, of how likely each variant is to be the best one. It is what moves the traffic; fixed and sequential experiments decide by their interval instead and show no such number.",
  },
  significant: {
    term: "Significant",
    label: "significant",
    explain:
      "The interval no longer includes 0 (the p-value is below α): data this far from “no difference” would be rare if there were none. It says there is a difference, not that it is large.",
  },
} as const satisfies Record<string, GlossaryEntry>;

export type GlossaryKey = keyof typeof glossary;
