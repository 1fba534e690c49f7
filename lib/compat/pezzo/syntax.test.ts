import { describe, expect, it } from "vitest";
import { AppError, errorBodyFor } from "../../errors";
import { pezzoEnvironment } from "./caller";
import { pezzoVersionSha, versionOfSha } from "./version-sha";
import { pezzoSettings } from "./settings";
import { interpolatePezzo, pezzoTextAsFString } from "./syntax";

describe("Pezzo's variable syntax", () => {
  it.each([
    ["Hi {name}!", { name: "Ana" }, "Hi Ana!"],
    ["Hi { name }!", { name: "Ana" }, "Hi Ana!"],
    ["{{name}}", { name: "Ana" }, "{Ana}"],
    ["{name} {missing}", { name: 1 }, "1 {missing}"],
    ["{a b} {a.b} {}", { a: "x", b: "y" }, "{a b} {a.b} {}"],
    ["{flag}", { flag: false }, "false"],
    ["{x}", { x: "{y}", y: "no second pass" }, "{y}"],
    ["{toString}", {}, "{toString}"],
  ])("fills %j with %j as Pezzo's client does", (text, values, expected) => {
    expect(interpolatePezzo(text, values)).toBe(expected);
  });

  it.each([
    ["Hi {name}, bye", "Hi {name}, bye"],
    ["Hi { name }", "Hi {name}"],
    ["{{name}}", "{{{name}}}"],
    ['JSON: {"a": 1} and {a b}', 'JSON: {{"a": 1}} and {{a b}}'],
    ["}{", "}}{{"],
    ["{2fa_code}", "{2fa_code}"],
  ])("reads %j as the f-string %j", (text, fstring) => {
    expect(pezzoTextAsFString(text)).toBe(fstring);
  });
});

describe("Pezzo's version sha", () => {
  it("names a version of one prompt and no other", () => {
    const sha = pezzoVersionSha("5b0c2a4e-0000-4000-8000-000000000001", 12);
    expect(sha).toMatch(/^v12\.[0-9a-f]{32}$/);
    expect(versionOfSha("5b0c2a4e-0000-4000-8000-000000000001", sha)).toBe(12);
    expect(versionOfSha("5b0c2a4e-0000-4000-8000-000000000002", sha)).toBeUndefined();
    expect(versionOfSha("5b0c2a4e-0000-4000-8000-000000000001", sha.replace("v12", "v13"))).toBeUndefined();
    expect(versionOfSha("x", "deadbeef")).toBeUndefined();
  });
});

describe("Pezzo's environments", () => {
  it("are Lectern's, read in lowercase", () => {
    expect(pezzoEnvironment("Production")).toBe("production");
    expect(pezzoEnvironment("qa_1")).toBe("qa_1");
  });

  it.each([undefined, "", "undefined", "QA Env", "x".repeat(40)])("refuses %j, naming the field", (name) => {
    expect(() => pezzoEnvironment(name)).toThrow(/environmentName/);
  });
});

describe("Pezzo's settings", () => {
  it("are OpenAI's parameters under OpenAI's names", () => {
    expect(
      pezzoSettings({
        provider: "openai",
        model: "gpt-4o",
        temperature: 0.2,
        maxTokens: 100,
        topP: 0.9,
        stop: [],
        seed: 7,
        frequency_penalty: 0.5,
        tools: [{ name: "lookup", parameters: { type: "object", properties: {} } }],
        responseFormat: { type: "json_object" },
      }),
    ).toEqual({
      model: "gpt-4o",
      temperature: 0.2,
      max_tokens: 100,
      top_p: 0.9,
      seed: 7,
      frequency_penalty: 0.5,
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }],
      response_format: { type: "json_object" },
    });
  });

  it("never carry messages, which would replace the prompt's", () => {
    expect(pezzoSettings({ model: "m", messages: [{ role: "user", content: "x" }] } as never)).toEqual({ model: "m" });
  });
});

describe("Pezzo's error body", () => {
  it("is NestJS's on /api/compat/pezzo, with Lectern's code beside it", () => {
    const err = new AppError("not_found", "No prompt named x in this project.", { prompt: "x" });
    expect(errorBodyFor("/api/compat/pezzo/api/prompts/v2/deployment", err)).toEqual({
      statusCode: 404,
      message: "No prompt named x in this project.",
      error: "Not Found",
      code: "not_found",
      details: { prompt: "x" },
    });
    expect(errorBodyFor("/api/v1/prompts", err)).toHaveProperty("error.code", "not_found");
  });
});
