// The release plan's rules that read only the facts (plan.ts): live in another environment first, an approved
// review, a guarded rollout, confirmed breaking changes; and the notices of what a release also does.
import { unconfirmed } from "../../registry/changes/compat";
import type { PlanFacts, PlanNotice, PlanOptions, PlanStep } from "./plan";

export function liveInStep(f: PlanFacts, servedBefore: boolean): PlanStep | null {
  const env = f.environment.name;
  const v = f.version;
  if (!f.environment.requiresLiveIn) return null;
  const other = f.environment.requiresLiveIn;
  const met = f.wasLiveIn.includes(other) || servedBefore;
  return {
    id: "live_in",
    met,
    title: `Live in ${other} first`,
    detail: f.wasLiveIn.includes(other)
      ? `Version ${v} has been live in ${other}.`
      : met
        ? `Version ${v} has not been live in ${other}, but ${env} served it before.`
        : `Version ${v} has not been live in ${other} yet.`,
    action: met ? null : { kind: "promote", environment: other, version: v },
  };
}

export function reviewStep(f: PlanFacts, servedBefore: boolean): PlanStep | null {
  const env = f.environment.name;
  const v = f.version;
  if (!f.environment.requiresReview) return null;
  const { approved, pending } = f.reviews;
  const met = approved !== null || servedBefore;
  return {
    id: "review",
    met,
    title: "An approved review by someone else",
    detail: approved
      ? `Approved${approved.by ? ` by ${approved.by}` : ""}.`
      : met
        ? `No approved review, but ${env} served version ${v} before.`
        : pending
          ? `A review is waiting for an approver${pending.by ? ` (requested by ${pending.by})` : ""}.`
          : `Nobody has requested a review of version ${v} for ${env} yet.`,
    action: met
      ? null
      : pending
        ? { kind: "decide_review", review: pending.id }
        : { kind: "request_review", environment: env, version: v },
  };
}

export function rolloutStep(f: PlanFacts, purpose: PlanOptions["purpose"]): PlanStep | null {
  const env = f.environment.name;
  const v = f.version;
  if (!(f.environment.guardedRollout && f.live !== null && f.live !== v)) return null;
  const met = purpose === "rollout" || purpose === "experiment";
  return {
    id: "rollout",
    met,
    title: "A guarded rollout",
    detail: met
      ? purpose === "rollout"
        ? `Every release to ${env} is a guarded rollout: this is one.`
        : `Every release to ${env} is a guarded rollout; an experiment's variant serves live traffic under its own analysis.`
      : `Every release to ${env} is a guarded rollout: version ${v} ramps by steps under its guardrails instead of going live at once.`,
    action: met ? null : { kind: "start_rollout", environment: env, version: v },
  };
}

// A return to a version served here before is a rollback's move: callers were served it already.
export function breakingStep(
  f: PlanFacts,
  servedBefore: boolean,
  confirmBreaking: NonNullable<PlanOptions["confirmBreaking"]>,
): PlanStep | null {
  const env = f.environment.name;
  const v = f.version;
  if (!(f.environment.protected && f.breaking.length && f.live !== null && f.live !== v && !servedBefore)) return null;
  const left = unconfirmed(f.breaking, confirmBreaking);
  return {
    id: "breaking",
    met: left.length === 0,
    title: "Breaking changes confirmed",
    detail: left.length
      ? `${left.length === 1 ? "One change breaks" : `${left.length} changes break`} applications using ${env}: ${left.map((c) => c.message).join(" ")}`
      : `The ${f.breaking.length === 1 ? "change that breaks" : `${f.breaking.length} changes that break`} applications using ${env} ${f.breaking.length === 1 ? "is" : "are"} confirmed.`,
    action: left.length ? { kind: "confirm_breaking", keys: left.map((c) => c.key) } : null,
    breaking: f.breaking,
  };
}

/** What the release will also do, or why it is allowed, beside its steps. */
export function planNotices(f: PlanFacts, servedBefore: boolean, purpose: PlanOptions["purpose"]): PlanNotice[] {
  const env = f.environment.name;
  const v = f.version;
  const notices: PlanNotice[] = [];
  if (f.live !== v)
    for (const e of f.experiments)
      notices.push({
        kind: "stops_experiment",
        experiment: e,
        message: `Experiment “${e.name}” runs on ${f.prompt} in ${env}; ${purpose === "experiment" ? "it must be stopped first" : "this release stops it"}.`,
      });
  if (servedBefore)
    notices.push({
      kind: "served_before",
      message: `${env} served version ${v} before, so the experiment may serve it as a rollback could.`,
    });

  const outside = f.skillFieldsOutsideSpec ?? [];
  if (outside.length && f.live !== v)
    notices.push({
      kind: "skill_fields",
      message: `Version ${v}'s SKILL.md has fields outside the Agent Skills specification (${outside.join(", ")}), which the reference validator refuses; it was saved before Lectern moved such fields under metadata. A new version moves them.`,
    });
  return notices;
}
