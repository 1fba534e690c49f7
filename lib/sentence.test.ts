import { describe, expect, it } from "vitest";
import { sentence } from "./sentence";

describe("sentence", () => {
  it.each([
    ["slug login is reserved; choose another", "Slug login is reserved; choose another."],
    ["Already a sentence.", "Already a sentence."],
    ["  variable name must be a string  ", "Variable name must be a string."],
    ["Is it?", "Is it?"],
    ["", ""],
    ["config.temperature must be between 0 and 2", "Config.temperature must be between 0 and 2."],
    ["name must use '_' (at most 64 characters)", "Name must use '_' (at most 64 characters)."],
    ['type must be "text" or "chat"', 'Type must be "text" or "chat".'],
  ])("%j → %j", (input, expected) => expect(sentence(input)).toBe(expected));
});
