// Webhook events and how audit entries become them. The audit log is the outbox: every change is
// audited in its own transaction, so an event exists exactly when its change committed.

export const webhookEvents = [
  "prompt.version_created",
  "prompt.deployed",
  "prompt.rolled_back",
  "review.requested",
  "review.decided",
  "experiment.started",
  "experiment.stopped",
  "evaluation.completed",
  "alert.created",
] as const;
export type WebhookEventType = (typeof webhookEvents)[number];

/**
 * Audit action → webhook event. Actions not listed send nothing. The experiment, evaluation and
 * alert actions are the names the issues building those features are expected to audit; their
 * event data is the entry's `after` object as they write it.
 */
export const auditEventMap = {
  "prompt.create": { type: "prompt.version_created", source: "create" },
  "version.create": { type: "prompt.version_created", source: "save" },
  "draft.merge": { type: "prompt.version_created", source: "draft_merge" },
  "deployment.promote": { type: "prompt.deployed", automatic: false },
  "deployment.auto_promote": { type: "prompt.deployed", automatic: true },
  "deployment.rollback": { type: "prompt.rolled_back", automatic: false },
  "deployment.auto_rollback": { type: "prompt.rolled_back", automatic: true },
  "review.request": { type: "review.requested" },
  "review.approve": { type: "review.decided", decision: "approved" },
  "review.reject": { type: "review.decided", decision: "rejected" },
  "experiment.start": { type: "experiment.started" },
  "experiment.stop": { type: "experiment.stopped" },
  "evaluation.complete": { type: "evaluation.completed" },
  "alert.create": { type: "alert.created" },
} as const satisfies Record<
  string,
  { type: WebhookEventType; source?: string; automatic?: boolean; decision?: string }
>;

export type MappedAction = keyof typeof auditEventMap;
export const mappedActions = Object.keys(auditEventMap) as MappedAction[];

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

/** The event for an audit entry, or null when its action sends no event. Pure. */
export function eventForAudit(
  entry: AuditEntryView,
  project: WebhookEvent["project"],
  lookups: EventLookups = {},
): WebhookEvent | null {
  const mapping = (auditEventMap as Record<string, (typeof auditEventMap)[MappedAction]>)[entry.action];
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
        source: "source" in mapping ? mapping.source : null,
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
        automatic: "automatic" in mapping ? mapping.automatic : false,
      };
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
        decision: "decision" in mapping ? mapping.decision : null,
        comment: orNull(after.comment),
        prompt: lookups.review?.prompt ?? null,
        version: lookups.review?.version ?? null,
        environment: lookups.review?.environment ?? null,
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
