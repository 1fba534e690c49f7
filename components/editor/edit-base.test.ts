import { describe, expect, it } from "vitest";
import { baseLabel, olderBaseNotice, startChoices, startSentence } from "./edit-base";

describe("the edit page's starting points", () => {
  it("says where the edit starts", () => {
    expect(startSentence(3, { kind: "newest", environment: null }, 3)).toBe("Starting from version 3, the newest.");
    expect(startSentence(2, { kind: "served", environment: "staging" }, 3)).toBe(
      "Starting from version 2, what staging serves (the newest is version 3).",
    );
    expect(startSentence(1, { kind: "asked" }, 3)).toBe("Starting from version 1 (the newest is version 3).");
    expect(startSentence(3, { kind: "asked" }, 3)).toBe("Starting from version 3, the newest.");
    expect(startSentence(3, { kind: "newest", environment: "development" }, 3)).toBe(
      "Starting from version 3, the newest: development serves none yet.",
    );
  });

  it("offers what each environment serves and the newest, never the version the form holds", () => {
    const envs = [
      { name: "development", serves: null },
      { name: "staging", serves: 2 },
      { name: "production", serves: 1 },
    ];
    expect(startChoices(envs, 3, 3).map((c) => [c.label, c.query])).toEqual([
      ["what staging serves (v2)", "env=staging"],
      ["what production serves (v1)", "env=production"],
    ]);
    expect(startChoices(envs, 3, 1).map((c) => [c.label, c.query])).toEqual([
      ["what staging serves (v2)", "env=staging"],
      ["the newest (v3)", "version=3"],
    ]);
  });

  it("labels each version with what serves it", () => {
    expect(baseLabel({ version: 3, servedIn: [] }, 3)).toBe("v3 · the newest");
    expect(baseLabel({ version: 1, servedIn: ["production"] }, 3)).toBe("v1 · production serves it");
    expect(baseLabel({ version: 3, servedIn: ["staging", "production"] }, 3)).toBe(
      "v3 · the newest · staging, production serve it",
    );
    expect(baseLabel({ version: 2, servedIn: [] }, 3)).toBe("v2");
  });

  it("says what saving an older version makes, in the right number", () => {
    expect(olderBaseNotice(3, 3)).toBeNull();
    expect(olderBaseNotice(2, 3)).toBe(
      "You are editing a copy of version 2. Saving creates version 4 from it, with its changes shown against version 2; version 3 stays in the history.",
    );
    expect(olderBaseNotice(1, 3)).toContain("versions 2–3 stay in the history");
  });
});
