// Secrets in text `lectern adopt` would upload: a prompt in code sometimes carries a key pasted into it, and a
// prompt in Lectern is read by everyone in the project, its history kept forever, and served to applications.
// Known key shapes first (their prefixes are documented by their issuers), then long tokens whose characters
// are as mixed as random ones (Shannon entropy per character, as detect-secrets and gitleaks measure it).

export interface SecretHit {
  /** What it looks like: "an OpenAI API key". */
  kind: string;
  /** The first characters only, never the secret itself. */
  preview: string;
}

const shapes: [string, RegExp][] = [
  ["a private key", /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/],
  ["an Anthropic API key", /\bsk-ant-[A-Za-z0-9_-]{20,}/],
  [
    "an OpenAI API key",
    /\bsk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}/,
  ],
  ["an AWS access key id", /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[0-9A-Z]{16}\b/],
  ["a GitHub token", /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/],
  ["a GitHub token", /\bgithub_pat_[A-Za-z0-9_]{22,}/],
  ["a Slack token", /\bxox[abposre]-[A-Za-z0-9-]{10,}/],
  ["a Slack webhook URL", /hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/],
  ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["a Stripe key", /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/],
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a Lectern API key", /\blk_(?:adm|rt)_[A-Za-z0-9_-]{20,}/],
];

/** Bits per character of a string's own character frequencies. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A token that reads like random bytes: hex of 32+ characters, or 20+ characters with digits and about as
 * many capitals as small letters (base64, base62), with an entropy close to what random text of its length
 * has. Words, identifiers, paths and version strings do not have all three.
 */
function randomLooking(token: string): boolean {
  const t = token.replace(/=+$/, "");
  if (/^[0-9a-f]{32,}$/i.test(t)) return entropy(t) >= 3.0 && /\d/.test(t) && /[a-f]/i.test(t);
  if (t.length < 20) return false;
  if (!/\d/.test(t)) return false;
  // Random letters are about half capitals; identifiers and paths capitalise a word's first letter only.
  const letters = t.replace(/[^A-Za-z]/g, "");
  const upper = letters.replace(/[^A-Z]/g, "").length / Math.max(1, letters.length);
  if (upper < 0.25 || upper > 0.75) return false;
  // Random text of length n over 64 symbols has an entropy of about log2(n) − 0.6 for n up to ~60.
  const expected = Math.min(5.2, Math.log2(t.length) - 0.6);
  return entropy(t) >= expected - 0.35;
}

const preview = (s: string) => `${s.slice(0, 4)}…`;

/** What looks like a secret in `text`, each once. */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  let rest = text;
  for (const [kind, re] of shapes) {
    const g = new RegExp(re.source, "g");
    for (const m of rest.matchAll(g)) hits.push({ kind, preview: preview(m[0]) });
    rest = rest.replace(g, " ");
  }
  for (const m of rest.matchAll(/[A-Za-z0-9+/_=-]{20,}/g))
    if (randomLooking(m[0])) hits.push({ kind: "a long random-looking token", preview: preview(m[0]) });
  return hits;
}

/** The reason a prompt is left alone, or undefined when its texts hold no secret. */
export function secretReason(texts: string[]): string | undefined {
  const hits = texts.flatMap(findSecrets);
  if (!hits.length) return undefined;
  const kinds = [...new Set(hits.map((h) => `${h.kind} (${h.preview})`))].slice(0, 3).join(", ");
  return `its text holds what looks like ${kinds}: not uploaded (remove it from the text, or pass --allow-secrets if it is not a secret)`;
}
