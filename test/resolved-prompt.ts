// A resolved text prompt, as the runtime's load returns it, for unit tests of what the runtime answers.
import type { ResolvedPrompt } from "../lib/runtime/load";

/** Version 3 of `a/b` live in production, with one partial; `over` replaces any field. */
export const resolvedPrompt = (over: Partial<ResolvedPrompt> = {}): ResolvedPrompt => ({
  promptId: "p",
  name: "a/b",
  version: 3,
  environment: "production",
  type: "text",
  template: 'Say "hi" to {{name}}\n{{> tone}}',
  variables: [{ name: "name", type: "string", required: true }],
  config: { temperature: 0.2 },
  partials: { tone: { version: 1, text: "Be kind.", variables: [] } },
  missingPartials: [],
  liveSince: "2026-01-01T00:00:00.000Z",
  pinned: false,
  etag: '"x"',
  ...over,
});
