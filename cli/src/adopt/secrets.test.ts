// What adopt takes for a secret: issuers' key shapes, and random-looking tokens; prose, paths, identifiers,
// URLs and dates are not. The shapes are built here from pieces so no key-like literal sits in the repository.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findSecrets, secretReason } from "./secrets";

const kinds = (text: string) => findSecrets(text).map((h) => h.kind);

describe("findSecrets", () => {
  it.each([
    ["sk-" + "proj-" + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7", "an OpenAI API key"],
    ["sk-" + "ant-api03-" + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1", "an Anthropic API key"],
    ["AKIA" + "IOSFODNN7EXAMPLE", "an AWS access key id"],
    ["ghp_" + "a1B2".repeat(9), "a GitHub token"],
    ["github_pat_" + "11ABCDEFG0123456789_abcdefghij", "a GitHub token"],
    ["xoxb-" + "1234567890-abcdefghij", "a Slack token"],
    ["-----BEGIN " + "OPENSSH PRIVATE KEY-----", "a private key"],
    [
      "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "a JSON Web Token",
    ],
    ["lk_rt_" + "wZoQBSqwKT4_AEaoR-PJzT140rpZoPw8", "a Lectern API key"],
    ["token " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a long random-looking token"],
    ["hex 3f786850e387550fdab836ed7e6dc881de23001b", "a long random-looking token"],
  ])("finds %s", (text, kind) => {
    expect(kinds(text)).toEqual([kind]);
  });

  it.each([
    "You are a helpful assistant. Summarize the following document carefully and thoroughly.",
    "See https://docs.example.com/guides/Getting-Started/installation-v2 for details.",
    "Files live in src/components/ChatPanel/index and app/api/docs-chat/route.",
    "Use getServerSideProps2, MyComponent_renderHeader_v2 and CamelCaseIdentifierWithNumbers123AndMore.",
    "Released 2024-06-01T12:00:00Z, build 20240601120000, id 123e4567-e89b-12d3-a456-426614174000.",
    "Answer in the task-1234 format; mention sk-learn and scikit-learn only by name.",
  ])("finds nothing in %s", (text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it("finds most random base64 tokens of 40 characters (hash-made, so the same every run)", () => {
    const token = (i: number) => createHash("sha256").update(`token ${i}`).digest().subarray(0, 30).toString("base64");
    let found = 0;
    for (let i = 0; i < 200; i++) if (findSecrets(`key ${token(i)}`).length) found++;
    expect(found).toBeGreaterThanOrEqual(190);
  });

  it("says what it found by its first four characters, never the whole secret", () => {
    const key = "AKIA" + "IOSFODNN7EXAMPLE";
    const reason = secretReason([`Use ${key}.`])!;
    expect(reason).toContain("an AWS access key id (AKIA…)");
    expect(reason).not.toContain(key);
    expect(secretReason(["Be brief."])).toBeUndefined();
  });
});
