import { describe, it, expect } from "vitest";
import { deepEqual, formatValue, isJsonValue, isPlainObject, plainValue } from "./json";

describe("isJsonValue", () => {
  it.each([
    [null, true],
    ["s", true],
    [0, true],
    [false, true],
    [[1, "a", null, { b: [true] }], true],
    [{ a: { b: 1 } }, true],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    [undefined, false],
    [() => 1, false],
    [BigInt(1), false],
    [new Date(0), false],
    [{ a: undefined }, false],
    [[1, undefined], false],
  ])("%o → %s", (value, expected) => {
    expect(isJsonValue(value)).toBe(expected);
  });

  it("rejects cycles but accepts shared references", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(isJsonValue(cyclic)).toBe(false);
    const shared = { x: 1 };
    expect(isJsonValue({ a: shared, b: shared })).toBe(true);
  });
});

describe("deepEqual", () => {
  it.each([
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [[1, 2], [2, 1], false],
    [{ a: { b: 1 } }, { a: { b: 2 } }, false],
    [{ a: 1 }, [1], false],
    [null, undefined, false],
    [0.1, 0.1, true],
    ["1", 1, false],
  ])("%o vs %o → %s", (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });
});

describe("isPlainObject / formatValue", () => {
  it("tells plain objects from arrays and instances", () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(new Map())).toBe(false);
  });

  it("formats short and truncates long values", () => {
    expect(formatValue(0.7)).toBe("0.7");
    expect(formatValue("x")).toBe('"x"');
    expect(formatValue(undefined)).toBe("unset");
    expect(formatValue("a".repeat(100), 10)).toHaveLength(10);
  });
});

describe("plainValue", () => {
  it.each([
    ["gpt-4o-mini", "gpt-4o-mini"],
    ["", "(empty)"],
    [0.7, "0.7"],
    [true, "true"],
    [["a", "b"], '["a","b"]'],
    [{ type: "json_object" }, '{"type":"json_object"}'],
    [undefined, "unset"],
  ])("%j → %s", (v, expected) => expect(plainValue(v)).toBe(expected));

  it("cuts long values", () => expect(plainValue("a".repeat(100), 10)).toBe(`${"a".repeat(9)}…`));
});
