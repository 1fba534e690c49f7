// Audit rows are read by every member of a project (the Activity page, /api/v1/audit) and sent to
// webhooks, but what an action changed can hold secrets: a webhook URL carries its token in the path
// or the query, sometimes user:password. Rows are redacted when written and again when read (rows
// written before this existed), so nothing derived from them shows a secret.
// Fields whose name ends with a secret's name (apiKey, signingSecret, accessToken), not ones that merely
// contain it: inputTokens and outputTokens are counts.
const secretKey = /(pass(word)?|secret|token|api_?key|authorization|credentials?|private_?key)$/i;
// A key's mask ("…abcd") is what the UI shows instead of a key: not a secret.
const isMask = (v: unknown) => typeof v === "string" && /^…[^\s]{0,8}$/.test(v);

/** An http(s) URL reduced to its origin ("https://hooks.example.com/…"), or the string unchanged. */
export function redactUrl(value: string): string {
  if (!/^https?:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  const rest = url.pathname !== "/" || url.search || url.hash;
  return `${url.protocol}//${url.host}${rest ? "/…" : "/"}`;
}

/** A copy of an audit value with URLs reduced to their origin and secret-named fields replaced. */
export function redactAudit(value: unknown, depth = 0): unknown {
  if (depth > 64) return "[redacted]";
  if (typeof value === "string") return redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => redactAudit(v, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] =
      secretKey.test(k) && v !== null && !isMask(v) && typeof v !== "boolean"
        ? "[redacted]"
        : redactAudit(v, depth + 1);
  return out;
}
