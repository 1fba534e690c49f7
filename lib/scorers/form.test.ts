import { describe, expect, it } from "vitest";
import { scorerIssues } from "./check";
import {
  arrangeIssues,
  changeType,
  defaultPassMarks,
  move,
  parseScorersJson,
  scorersToJson,
  scorerTypeList,
  setOption,
  starterSpec,
  typeInfo,
  type UncheckedSpec,
} from "./form";
import { defaultThresholds, scorerTypes } from "./spec";

const list: UncheckedSpec[] = [
  { type: "length", name: "concise", unit: "words", max: 120 },
  { type: "llm_judge", name: "quality", model: "m", rubric: "Is it polite?\nAnd correct?", weight: 2 },
  { type: "contains", value: ["next step", "I will"], mode: "any", ignoreCase: true },
];

describe("the JSON view", () => {
  it("round-trips a list through its text unchanged", () => {
    expect(parseScorersJson(scorersToJson(list))).toEqual({ ok: true, list });
  });

  it("reads empty text as an empty list", () => {
    expect(parseScorersJson("  \n")).toEqual({ ok: true, list: [] });
  });

  it("says on which line and column invalid JSON goes wrong", () => {
    const text = '[\n  {"type": "safety"},\n  {"type": "length" "min": 1}\n]';
    const r = parseScorersJson(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^Line 3, column 21: /);
    expect(!r.ok && r.message).not.toContain("position");
  });

  it.each([
    ['{"type": "safety"}', "The JSON must be a list of scorers"],
    ["[1]", 'Scorer 1 must be an object with a "type".'],
    ['[{"type": "safety"}, {"name": "x"}]', 'Scorer 2 must be an object with a "type".'],
  ])("refuses %s: %s", (text, message) => {
    const r = parseScorersJson(text);
    expect(!r.ok && r.message).toContain(message);
  });
});

describe("editing rows", () => {
  it("describes every scorer type of the spec, each option once", () => {
    expect([...scorerTypeList].sort()).toEqual([...scorerTypes].sort());
    for (const t of scorerTypeList) {
      const keys = typeInfo[t].options.map((o) => o.key);
      expect(new Set(keys).size, t).toBe(keys.length);
    }
  });

  it("shows the spec's default pass marks", () => {
    expect(defaultPassMarks).toEqual(defaultThresholds);
  });

  it("names only options the spec accepts", () => {
    for (const t of scorerTypeList)
      for (const o of typeInfo[t].options) {
        const issues = scorerIssues([{ ...starterSpec(t, "m"), [o.key]: null }]);
        expect(issues.map((i) => i.message).join("; "), `${t}.${o.key}`).not.toContain("not an option");
      }
  });

  it("starts each type from a spec the server accepts once its empty text is filled in", () => {
    for (const t of scorerTypeList) {
      const spec = starterSpec(t, "judge-model");
      const filled = { ...spec, ...(t === "regex" && { pattern: "ok" }), ...(t === "llm_judge" && { rubric: "ok" }) };
      const complete = t === "required_fields" ? { ...filled, fields: ["answer"] } : filled;
      expect(scorerIssues([complete]), t).toEqual([]);
    }
  });

  it("changes a row's type keeping its weight, dropping the old options, name and pass mark", () => {
    expect(changeType(list[1]!, "safety", "m")).toEqual({ type: "safety", weight: 2 });
    expect(changeType({ type: "safety", name: "safe", threshold: 1 }, "llm_judge", "gpt")).toEqual({
      type: "llm_judge",
      rubric: "",
      model: "gpt",
    });
  });

  it("sets and removes options", () => {
    expect(setOption(list[0]!, "max", 80)).toMatchObject({ max: 80 });
    expect(setOption(list[0]!, "max", undefined)).toEqual({ type: "length", name: "concise", unit: "words" });
  });

  it.each([
    [0, 1, ["quality", "concise", undefined]],
    [2, -1, ["concise", undefined, "quality"]],
    [0, -1, ["concise", "quality", undefined]],
    [2, 1, ["concise", "quality", undefined]],
  ])("moves row %i by %i", (i, delta, names) => {
    expect(move(list, i, delta).map((s) => s.name)).toEqual(names);
  });
});

describe("issues from the server's check", () => {
  it("name the row and the option, with every problem at once", () => {
    const issues = scorerIssues([
      { type: "length", max: 10 },
      { type: "llm_judge", model: "m", rubric: "" },
      { type: "contains", value: "x", treshold: 1 },
      { type: "regex", pattern: "(?<=a)b" },
    ]);
    expect(issues).toEqual([
      { row: 1, field: "rubric", message: "rubric must not be empty" },
      { row: 2, field: null, message: "treshold is not an option of contains" },
      { row: 3, field: "pattern", message: expect.stringContaining("pattern") },
    ]);
  });

  it("finds repeated names", () => {
    expect(
      scorerIssues([
        { type: "safety", name: "a" },
        { type: "json_valid", name: "a" },
      ]),
    ).toEqual([{ row: 1, field: "name", message: 'name repeats "a"; scorer names must be unique' }]);
  });

  it("are placed at the option the row shows, else at the row, else on the list", () => {
    const drafts: UncheckedSpec[] = [{ type: "llm_judge" }, { type: "safety" }];
    const a = arrangeIssues(
      [
        { row: 0, field: "rubric", message: "rubric must be a string" },
        { row: 0, field: "rubric", message: "second about rubric" },
        { row: 1, field: "pattern", message: "pattern is not shown for safety" },
        { row: 1, field: null, message: "x is not an option of safety" },
        { row: null, field: null, message: "scorers must have at most 50 entries" },
      ],
      drafts,
    );
    expect(a.field(0, "rubric")).toBe("rubric must be a string");
    expect(a.row(0)).toEqual([]);
    expect(a.row(1)).toEqual(["pattern is not shown for safety", "x is not an option of safety"]);
    expect(a.general).toEqual(["scorers must have at most 50 entries"]);
  });
});
