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

/** One area's actions, each with its area beside its description. */
function inArea<const D extends Record<string, string>>(area: AuditArea, descriptions: D) {
  const entries = Object.entries(descriptions).map(([action, description]) => [action, { area, description }]);
  return Object.fromEntries(entries) as { [A in keyof D]: ActionInfo };
}

/** Each action once, with its area and what it means in plain words (the Activity page shows these). */
export const auditActionInfo = {
  ...inArea("Prompts", {
    "prompt.create": "Created a prompt",
    "prompt.update": "Changed a prompt's details",
    "prompt.import": "Imported a prompt from another system (Langfuse, PromptLayer, LangSmith, Pezzo)",
    "prompt.archive": "Archived a prompt",
    "prompt.restore": "Restored an archived prompt",
    "version.create": "Saved a new version",
    "version.archive": "Archived a version",
    "version_label.set": "Pointed a version label at a version",
    "version_label.remove": "Removed a version label",
    "draft.create": "Started a draft copy",
    "draft.merge": "Merged a draft copy into a new version",
    "draft.discard": "Discarded a draft copy",
    "playground.run": "Ran a prompt in the playground",
  }),
  ...inArea("Releases", {
    "deployment.promote": "Promoted a version to an environment",
    "deployment.rollback": "Rolled an environment back",
    "deployment.auto_promote": "Promoted a version automatically",
    "deployment.auto_rollback": "Rolled an environment back automatically",
    "environment.create": "Added an environment",
    "environment.update": "Changed an environment's rules",
    "bundle.create": "Created a bundle of prompts",
    "bundle.update": "Changed a bundle's prompts or description",
    "bundle.release": "Released a bundle of prompts to an environment",
    "bundle.rollback": "Rolled a bundle back in an environment",
  }),
  ...inArea("Reviews", {
    "review.request": "Requested a review",
    "review.approve": "Approved a review",
    "review.reject": "Rejected a review",
    "review.cancel": "Cancelled a review request",
    "comment.create": "Commented on a version",
  }),
  ...inArea("Experiments", {
    "experiment.create": "Set up an experiment",
    "experiment.start": "Started an experiment",
    "experiment.reweight": "Changed how an experiment splits traffic",
    "experiment.phase": "Began a new phase of an experiment: a release changed what its arms serve",
    "experiment.stop": "Stopped an experiment",
  }),
  ...inArea("Releases", {
    "rollout.start": "Started a guarded rollout",
    "rollout.advance": "Moved a guarded rollout to its next step",
    "rollout.pause": "Paused a guarded rollout",
    "rollout.resume": "Resumed a guarded rollout",
    "rollout.rollback": "Rolled a guarded rollout back",
    "rollout.complete": "Completed a guarded rollout (the version went live)",
  }),
  ...inArea("Evaluation", {
    "dataset.create": "Created a dataset",
    "dataset.update": "Changed a dataset's details",
    "dataset.items": "Changed a dataset's items",
    "dataset.delete": "Deleted a dataset",
    "eval_run.create": "Started an evaluation run",
    "eval_run.cancel": "Cancelled an evaluation run",
    "evaluation.complete": "Finished an evaluation run",
    "optimization.create": "Started a prompt optimization",
    "optimization.complete": "Finished a prompt optimization (a draft ready for review, or nothing better found)",
    "optimization.cancel": "Cancelled a prompt optimization",
    "online_eval.update": "Changed live quality checks",
    "online_eval.delete": "Turned off live quality checks",
    "annotation.create": "Labelled a live output for judge agreement",
    "alert.create": "Raised a quality alert",
    "alert.acknowledge": "Acknowledged a quality alert",
  }),
  ...inArea("Models", {
    "connection.create": "Added a model connection",
    "connection.update": "Changed a model connection",
    "connection.delete": "Removed a model connection",
    "prices.update": "Changed model prices",
  }),
  ...inArea("People and access", {
    "member.invite": "Invited someone to the project",
    "member.invite_revoke": "Withdrew an invitation",
    "member.join": "Joined the project",
    "member.add": "Added a member",
    "member.role": "Changed a member's role",
    "member.remove": "Removed a member",
    "apikey.create": "Created an API key",
    "apikey.revoke": "Revoked an API key",
    "user.password_change": "Changed their password",
    "user.password_reset_request": "Asked for a password reset link",
    "user.password_reset": "Reset their password with a link",
  }),
  ...inArea("Project", {
    "project.create": "Created the project",
    "snapshot.import": "Imported a project snapshot",
    "webhook.create": "Added a webhook",
    "webhook.delete": "Deleted a webhook",
    "webhook.redeliver": "Sent a webhook event again",
  }),
};

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
