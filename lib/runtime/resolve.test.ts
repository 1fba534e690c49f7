import { describe, expect, it } from "vitest";
import { resolvedDto, resolvedJson } from "./resolve";
import { resolvedPrompt } from "../../test/resolved-prompt";

const r = resolvedPrompt({ template: 'Say "hi" to {{name}}\n' });

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
