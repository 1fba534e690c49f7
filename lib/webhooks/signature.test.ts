import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "./signature";

const secret = "whsec_test_secret";
const body = '{"id":"evt_1","type":"prompt.deployed"}';
const t = 1_800_000_000;
const now = new Date(t * 1000);
const hex = (s: string) => createHmac("sha256", secret).update(s).digest("hex");

describe("Lectern-Signature", () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${hex(`${t}.${body}`)}`);
    // Known vectors, computed with: printf '%s' "1800000000.{}" | openssl dgst -sha256 -hmac key
    expect(signatureHeader("key", "{}", t)).toBe(
      "t=1800000000,v1=7321475872b03ff21bdc2dfd86ea2d99ec29c479fbe4a77aa6acf4509505493f",
    );
    expect(signatureHeader(secret, body, t)).toBe(
      "t=1800000000,v1=d46089e27e47a890d56a8466a28df8468ea95ab1bf5a59e30f4ca6dc89b34172",
    );
  });

  it.each([
    ["valid", signatureHeader(secret, body, t), body, { ok: true, t }],
    [
      "valid among several v1 (rotation)",
      `t=${t},v1=${"0".repeat(64)},v1=${hex(`${t}.${body}`)}`,
      body,
      { ok: true, t },
    ],
    ["missing", null, body, { ok: false, reason: "missing" }],
    ["no v1", `t=${t}`, body, { ok: false, reason: "malformed" }],
    ["no t", `v1=${hex(`${t}.${body}`)}`, body, { ok: false, reason: "malformed" }],
    ["bad hex", `t=${t},v1=xyz`, body, { ok: false, reason: "malformed" }],
    ["garbage", "nonsense", body, { ok: false, reason: "malformed" }],
    ["body changed", signatureHeader(secret, body, t), body + " ", { ok: false, reason: "mismatch" }],
    ["other secret", signatureHeader("other", body, t), body, { ok: false, reason: "mismatch" }],
    ["timestamp changed", `t=${t + 1},v1=${hex(`${t}.${body}`)}`, body, { ok: false, reason: "mismatch" }],
    ["too old", signatureHeader(secret, body, t - 301), body, { ok: false, reason: "expired" }],
    ["too far ahead", signatureHeader(secret, body, t + 301), body, { ok: false, reason: "expired" }],
  ])("%s", (_name, header, raw, expected) => {
    expect(verifySignature(header, secret, raw, { now })).toEqual(expected);
  });

  it("refuses a non-integer timestamp", () => {
    expect(() => signatureHeader(secret, body, 1.5)).toThrow();
  });
});
