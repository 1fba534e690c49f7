// The audit actions nobody outside is told about: neither a client catching up over SSE (runtime/replay.ts)
// nor webhook subscribers (webhooks/events.ts) hear of them. Each of those tables spreads this one and
// decides every other action itself (its type refuses a table that misses one or decides one of these
// again), so a new action is still decided once here or once in each table. To announce one of these
// somewhere, move it out of this list: both tables then have to decide it.
import type { AuditAction } from "./actions";

export const unannouncedActions = {
  "prompt.update": null,
  "skills.publish": null,
  "skills.unpublish": null,
  "prompt.import": null,
  "prompt.archive": null,
  "prompt.restore": null,
  "version.archive": null,
  "draft.create": null,
  "draft.discard": null,
  "playground.run": null,
  "environment.create": null,
  "environment.update": null,
  "bundle.create": null,
  "bundle.update": null,
  "review.cancel": null,
  "experiment.create": null,
  "dataset.create": null,
  "dataset.update": null,
  "dataset.items": null,
  "dataset.delete": null,
  "eval_run.create": null,
  "eval_run.cancel": null,
  "optimization.create": null,
  "optimization.complete": null,
  "optimization.cancel": null,
  "online_eval.update": null,
  "online_eval.delete": null,
  "annotation.create": null,
  "alert.acknowledge": null,
  "connection.create": null,
  "connection.update": null,
  "connection.delete": null,
  "prices.update": null,
  "member.invite": null,
  "member.invite_revoke": null,
  "member.join": null,
  "member.add": null,
  "member.role": null,
  "member.remove": null,
  "apikey.create": null,
  "apikey.revoke": null,
  "user.password_change": null,
  "user.password_reset_request": null,
  "user.password_reset": null,
  "project.create": null,
  "snapshot.import": null,
  "webhook.create": null,
  "webhook.delete": null,
  "webhook.redeliver": null,
} as const satisfies Partial<Record<AuditAction, null>>;

/** The actions a table of what each action announces decides itself (all but the unannounced ones). */
export type AnnouncedAction = Exclude<AuditAction, keyof typeof unannouncedActions>;
