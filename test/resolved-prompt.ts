// Prompts as the runtime resolves them (lib/runtime/load.ts), for unit tests of what reads, renders or answers
// one; `over` changes any field.
import type { ResolvedPrompt } from "../lib/runtime/load";

/** Version 3 of `a/b` live in production, with one partial (the runtime's answer and resolve tests). */
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

/** A text version 3 of support/reply live in production with no partials (the compatibility reads' tests). */
export const resolvedReply = (over: Partial<ResolvedPrompt> = {}): ResolvedPrompt => ({
  promptId: "5b0c2a4e-0000-4000-8000-000000000001",
  name: "support/reply",
  version: 3,
  environment: "production",
  type: "text",
  template: "",
  variables: [],
  config: { model: "gpt-4o-mini" },
  partials: {},
  missingPartials: [],
  liveSince: null,
  pinned: false,
  etag: '"x"',
  ...over,
});
