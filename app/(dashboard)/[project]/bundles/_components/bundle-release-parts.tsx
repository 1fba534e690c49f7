"use client";

import { useEffect, useState } from "react";
import type { ReleasePlan } from "@/lib/release/plan/plan";
import { ReleasePlanView } from "@/components/release/release-plan";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { missingBeyondApproval } from "@/lib/release/plan/plan-approval";
import { bundlePlanAction } from "../_actions";

export type BundleEnv = { name: string; protected: boolean; serves: Record<string, number | null> };
type MemberPlan = { prompt: string; plan: ReleasePlan | null };

/**
 * Every member's release plan for the versions chosen, read again when the choice or what the environment serves
 * changes; the plans returned are those of the choice now, never an earlier one's. A refusal goes to `onError`.
 */
export function useBundlePlans(
  slug: string,
  bundle: string,
  environment: string,
  chosen: Record<string, number>,
  served: string,
  onError: (message: string) => void,
) {
  const [read, setRead] = useState<{ key: string; plans: MemberPlan[] } | null>(null);
  const key = JSON.stringify([environment, chosen, served]);
  useEffect(() => {
    let stale = false;
    const asked = JSON.stringify([environment, chosen, served]);
    void bundlePlanAction(slug, { name: bundle, environment, versions: chosen }).then((r) => {
      if (stale) return;
      if (r.ok) setRead({ key: asked, plans: r.data });
      else onError(r.message);
    });
    return () => {
      stale = true;
    };
  }, [slug, bundle, environment, chosen, served, onError]);
  return { key, plans: read?.key === key ? read.plans : null };
}

/** The environment, and a version of every member (each says when that environment serves it). */
export function BundleVersionFields({
  environments,
  environment,
  onEnvironment,
  versions,
  chosen,
  onChosen,
}: {
  environments: BundleEnv[];
  environment: string;
  onEnvironment: (name: string) => void;
  versions: Record<string, number[]>;
  chosen: Record<string, number>;
  onChosen: (chosen: Record<string, number>) => void;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
      <Select label="Environment" name="bundle-environment" value={environment} onValue={onEnvironment}>
        {environments.map((e) => (
          <option key={e.name} value={e.name}>
            {e.name}
          </option>
        ))}
      </Select>
      {Object.entries(versions).map(([member, vs]) => (
        <Select
          key={member}
          id={`bundle-version-${member}`}
          label={`${member} version`}
          value={chosen[member]}
          onChange={(e) => onChosen({ ...chosen, [member]: Number(e.target.value) })}
        >
          {vs.map((v) => (
            <option key={v} value={v}>
              v{v}
              {environments.find((x) => x.name === environment)?.serves[member] === v
                ? ` (${environment} serves it)`
                : ""}
            </option>
          ))}
        </Select>
      ))}
    </div>
  );
}

/** Every member's plan, side by side, once read. */
export function BundlePlans({ plans }: { plans: MemberPlan[] | null }) {
  return plans ? (
    <div className="grid grid-cols-1 gap-3 lg:grid-cols-2" data-testid="bundle-plans">
      {plans.map((p) =>
        p.plan ? (
          <div key={p.prompt} data-member-plan={p.prompt} className="rounded-md border border-slate-200 p-3">
            <ReleasePlanView plan={p.plan} title={p.prompt} compact />
          </div>
        ) : null,
      )}
    </div>
  ) : (
    <p role="status" className="text-sm text-slate-500">
      Reading each member&apos;s release plan…
    </p>
  );
}

/** Why the release button cannot release: every release there is a guarded rollout, or members miss steps. */
export function BundleNotices({
  environment,
  needsRollout,
  blocked,
}: {
  environment: string;
  needsRollout: boolean;
  /** The members that miss steps of the plan (none when only the rollout is missing and one is needed). */
  blocked: string[];
}) {
  return (
    <>
      {needsRollout ? (
        <p className="text-sm text-amber-900" data-testid="bundle-needs-rollout">
          Every release to {environment} is a guarded rollout: start one with these versions instead (Start a guarded
          rollout, beside the release button); its last step releases the bundle.
        </p>
      ) : null}
      {blocked.length ? (
        <p className="text-sm text-amber-900" data-testid="bundle-blocked">
          Not yet: {blocked.join(", ")} {blocked.length === 1 ? "misses" : "miss"} steps of {environment}&apos;s release
          plan (above). The bundle goes live only when every member may.
        </p>
      ) : null}
    </>
  );
}

/** Approving could not release the bundle yet: the review is requested only when the person says so. */
export function ReviewAnywayQuestion({
  beyond,
  busy,
  onRequest,
  onNotNow,
}: {
  beyond: string[];
  busy: boolean;
  onRequest: () => void;
  onNotNow: () => void;
}) {
  return (
    <div
      role="group"
      aria-label="Request the review anyway?"
      className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
      data-testid="bundle-review-question"
    >
      <p>
        Approving cannot release the bundle yet: {beyond.join("; ")}. Request the review anyway, to have it reviewed
        meanwhile?
      </p>
      <div className="mt-2 flex gap-2">
        <Button onClick={onRequest} disabled={busy}>
          Request anyway
        </Button>
        <Button variant="secondary" onClick={onNotNow}>
          Not now
        </Button>
      </div>
    </div>
  );
}

/** What the members' plans say about releasing them now (a confirmation given here passes "breaking"). */
export function planSummary(read: MemberPlan[] | null, confirmedNow: boolean) {
  const plans = read ?? [];
  const blockedSteps = plans.filter(
    (p) => p.plan?.status === "blocked" && !(confirmedNow && p.plan.steps.every((s) => s.met || s.id === "breaking")),
  );
  const changes = plans.filter((p) => p.plan && p.plan.status !== "live").length;
  // One review for every member a release changes: offered when a member's plan misses its review.
  const needsReview = plans.some((p) => p.plan?.steps.some((s) => s.id === "review" && !s.met));
  const beyond = plans.flatMap((p) =>
    p.plan && p.plan.status !== "live"
      ? missingBeyondApproval(p.plan, ["breaking"]).map((s) => `${p.prompt}: ${s.title.toLowerCase()}`)
      : [],
  );
  // The environment's rule makes every release a guarded rollout: the form points to one instead.
  const needsRollout = plans.some((p) => p.plan?.steps.some((s) => s.id === "rollout" && !s.met));
  const onlyRollout = blockedSteps.every((p) => p.plan!.steps.every((s) => s.met || s.id === "rollout"));
  return { blockedSteps, changes, needsReview, beyond, needsRollout, onlyRollout };
}
