// The Lectern-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the
// scheme Stripe and Langfuse use. The timestamp is signed, so a captured request cannot be replayed
// later than the receiver's tolerance.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Lectern-Signature";

export function signatureFor(secret: string, rawBody: string, t: number): string {
  return createHmac("sha256", secret).update(`${t}.${rawBody}`, "utf8").digest("hex");
}

export function signatureHeader(secret: string, rawBody: string, t: number): string {
  if (!Number.isInteger(t) || t < 0) throw new Error("signature timestamp must be whole unix seconds");
  return `t=${t},v1=${signatureFor(secret, rawBody, t)}`;
}

export type VerifyResult =
  { ok: true; t: number } | { ok: false; reason: "missing" | "malformed" | "expired" | "mismatch" };

/**
 * What a receiver does: parse the header, reject timestamps outside the tolerance, and compare every
 * v1 signature (several may be sent while a secret is rotated) in constant time.
 */
export function verifySignature(
  header: string | null | undefined,
  secret: string,
  rawBody: string,
  opts: { now?: Date; toleranceSeconds?: number } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: "missing" };
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const i = part.indexOf("=");
    if (i < 1) return { ok: false, reason: "malformed" };
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value) || t !== undefined) return { ok: false, reason: "malformed" };
      t = Number(value);
    } else if (key === "v1") {
      if (!/^[0-9a-f]{64}$/.test(value)) return { ok: false, reason: "malformed" };
      v1.push(value);
    }
  }
  if (t === undefined || v1.length === 0) return { ok: false, reason: "malformed" };
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return { ok: false, reason: "expired" };
  const expected = Buffer.from(signatureFor(secret, rawBody, t), "hex");
  return v1.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected))
    ? { ok: true, t }
    : { ok: false, reason: "mismatch" };
}
