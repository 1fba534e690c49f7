import { describe, expect, it } from "vitest";
import { resolvedDto, resolvedJson } from "./resolve";
import type { ResolvedPrompt } from "./load";

const r: ResolvedPrompt = {
  promptId: "p",
  name: "a/b",
  version: 3,
  environment: "production",
  type: "text",
  template: 'Say "hi" to {{name}}\n',
  variables: [{ name: "name", type: "string", required: true }],
  config: { temperature: 0.2 },
  partials: { tone: { version: 1, text: "Be kind.", variables: [] } },
  missingPartials: [],
  liveSince: "2026-01-01T00:00:00.000Z",
  pinned: false,
  etag: '"x"',
};

describe("resolvedJson", () => {
  it.each([[undefined], ["user-1"], ['we"ird\\subject']])(
    "equals JSON.stringify(resolvedDto) for subject %j, twice (cached)",
    (subject) => {
      const at = new Date("2026-11-21T10:00:00.000Z");
      for (let i = 0; i < 2; i++)
        expect(JSON.parse(resolvedJson(r, subject, at.toISOString()))).toEqual(
          JSON.parse(JSON.stringify(resolvedDto(r, subject, at))),
        );
    },
  );
});
