import { describe, expect, it } from "vitest";
import { editorWords, glossary, roleExplanation } from "./glossary";

describe("glossary", () => {
  it.each(Object.entries({ ...glossary, ...editorWords }))("%s has a term, plain words and an explanation", (_, g) => {
    expect(g.term.trim()).not.toBe("");
    // The label names the term (or its abbreviation) so people can look it up elsewhere.
    const abbreviation = /\(([A-Z]+)\)/.exec(g.term)?.[1];
    expect(g.label.toLowerCase()).toContain((abbreviation ?? g.term.split(" (")[0]!).toLowerCase());
    expect(g.explain.length).toBeGreaterThan(40);
    expect(g.explain).toMatch(/\.$/);
  });

  it("has no two entries with the same label", () => {
    const labels = Object.values(glossary).map((g) => g.label.toLowerCase());
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("explains each message role in one line, and a role kept from elsewhere as such", () => {
    for (const role of ["system", "developer", "user", "assistant", "tool", "placeholder"])
      expect(roleExplanation(role)).toBe(editorWords[role as keyof typeof editorWords].explain);
    expect(roleExplanation("function")).toMatch(/kept as imported/);
    expect(roleExplanation("topP")).toMatch(/kept as imported/);
  });
});
