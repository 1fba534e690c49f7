// The Slack-compatible body ({text, blocks}) for webhooks created with format "slack": incoming
// webhooks of Slack, and of Mattermost, Rocket.Chat and Discord's /slack endpoint, accept it.
import type { WebhookEvent } from "./events";

const esc = (v: unknown) =>
  String(v ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** One line saying what happened, in Slack mrkdwn. */
export function summarize(e: WebhookEvent): string {
  const d = e.data;
  const who = (d.actor as { label?: string } | undefined)?.label;
  const by = who ? ` by ${esc(who)}` : "";
  const p = `*${esc(d.prompt)}*`;
  const b = d.bundle as { name?: unknown; release?: unknown } | null | undefined;
  const partOf = b ? ` (bundle *${esc(b.name)}*, release ${esc(b.release)})` : "";
  switch (e.type) {
    case "prompt.version_created":
      return `${p}: version ${esc(d.version)} saved${by}${d.commitMessage ? ` — ${esc(d.commitMessage)}` : ""}`;
    case "prompt.deployed":
      return `${p}: version ${esc(d.version)} is live in *${esc(d.environment)}*${d.automatic ? " (automatic promotion)" : by}${d.previousVersion != null ? ` (was ${esc(d.previousVersion)})` : ""}${partOf}`;
    case "prompt.rolled_back":
      return `${d.automatic ? ":rotating_light: Automatic rollback: " : "Rollback: "}${p} in *${esc(d.environment)}* back to version ${esc(d.version)}${d.previousVersion != null ? ` from ${esc(d.previousVersion)}` : ""}${d.automatic ? "" : by}${d.reason ? ` — ${esc(d.reason)}` : ""}${partOf}`;
    case "bundle.released":
    case "bundle.rolled_back":
      return bundleLine(e.type, d, by);
    case "review.requested":
      return `${p}: review of version ${esc(d.version)} for *${esc(d.environment)}* requested${by}`;
    case "review.decided":
      return `${p}: review of version ${esc(d.version)} for *${esc(d.environment)}* ${esc(d.decision)}${by}${d.comment ? ` — ${esc(d.comment)}` : ""}`;
    case "alert.created":
      return `:warning: Alert${d.severity ? ` (${esc(d.severity)})` : ""}: ${esc(d.message ?? d.metric ?? d.objectId)}${d.prompt ? ` on ${p}` : ""}`;
    default:
      return `${esc(e.type)}${d.name ? `: ${esc(d.name)}` : d.objectId ? `: ${esc(d.objectId)}` : ""}${by}`;
  }
}

function bundleLine(type: string, d: Record<string, unknown>, by: string): string {
  const versions = (d.versions ?? {}) as Record<string, unknown>;
  const changed = Array.isArray(d.changed) ? d.changed.map((m) => `${esc(m)} v${esc(versions[String(m)])}`) : [];
  const what = type === "bundle.released" ? "released to" : "rolled back in";
  return `Bundle *${esc(d.bundle)}* ${what} *${esc(d.environment)}*${by}: ${changed.length ? changed.join(", ") : "no member changed"}${d.reason ? ` — ${esc(d.reason)}` : ""}`;
}

export function slackMessage(e: WebhookEvent): { text: string; blocks: object[] } {
  const text = summarize(e);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `${esc(e.project.name)} · \`${esc(e.type)}\` · ${esc(str(e.createdAt))} · ${esc(e.id)}`,
          },
        ],
      },
    ],
  };
}
