import { describe, expect, it } from "vitest";
import { redactAudit } from "./redact";

describe("redactAudit", () => {
  it.each([
    [{ password: "hunter2" }, { password: "[redacted]" }],
    [
      { apiKey: "sk-123", api_key: "sk-456" },
      { apiKey: "[redacted]", api_key: "[redacted]" },
    ],
    [
      { signingSecret: "whsec_x", accessToken: "t" },
      { signingSecret: "[redacted]", accessToken: "[redacted]" },
    ],
    [
      { key: "…abcd", apiKey: "…abcd" },
      { key: "…abcd", apiKey: "…abcd" },
    ],
    [{ usage: { inputTokens: 1000, outputTokens: 500 } }, { usage: { inputTokens: 1000, outputTokens: 500 } }],
    [
      { maxTokens: 300, tokens: 12 },
      { maxTokens: 300, tokens: 12 },
    ],
    [{ url: "https://user:pw@hooks.example.com/T0/B1?token=x" }, { url: "https://hooks.example.com/…" }],
  ])("%j → %j", (input, expected) => {
    expect(redactAudit(input)).toEqual(expected);
  });
});
