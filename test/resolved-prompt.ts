// A prompt as the runtime resolves it (lib/runtime/load.ts), for unit tests of what reads or renders one: a text
// version 3 of support/reply live in production with no partials; `over` changes any field.
import type { ResolvedPrompt } from "../lib/runtime/load";

export const resolvedPrompt = (over: Partial<ResolvedPrompt> = {}): ResolvedPrompt => ({
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
