// Connection API keys at rest: AES-256-GCM with a fresh 12-byte IV per encryption, stored as
// `v1.<iv>.<tag>.<ciphertext>` (base64url). The version prefix lets a future format or key rotation
// coexist with stored rows. GCM's tag makes tampering and a wrong key fail loudly instead of
// decrypting to garbage.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const version = "v1";
const ivBytes = 12;
const tagBytes = 16;

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretError";
  }
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new SecretError(
      `encryption key must be 32 bytes, got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}`,
    );
  }
}

/**
 * Encrypts a secret. `context` (e.g. the connection id) is bound as additional authenticated data,
 * so a ciphertext copied onto another row will not decrypt there.
 */
export function encryptSecret(plaintext: string, key: Uint8Array, context = ""): string {
  checkKey(key);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [version, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

const b64url = /^[A-Za-z0-9_-]*$/;

/** Decrypts what encryptSecret produced; throws SecretError on a malformed blob, a wrong key or tampering. */
export function decryptSecret(blob: string, key: Uint8Array, context = ""): string {
  checkKey(key);
  const parts = typeof blob === "string" ? blob.split(".") : [];
  if (parts.length !== 4 || parts[0] !== version || !parts.slice(1).every((p) => b64url.test(p))) {
    const seen = typeof blob === "string" ? blob.split(".")[0] : typeof blob;
    throw new SecretError(
      parts[0] !== version && parts.length === 4
        ? `encrypted secret has version "${seen}", this build reads only "${version}"`
        : "encrypted secret is malformed: expected v1.<iv>.<tag>.<ciphertext> in base64url",
    );
  }
  const [, ivText, tagText, dataText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== ivBytes || tag.length !== tagBytes) {
    throw new SecretError("encrypted secret is malformed: wrong IV or tag length");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // GCM cannot tell a wrong key from modified data, and saying which would not help an attacker anyway.
    throw new SecretError("encrypted secret could not be decrypted: wrong key, or the data was modified");
  }
}

/** A new random key, as base64url text suitable for LECTERN_ENCRYPTION_KEY or a key file. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Reads a 32-byte key written as 64 hex characters or as base64/base64url (43–44 characters).
 * Throws SecretError explaining the expected forms.
 */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t))
    key = Buffer.from(t.replace(/\+/g, "-").replace(/\//g, "_").replace(/=$/, ""), "base64url");
  if (!key || key.length !== 32) {
    throw new SecretError("encryption key must be 32 bytes written as 64 hex characters or 43 base64url characters");
  }
  return key;
}

/** A display form of a key that never reveals it: its last 4 characters, e.g. "…a1b2". */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? "…" : `…${secret.slice(-4)}`;
}
