// An audit entry's before/after in words, for the Activity page: a one-line summary for the actions
// whose data has a natural sentence, readable "label: value" lines for the rest (never raw JSON).
import { isAuditAction, type AuditAction } from "./actions";

type Obj = Record<string, unknown>;
export type AuditField = { label: string; value: string };
export type AuditDetails = { summary: string; fields: AuditField[] };

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "object" && !Object.keys(v).length);
const quote = (v: unknown) => `“${text(v)}”`;

const labels: Record<string, string> = {
  apiKey: "API key",
  baseUrl: "Base URL",
  url: "URL",
  costUsd: "Cost (USD)",
  latencyMs: "Latency (ms)",
  inputPerMTok: "Input per 1M tokens",
  outputPerMTok: "Output per 1M tokens",
  promptId: "Prompt",
  eventId: "Event",
};

/** "commitMessage" / "sessions_ended" → "Commit message" / "Sessions ended". */
export function fieldLabel(key: string): string {
  if (labels[key]) return labels[key];
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as a person reads it: strings bare, lists joined, small objects as "key value" pairs. */
export function text(v: unknown, depth = 0): string {
  if (v === undefined || v === null) return "none";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return v.length ? v.map((x) => text(x, depth + 1)).join(", ") : "none";
  if (typeof v === "object") {
    const entries = Object.entries(v as Obj);
    if (!entries.length) return "none";
    if (depth >= 2) return JSON.stringify(v).slice(0, 200);
    return entries.map(([k, x]) => `${fieldLabel(k).toLowerCase()} ${text(x, depth + 1)}`).join(", ");
  }
  return String(v);
}

/** Readable lines for a change: "label: old → new" for fields both sides have and that differ. */
export function fieldLines(before: unknown, after: unknown): AuditField[] {
  const b = obj(before);
  const a = obj(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const lines: AuditField[] = [];
  for (const k of keys) {
    const inBoth = k in a && k in b;
    if (inBoth && JSON.stringify(a[k]) === JSON.stringify(b[k])) continue;
    const value = inBoth ? `${text(b[k])} → ${text(a[k])}` : text(k in a ? a[k] : b[k]);
    lines.push({ label: fieldLabel(k), value });
  }
  return lines;
}

const summaries: Partial<Record<AuditAction, (a: Obj, b: Obj) => string>> = {
  "prompt.create": (a) => `${text(a.name)} v${text(a.version)}`,
  "version.create": (a) => `v${text(a.version)}${a.commitMessage ? `: ${quote(a.commitMessage)}` : ""}`,
  "draft.merge": (a) => `v${text(a.version)}${a.commitMessage ? `: ${quote(a.commitMessage)}` : ""}`,
  "deployment.promote": (a, b) => deployment(a, b),
  "deployment.rollback": (a, b) => deployment(a, b),
  "deployment.auto_promote": (a, b) => deployment(a, b),
  "deployment.auto_rollback": (a, b) => deployment(a, b),
  "bundle.release": (a) => bundleLine(a),
  "bundle.rollback": (a) => bundleLine(a),
  "review.request": (a) => `${text(a.prompt)} v${text(a.version)} for ${text(a.environment)}`,
  "review.approve": (a) => (a.comment ? quote(a.comment) : ""),
  "review.reject": (a) => (a.comment ? quote(a.comment) : ""),
  "draft.create": (a) => `${text(a.prompt)}: ${quote(a.name)} from v${text(a.baseVersion)}`,
  "member.add": (a) => `${text(a.email)} as ${text(a.role)}`,
  "member.invite": (a) => `${text(a.email)} as ${text(a.role)}`,
  "member.join": (a) => `${text(a.email)} as ${text(a.role)}`,
  "member.invite_revoke": (_, b) => text(b.email),
  "member.role": (a, b) => `${text(b.role)} → ${text(a.role)}`,
  "apikey.create": (a) => `${text(a.name)} (${text(a.scope)})`,
  "environment.create": (a) => text(a.name),
  "project.create": (a) => `${text(a.name)} (${text(a.slug)})`,
  "experiment.create": (a) => `${quote(a.name)} on ${text(a.prompt)} in ${text(a.environment)} (${text(a.mode)})`,
  "experiment.start": (a) => `${text(a.prompt)} in ${text(a.environment)}`,
  "experiment.reweight": (a) =>
    `${text(a.prompt)} in ${text(a.environment)}: ${Object.entries(obj(a.weights))
      .map(([k, v]) => `${k} ${Math.round(Number(v) * 100)}%`)
      .join(", ")}${a.reason ? ` (${quote(a.reason)})` : ""}`,
  "experiment.stop": (a) => {
    const d = obj(a.decision);
    const what = d.ship ? `shipped ${text(d.ship)}` : "kept the control";
    return `${text(a.prompt)} in ${text(a.environment)}: ${what}${d.reason ? ` (${quote(d.reason)})` : ""}`;
  },
  "rollout.start": (a) => `${text(a.prompt)} v${text(a.version)} in ${text(a.environment)} at ${text(a.percent)} %`,
  "rollout.advance": (a) => rolloutLine(a),
  "rollout.pause": (a) => rolloutLine(a),
  "rollout.resume": (a) => rolloutLine(a),
  "rollout.rollback": (a) => rolloutLine(a),
  "rollout.complete": (a) => rolloutLine(a),
  "evaluation.complete": (a) =>
    `${text(a.prompt)} v${text(a.version)} on ${text(a.dataset)} (dataset v${text(a.datasetVersion)}): ${
      a.status === "completed" && typeof a.score === "number"
        ? `score ${Math.round(a.score * 1000) / 10}%`
        : a.status === "unscored"
          ? `could not score (${text(a.error)})`
          : text(a.status)
    }`,
};

function rolloutLine(a: Obj): string {
  return `${text(a.prompt)} v${text(a.version)} in ${text(a.environment)}: ${text(a.percent)} %${a.reason ? ` (${quote(a.reason)})` : ""}`;
}

/** "agent in production: agent/system v3, agent/tools v2" (the members the release changed, when recorded). */
function bundleLine(a: Obj): string {
  const v = obj(a.versions);
  const members = Array.isArray(a.changed) ? a.changed : Object.keys(v);
  const list = members.length ? members.map((m) => `${text(m)} v${text(v[String(m)])}`).join(", ") : "no change";
  return `${text(a.bundle)} in ${text(a.environment)}: ${list}${a.reason ? ` (${quote(a.reason)})` : ""}`;
}

function deployment(a: Obj, b: Obj): string {
  const from = b.version !== undefined ? `v${text(b.version)} → ` : "";
  return `${text(a.environment)}: ${from}v${text(a.version)}${a.reason ? ` (${quote(a.reason)})` : ""}`;
}

/** The summary sentence when the action has one, otherwise the entry's data as label/value lines. */
export function auditDetails(action: string, before: unknown, after: unknown): AuditDetails {
  const summary = isAuditAction(action) ? summaries[action] : undefined;
  if (summary) return { summary: summary(obj(after), obj(before)), fields: [] };
  if (isEmpty(before) && isEmpty(after)) return { summary: "", fields: [] };
  return { summary: "", fields: fieldLines(before, after) };
}
