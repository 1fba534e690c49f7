// The closed list of audit actions. Every `recordAudit` call names one of these, so a typo is a type
// error instead of a webhook that silently never fires; consumers that react to actions (webhooks, SSE
// replay, the Activity page) keep exhaustive `Record<AuditAction, …>` tables, so a new action cannot be
// added without deciding what each of them does with it.

type ActionInfo = { area: AuditArea; description: string };

export const auditAreas = [
  "Prompts",
  "Releases",
  "Reviews",
  "Experiments",
  "Evaluation",
  "Models",
  "People and access",
  "Project",
] as const;
export type AuditArea = (typeof auditAreas)[number];

/** Each action once, with its area and what it means in plain words (the Activity page shows these). */
export const auditActionInfo = {
  "prompt.create": { area: "Prompts", description: "Created a prompt" },
  "prompt.update": { area: "Prompts", description: "Changed a prompt's details" },
  "prompt.import": { area: "Prompts", description: "Imported a prompt from Langfuse" },
  "prompt.archive": { area: "Prompts", description: "Archived a prompt" },
  "prompt.restore": { area: "Prompts", description: "Restored an archived prompt" },
  "version.create": { area: "Prompts", description: "Saved a new version" },
  "version.archive": { area: "Prompts", description: "Archived a version" },
  "draft.create": { area: "Prompts", description: "Started a draft copy" },
  "draft.merge": { area: "Prompts", description: "Merged a draft copy into a new version" },
  "draft.discard": { area: "Prompts", description: "Discarded a draft copy" },
  "playground.run": { area: "Prompts", description: "Ran a prompt in the playground" },

  "deployment.promote": { area: "Releases", description: "Promoted a version to an environment" },
  "deployment.rollback": { area: "Releases", description: "Rolled an environment back" },
  "deployment.auto_promote": { area: "Releases", description: "Promoted a version automatically" },
  "deployment.auto_rollback": { area: "Releases", description: "Rolled an environment back automatically" },
  "environment.create": { area: "Releases", description: "Added an environment" },
  "environment.update": { area: "Releases", description: "Changed an environment's rules" },
  "bundle.create": { area: "Releases", description: "Created a bundle of prompts" },
  "bundle.update": { area: "Releases", description: "Changed a bundle's prompts or description" },
  "bundle.release": { area: "Releases", description: "Released a bundle of prompts to an environment" },
  "bundle.rollback": { area: "Releases", description: "Rolled a bundle back in an environment" },

  "review.request": { area: "Reviews", description: "Requested a review" },
  "review.approve": { area: "Reviews", description: "Approved a review" },
  "review.reject": { area: "Reviews", description: "Rejected a review" },
  "review.cancel": { area: "Reviews", description: "Cancelled a review request" },
  "comment.create": { area: "Reviews", description: "Commented on a version" },

  "experiment.create": { area: "Experiments", description: "Set up an experiment" },
  "experiment.start": { area: "Experiments", description: "Started an experiment" },
  "experiment.reweight": { area: "Experiments", description: "Changed how an experiment splits traffic" },
  "experiment.phase": {
    area: "Experiments",
    description: "Began a new phase of an experiment: a release changed what its arms serve",
  },
  "experiment.stop": { area: "Experiments", description: "Stopped an experiment" },
  "rollout.start": { area: "Releases", description: "Started a guarded rollout" },
  "rollout.advance": { area: "Releases", description: "Moved a guarded rollout to its next step" },
  "rollout.pause": { area: "Releases", description: "Paused a guarded rollout" },
  "rollout.resume": { area: "Releases", description: "Resumed a guarded rollout" },
  "rollout.rollback": { area: "Releases", description: "Rolled a guarded rollout back" },
  "rollout.complete": { area: "Releases", description: "Completed a guarded rollout (the version went live)" },

  "dataset.create": { area: "Evaluation", description: "Created a dataset" },
  "dataset.update": { area: "Evaluation", description: "Changed a dataset's details" },
  "dataset.items": { area: "Evaluation", description: "Changed a dataset's items" },
  "dataset.delete": { area: "Evaluation", description: "Deleted a dataset" },
  "eval_run.create": { area: "Evaluation", description: "Started an evaluation run" },
  "eval_run.cancel": { area: "Evaluation", description: "Cancelled an evaluation run" },
  "evaluation.complete": { area: "Evaluation", description: "Finished an evaluation run" },
  "optimization.create": { area: "Evaluation", description: "Started a prompt optimization" },
  "optimization.complete": {
    area: "Evaluation",
    description: "Finished a prompt optimization (a draft ready for review, or nothing better found)",
  },
  "optimization.cancel": { area: "Evaluation", description: "Cancelled a prompt optimization" },
  "online_eval.update": { area: "Evaluation", description: "Changed live quality checks" },
  "online_eval.delete": { area: "Evaluation", description: "Turned off live quality checks" },
  "annotation.create": { area: "Evaluation", description: "Labelled a live output for judge agreement" },
  "alert.create": { area: "Evaluation", description: "Raised a quality alert" },
  "alert.acknowledge": { area: "Evaluation", description: "Acknowledged a quality alert" },

  "connection.create": { area: "Models", description: "Added a model connection" },
  "connection.update": { area: "Models", description: "Changed a model connection" },
  "connection.delete": { area: "Models", description: "Removed a model connection" },
  "prices.update": { area: "Models", description: "Changed model prices" },

  "member.invite": { area: "People and access", description: "Invited someone to the project" },
  "member.invite_revoke": { area: "People and access", description: "Withdrew an invitation" },
  "member.join": { area: "People and access", description: "Joined the project" },
  "member.add": { area: "People and access", description: "Added a member" },
  "member.role": { area: "People and access", description: "Changed a member's role" },
  "member.remove": { area: "People and access", description: "Removed a member" },
  "apikey.create": { area: "People and access", description: "Created an API key" },
  "apikey.revoke": { area: "People and access", description: "Revoked an API key" },
  "user.password_change": { area: "People and access", description: "Changed their password" },
  "user.password_reset_request": { area: "People and access", description: "Asked for a password reset link" },
  "user.password_reset": { area: "People and access", description: "Reset their password with a link" },

  "project.create": { area: "Project", description: "Created the project" },
  "snapshot.import": { area: "Project", description: "Imported a project snapshot" },
  "webhook.create": { area: "Project", description: "Added a webhook" },
  "webhook.delete": { area: "Project", description: "Deleted a webhook" },
  "webhook.redeliver": { area: "Project", description: "Sent a webhook event again" },
} as const satisfies Record<string, ActionInfo>;

export type AuditAction = keyof typeof auditActionInfo;

/** Every action, in the order above (non-empty, so it can feed `z.enum`). */
export const AUDIT_ACTIONS = Object.keys(auditActionInfo) as [AuditAction, ...AuditAction[]];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(auditActionInfo, value);
}

/** The plain-words description of an action; unknown strings (rows from older code) come back as they are. */
export function describeAction(action: string): string {
  return isAuditAction(action) ? auditActionInfo[action].description : action;
}
