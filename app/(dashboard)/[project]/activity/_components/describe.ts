// Audit entries in words, for the Activity page.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

export const actionLabels: Record<string, string> = {
  "prompt.create": "created a prompt",
  "version.create": "saved a version",
  "draft.create": "started a draft copy",
  "draft.merge": "merged a draft",
  "draft.discard": "discarded a draft",
  "deployment.promote": "promoted",
  "deployment.rollback": "rolled back",
  "deployment.auto_rollback": "rolled back automatically",
  "deployment.auto_promote": "promoted automatically",
  "review.request": "requested a review",
  "review.approve": "approved a review",
  "review.reject": "rejected a review",
  "review.cancel": "cancelled a review",
  "member.add": "added a member",
  "member.role": "changed a role",
  "member.remove": "removed a member",
  "apikey.create": "created an API key",
  "apikey.revoke": "revoked an API key",
  "environment.create": "created an environment",
  "environment.update": "changed environment rules",
  "project.create": "created the project",
  "experiment.create": "defined an experiment",
  "experiment.start": "started an experiment",
  "experiment.reweight": "changed experiment weights",
  "experiment.stop": "stopped an experiment",
  "eval_run.create": "started an evaluation run",
  "eval_run.cancel": "cancelled an evaluation run",
  "evaluation.complete": "finished an evaluation run",
  "alert.create": "raised an alert",
  "alert.acknowledge": "acknowledged an alert",
  "webhook.create": "added a webhook",
  "webhook.delete": "deleted a webhook",
  "webhook.redeliver": "redelivered a webhook event",
  "dataset.create": "created a dataset",
  "dataset.update": "changed a dataset",
  "dataset.delete": "deleted a dataset",
  "dataset.items": "changed dataset items",
};

export function describe(action: string, before: unknown, after: unknown): string {
  const b = obj(before);
  const a = obj(after);
  switch (action) {
    case "prompt.create":
      return `${str(a.name)} v${str(a.version)}`;
    case "version.create":
    case "draft.merge":
      return `v${str(a.version)}${a.commitMessage ? `: “${str(a.commitMessage)}”` : ""}`;
    case "deployment.promote":
    case "deployment.rollback":
    case "deployment.auto_rollback":
    case "deployment.auto_promote":
      return `${str(a.environment)}: ${b.version !== undefined ? `v${str(b.version)} → ` : ""}v${str(a.version)}${a.reason ? ` (“${str(a.reason)}”)` : ""}`;
    case "review.request":
      return `${str(a.prompt)} v${str(a.version)} for ${str(a.environment)}`;
    case "review.approve":
    case "review.reject":
      return a.comment ? `“${str(a.comment)}”` : "";
    case "draft.create":
      return `${str(a.prompt)}: “${str(a.name)}” from v${str(a.baseVersion)}`;
    case "member.add":
      return `${str(a.email)} as ${str(a.role)}`;
    case "member.role":
      return `${str(b.role)} → ${str(a.role)}`;
    case "apikey.create":
      return `${str(a.name)} (${str(a.scope)})`;
    case "environment.create":
      return str(a.name);
    case "project.create":
      return `${str(a.name)} (${str(a.slug)})`;
    case "experiment.create":
      return `“${str(a.name)}” on ${str(a.prompt)} in ${str(a.environment)} (${str(a.mode)})`;
    case "experiment.start":
      return `${str(a.prompt)} in ${str(a.environment)}`;
    case "experiment.reweight":
      return `${str(a.prompt)} in ${str(a.environment)}: ${Object.entries(obj(a.weights))
        .map(([k, v]) => `${k} ${Math.round(Number(v) * 100)}%`)
        .join(", ")}${a.reason ? ` (“${str(a.reason)}”)` : ""}`;
    case "experiment.stop": {
      const d = obj(a.decision);
      const what = d.ship ? `shipped ${str(d.ship)}` : "kept the control";
      return `${str(a.prompt)} in ${str(a.environment)}: ${what}${d.reason ? ` (“${str(d.reason)}”)` : ""}`;
    }
    case "environment.update":
      return Object.entries(a)
        .map(([k, v]) => `${k}: ${str(b[k])} → ${str(v)}`)
        .join(", ");
    case "evaluation.complete":
      return `${str(a.prompt)} v${str(a.version)} on ${str(a.dataset)} (dataset v${str(a.datasetVersion)}): ${a.status === "completed" && typeof a.score === "number" ? `score ${Math.round(a.score * 1000) / 10}%` : str(a.status)}`;
    default:
      return after ? str(after).slice(0, 120) : "";
  }
}
