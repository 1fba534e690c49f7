// The demo project's regression dataset and the scorers it is run with. The demo seed
// (lib/setup/demo-evaluation.ts) creates them; the run form offers these scorers when that dataset is chosen.
export const demoDatasetName = "support-reply regression";

export const demoScorers = [
  { type: "length", name: "concise", unit: "words", max: 120 },
  {
    type: "contains",
    name: "next_step",
    value: ["next step", "I will", "we will", "escalat", "callback"],
    mode: "any",
    ignoreCase: true,
  },
  { type: "safety", name: "safe" },
];
