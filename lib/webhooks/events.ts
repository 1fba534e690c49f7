// Webhook events and how audit entries become them. The audit log is the outbox: every change is
// audited in its own transaction, so an event exists exactly when its change committed.
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "../audit/actions";
import { unannouncedActions, type AnnouncedAction } from "../audit/unannounced";

export const webhookEvents = [
  "prompt.version_created",
  "prompt.deployed",
  "prompt.rolled_back",
  "bundle.released",
  "bundle.rolled_back",
  "review.requested",
  "review.decided",
  "comment.created",
  "experiment.started",
  "experiment.stopped",
  "experiment.phase_started",
  "rollout.started",
  "rollout.step",
  "rollout.rolled_back",
  "rollout.completed",
  "evaluation.completed",
  "alert.created",
] as const;
export type WebhookEventType = (typeof webhookEvents)[number];

type EventMapping = {
  type: WebhookEventType;
  source?: "create" | "save" | "draft_merge";
  automatic?: boolean;
  decision?: "approved" | "rejected";
};

/**
 * Audit action → webhook event, or null for actions that send nothing. Exhaustive, so a new audit
 * action cannot ship without deciding whether subscribers hear about it (here, or for the actions
 * nobody is told about, in audit/unannounced.ts, shared with the SSE replay). The experiment, evaluation
 * and alert events carry the entry's `after` object as those features write it.
 */
const eventsDecided: Record<AnnouncedAction, EventMapping | null> = {
  "prompt.create": { type: "prompt.version_created", source: "create" },
  "version.create": { type: "prompt.version_created", source: "save" },
  "draft.merge": { type: "prompt.version_created", source: "draft_merge" },
  // Heard over SSE (caches of a label's answer); no webhook event until someone needs one.
  "version_label.set": null,
  "version_label.remove": null,
  "deployment.promote": { type: "prompt.deployed", automatic: false },
  "deployment.rollback": { type: "prompt.rolled_back", automatic: false },
  "deployment.auto_promote": { type: "prompt.deployed", automatic: true },
  "deployment.auto_rollback": { type: "prompt.rolled_back", automatic: true },
  // One event per bundle release; each changed member's prompt.deployed / prompt.rolled_back is sent too,
  // marked with the release (`bundle: {name, release}`), so prompt-level subscribers miss no change.
  "bundle.release": { type: "bundle.released" },
  "bundle.rollback": { type: "bundle.rolled_back" },
  "review.request": { type: "review.requested" },
  "review.approve": { type: "review.decided", decision: "approved" },
  "review.reject": { type: "review.decided", decision: "rejected" },
  "comment.create": { type: "comment.created" },
  "experiment.start": { type: "experiment.started" },
  "experiment.reweight": null,
  // A release changed what its arms serve: results are read per phase from here.
  "experiment.phase": { type: "experiment.phase_started" },
  "experiment.stop": { type: "experiment.stopped" },
  "rollout.start": { type: "rollout.started" },
  "rollout.advance": { type: "rollout.step" },
  "rollout.pause": { type: "rollout.step" },
  "rollout.resume": { type: "rollout.step" },
  "rollout.rollback": { type: "rollout.rolled_back" },
  "rollout.complete": { type: "rollout.completed" },
  "evaluation.complete": { type: "evaluation.completed" },
  "alert.create": { type: "alert.created" },
};
export const auditEventMap: Record<AuditAction, EventMapping | null> = { ...unannouncedActions, ...eventsDecided };

/** The mapping of a stored entry's action (a free string in the database), or null when it sends nothing. */
export function eventMappingOf(action: string): EventMapping | null {
  return isAuditAction(action) ? auditEventMap[action] : null;
}

/** The actions that send an event (the dispatcher reads only these from the log). */
export const mappedActions: AuditAction[] = AUDIT_ACTIONS.filter((a) => auditEventMap[a] !== null);

export type AuditEntryView = {
  id: number;
  action: string;
  objectType: string;
  objectId: string | null;
  actorType: string;
  actorLabel: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
};

/** What the dispatcher looked up about the entry's objects (names can only be found by id). */
export type EventLookups = {
  promptName?: string;
  review?: { prompt: string; version: number; environment: string };
};

export type WebhookEvent = {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  project: { id: string; slug: string; name: string };
  data: Record<string, unknown>;
};

export const eventIdFor = (auditId: number) => `evt_${auditId}`;

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const orNull = (v: unknown) => (v === undefined ? null : v);

/**
 * A bundle release's event data, from its audit row (bundle-log.ts). Rows written before `previous` and
 * `changed` were recorded give null for them.
 */
function bundleData(after: Record<string, unknown>): Record<string, unknown> {
  return {
    bundle: orNull(after.bundle),
    environment: orNull(after.environment),
    release: orNull(after.release),
    versions: orNull(after.versions),
    previousVersions: orNull(after.previous),
    changed: Array.isArray(after.changed) ? after.changed : null,
    undoes: orNull(after.undoes),
    reason: orNull(after.reason),
  };
}

/** The event for an audit entry, or null when its action sends no event. Pure. */
export function eventForAudit(
  entry: AuditEntryView,
  project: WebhookEvent["project"],
  lookups: EventLookups = {},
): WebhookEvent | null {
  const mapping = eventMappingOf(entry.action);
  if (!mapping) return null;
  const after = obj(entry.after);
  const before = obj(entry.before);
  const actor = { type: entry.actorType, label: entry.actorLabel };
  let data: Record<string, unknown>;
  switch (mapping.type) {
    case "prompt.version_created":
      data = {
        prompt: orNull(after.name),
        version: orNull(after.version),
        commitMessage: orNull(after.commitMessage),
        source: mapping.source ?? null,
      };
      break;
    case "prompt.deployed":
    case "prompt.rolled_back":
      data = {
        prompt: lookups.promptName ?? null,
        environment: orNull(after.environment),
        version: orNull(after.version),
        previousVersion: orNull(before.version),
        reason: orNull(after.reason),
        automatic: mapping.automatic ?? false,
        // Part of a bundle release ({name, release}: the bundle event's `bundle` and `release`), or null.
        bundle: orNull(after.bundle),
      };
      break;
    case "bundle.released":
    case "bundle.rolled_back":
      data = bundleData(after);
      break;
    case "review.requested":
      data = {
        reviewId: entry.objectId,
        prompt: orNull(after.prompt),
        version: orNull(after.version),
        environment: orNull(after.environment),
      };
      break;
    case "review.decided":
      data = {
        reviewId: entry.objectId,
        decision: mapping.decision ?? null,
        comment: orNull(after.comment),
        prompt: lookups.review?.prompt ?? null,
        version: lookups.review?.version ?? null,
        environment: lookups.review?.environment ?? null,
      };
      break;
    case "comment.created":
      data = {
        commentId: entry.objectId,
        prompt: orNull(after.prompt),
        version: orNull(after.version),
        reviewId: orNull(after.reviewId),
        body: orNull(after.body),
        mentions: Array.isArray(after.mentions) ? after.mentions : [],
      };
      break;
    default:
      data = { objectType: entry.objectType, objectId: entry.objectId, ...after };
  }
  return {
    id: eventIdFor(entry.id),
    type: mapping.type,
    createdAt: entry.createdAt.toISOString(),
    project,
    data: { ...data, actor },
  };
}
