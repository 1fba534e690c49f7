// One-time tokens (invitations, password resets) and session ids: 256 random bits, shown once,
// stored only as a SHA-256 hash so a database leak does not hand out working links.
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "../errors";

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: tokenHash(token) };
}

/** Tokens are base64url of 32 bytes; anything else cannot match and is refused without a query. */
export const isTokenShape = (value: unknown): value is string =>
  typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);

/** The refusal of a link whose token matches nothing open (used, withdrawn, expired): not_found, saying `why`. */
export const invalidLinkError = (why: string) => () => new AppError("not_found", why);
