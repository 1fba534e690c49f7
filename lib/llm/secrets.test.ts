import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  generateEncryptionKey,
  maskSecret,
  parseEncryptionKey,
  SecretError,
} from "./secrets";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

// Flips one bit of one base64url segment, keeping it valid base64url.
function tamper(blob: string, segment: 1 | 2 | 3): string {
  const parts = blob.split(".");
  const bytes = Buffer.from(parts[segment]!, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  parts[segment] = bytes.toString("base64url");
  return parts.join(".");
}

describe("encryptSecret / decryptSecret", () => {
  it.each(["sk-test-123", "", "ünïcødé 🔑", "x".repeat(10_000)])("round-trips %j", (plaintext) => {
    const blob = encryptSecret(plaintext, key);
    expect(blob).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
    expect(decryptSecret(blob, key)).toBe(plaintext);
  });

  it("uses a fresh IV every time, so equal keys do not give equal blobs", () => {
    const a = encryptSecret("same", key);
    const b = encryptSecret("same", key);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("never contains the plaintext", () => {
    const blob = encryptSecret("sk-live-SECRETVALUE", key);
    expect(blob).not.toContain("SECRETVALUE");
    expect(Buffer.from(blob.split(".")[3]!, "base64url").toString("utf8")).not.toContain("SECRET");
  });

  it("refuses a wrong key", () => {
    const blob = encryptSecret("sk-test", key);
    expect(() => decryptSecret(blob, otherKey)).toThrow(
      new SecretError("encrypted secret could not be decrypted: wrong key, or the data was modified"),
    );
  });

  it.each([1, 2, 3] as const)("detects tampering with segment %i (iv, tag, ciphertext)", (segment) => {
    const blob = encryptSecret("sk-test-abcdef", key);
    expect(() => decryptSecret(tamper(blob, segment), key)).toThrow(/wrong key, or the data was modified/);
  });

  it("binds the context: a blob moved to another connection does not decrypt", () => {
    const blob = encryptSecret("sk-test", key, "conn_1");
    expect(decryptSecret(blob, key, "conn_1")).toBe("sk-test");
    expect(() => decryptSecret(blob, key, "conn_2")).toThrow(/wrong key, or the data was modified/);
  });

  it.each([
    ["not-a-blob", /malformed: expected v1\.<iv>\.<tag>\.<ciphertext>/],
    ["v1.a.b", /malformed: expected/],
    ["v1.a.b.c.d", /malformed: expected/],
    ["v1.!!.b.c", /malformed: expected/],
    ["v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA", /version "v2", this build reads only "v1"/],
    ["v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AA", /wrong IV or tag length/],
  ])("rejects %j", (blob, message) => {
    expect(() => decryptSecret(blob, key)).toThrow(message);
  });

  it.each([Buffer.alloc(16), Buffer.alloc(33), new Uint8Array(0)])("rejects a key of %i bytes", (bad) => {
    expect(() => encryptSecret("x", bad)).toThrow(/encryption key must be 32 bytes, got \d+ bytes/);
    expect(() => decryptSecret("v1.a.b.c", bad)).toThrow(/encryption key must be 32 bytes/);
  });
});

describe("parseEncryptionKey", () => {
  const raw = randomBytes(32);
  it.each([
    ["hex", raw.toString("hex")],
    ["base64url", raw.toString("base64url")],
    ["base64 with padding", raw.toString("base64")],
    ["surrounded by whitespace", `  ${raw.toString("hex")}\n`],
  ])("reads %s", (_label, text) => {
    expect(parseEncryptionKey(text).equals(raw)).toBe(true);
  });

  it.each(["", "short", "a".repeat(63), "g".repeat(64), randomBytes(31).toString("base64url")])(
    "rejects %j",
    (text) => {
      expect(() => parseEncryptionKey(text)).toThrow(
        "encryption key must be 32 bytes written as 64 hex characters or 43 base64url characters",
      );
    },
  );

  it("reads what generateEncryptionKey writes", () => {
    const text = generateEncryptionKey();
    const k = parseEncryptionKey(text);
    expect(k.length).toBe(32);
    expect(decryptSecret(encryptSecret("round", k), parseEncryptionKey(text))).toBe("round");
  });
});

describe("maskSecret", () => {
  it.each([
    ["sk-proj-abcdefgh1234", "…1234"],
    ["short", "…"],
    ["12345678", "…"],
  ])("%j → %j", (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
