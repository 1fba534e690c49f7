// The body of POST /api/v1/experiments most API tests send: a sequential test in production of version 1
// (the control) against version 2 (`arm`), half the subjects each, on the binary metric "thumbs"; `extra`
// adds or replaces fields.
export const experimentBody = (prompt: string, name: string, arm: string, extra: Record<string, unknown> = {}) => ({
  prompt,
  environment: "production",
  name,
  variants: [
    { key: "control", version: 1, weight: 0.5 },
    { key: arm, version: 2, weight: 0.5 },
  ],
  mode: "sequential",
  primaryMetric: { name: "thumbs", kind: "binary" },
  ...extra,
});
