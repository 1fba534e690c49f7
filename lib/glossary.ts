// The statistical words of the experiment and evaluation pages, and the editor's words, in plain words: `label` is what a
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

/**
 * The editor's words: what a content editor meets in a prompt's form, each with one plain line.
 * `label` is what the form shows; `explain` is the line beside it.
 */
export const editorWords = {
  sharedSnippet: {
    term: "Shared snippet",
    label: "shared snippet",
    explain:
      "Text kept as its own prompt and included in others with {{> name}}: change it once and every prompt that includes it follows (engineers call it a partial).",
  },
  system: {
    term: "System",
    label: "system",
    explain: "Standing instructions the model follows for the whole conversation: who it is, what it may say, how.",
  },
  developer: {
    term: "Developer",
    label: "developer",
    explain: "Instructions from the application's builder; newer OpenAI models take these in place of system ones.",
  },
  user: {
    term: "User",
    label: "user",
    explain: "What the person using the application says or asks; usually where the variables go.",
  },
  assistant: {
    term: "Assistant",
    label: "assistant",
    explain: "An answer the model gave earlier, or an example answer that shows it the style you want.",
  },
  tool: {
    term: "Tool",
    label: "tool",
    explain: "The result of a tool the model called (a search, a lookup), handed back so it can use it.",
  },
  placeholder: {
    term: "Placeholder",
    label: "placeholder (messages given at run time)",
    explain:
      "Where the application inserts a list of messages when it runs the prompt, such as the conversation so far.",
  },
  temperature: {
    term: "Temperature",
    label: "Temperature",
    explain: "How much the wording varies between runs: 0 answers the same way each time, higher is more varied.",
  },
  maxTokens: {
    term: "Max tokens",
    label: "Max tokens",
    explain: "The longest answer the model may give, in tokens (a token is about three quarters of a word).",
  },
  topP: {
    term: "Top p",
    label: "Top p (word choice breadth)",
    explain:
      "Another way to limit variety: the model picks only among the likeliest next words that together make up this share (0 to 1). Usually left empty; change temperature instead.",
  },
  stop: {
    term: "Stop sequences",
    label: "Stop sequences",
    explain: "Text that ends the answer as soon as the model writes it, one per line.",
  },
  responseFormat: {
    term: "Response format",
    label: "Response format (JSON)",
    explain: "Makes the model answer as JSON, optionally matching a schema, so an application can read it.",
  },
  tools: {
    term: "Tools",
    label: "Tools (JSON list)",
    explain: "Functions the model may ask the application to run, each described by its name and parameters.",
  },
} as const satisfies Record<string, GlossaryEntry>;

const roleWords = ["system", "developer", "user", "assistant", "tool", "placeholder"] as const;

/** The plain line for a message role, or for a role from elsewhere kept as imported. */
export function roleExplanation(role: string): string {
  return (roleWords as readonly string[]).includes(role)
    ? editorWords[role as (typeof roleWords)[number]].explain
    : "A role from another system, kept as imported; models may not know it.";
}
