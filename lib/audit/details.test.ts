import { describe, expect, it } from "vitest";
import { auditDetails, fieldLabel, text } from "./details";

describe("audit details in words", () => {
  it.each([
    ["commitMessage", "Commit message"],
    ["sessions_ended", "Sessions ended"],
    ["apiKey", "API key"],
    ["name", "Name"],
  ])("label of %s is %s", (key, label) => {
    expect(fieldLabel(key)).toBe(label);
  });

  it.each([
    ["gpt-4o-mini", "gpt-4o-mini"],
    [null, "none"],
    [[1, 2], "1, 2"],
    [{ input: 10, output: 3 }, "input 10, output 3"],
    [true, "true"],
  ])("value %j reads %s", (value, expected) => {
    expect(text(value)).toBe(expected);
  });

  it("gives a sentence for actions that have one", () => {
    expect(
      auditDetails("deployment.promote", { version: 1 }, { environment: "staging", version: 2, reason: "fix" }),
    ).toEqual({ summary: "staging: v1 → v2 (“fix”)", fields: [] });
    expect(auditDetails("member.join", null, { email: "a@b.c", role: "editor" }).summary).toBe("a@b.c as editor");
    const bundle = { bundle: "agent", environment: "production", versions: { a: 2, b: 1 }, reason: "ship" };
    expect(auditDetails("bundle.release", null, { ...bundle, changed: ["a"] }).summary).toBe(
      "agent in production: a v2 (“ship”)",
    );
    // Rows from before `changed` was recorded list every member's version.
    expect(auditDetails("bundle.rollback", null, { ...bundle, reason: "" }).summary).toBe(
      "agent in production: a v2, b v1",
    );
  });

  it("shows other actions' data as label/value lines, not JSON", () => {
    const d = auditDetails("playground.run", null, {
      version: 3,
      model: "gpt-4o-mini",
      usage: { inputTokens: 12, outputTokens: 4 },
      error: null,
    });
    expect(d.summary).toBe("");
    expect(d.fields).toEqual([
      { label: "Version", value: "3" },
      { label: "Model", value: "gpt-4o-mini" },
      { label: "Usage", value: "input tokens 12, output tokens 4" },
      { label: "Error", value: "none" },
    ]);
    expect(JSON.stringify(d.fields)).not.toContain('\\"');
  });

  it("shows a change as old → new and leaves unchanged fields out", () => {
    const d = auditDetails(
      "connection.update",
      { name: "Local", baseUrl: "http://a", apiKey: "…1234" },
      { name: "Local", baseUrl: "http://b", apiKey: "…1234" },
    );
    expect(d.fields).toEqual([{ label: "Base URL", value: "http://a → http://b" }]);
  });

  it("shows what was removed for deletions, and nothing for entries without data", () => {
    expect(auditDetails("connection.delete", { name: "Local", provider: "openai" }, null).fields).toEqual([
      { label: "Name", value: "Local" },
      { label: "Provider", value: "openai" },
    ]);
    expect(auditDetails("alert.acknowledge", null, null)).toEqual({ summary: "", fields: [] });
  });
});
