"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { deployPermission, type Actor } from "@/lib/auth/permissions";
import type { ReleasePlan } from "@/lib/release/plan";
import { ReleasePlanView } from "@/components/release/release-plan";
import { blockedReason } from "@/components/permissions";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useToast } from "@/components/ui/toast";
import { missingBeyondApproval } from "@/lib/release/plan-approval";
import { breakingByMember, breakingKeys } from "@/lib/release/bundle-breaking";
import { BundleBreakingChanges } from "@/components/release/bundle-breaking-changes";
import { Button } from "@/components/ui/button";
import { AlertLine } from "@/components/ui/alert-line";
import { bundlePlanAction, releaseBundleAction, requestBundleReviewAction } from "../_actions";
import { BundleRolloutStart, type BundleRolloutTarget } from "./bundle-rollout-start";

type Env = { name: string; protected: boolean; serves: Record<string, number | null> };

/**
 * The bundle's release form: an environment, a version of every member (what that environment serves, else
 * the newest, to start with), every member's release plan before anyone clicks, then one release, or a
 * guarded rollout of those versions (the only way where the environment's rule makes every release one).
 */
export function BundleRelease({
  slug,
  bundle,
  environments,
  versions,
  actor,
  rollouts,
}: {
  slug: string;
  bundle: string;
  environments: Env[];
  versions: Record<string, number[]>;
  actor: Actor;
  /** Per environment, what the guarded-rollout form starts from. */
  rollouts: Record<string, BundleRolloutTarget>;
}) {
  const router = useRouter();
  const toast = useToast();
  const [environment, setEnvironment] = useState(environments.at(-1)!.name);
  const [chosen, setChosen] = useState<Record<string, number>>(() =>
    Object.fromEntries(Object.entries(versions).map(([n, vs]) => [n, vs[0]!])),
  );
  const [reason, setReason] = useState("");
  const [read, setRead] = useState<{ key: string; plans: { prompt: string; plan: ReleasePlan | null }[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the environment serves is part of the key: after a release (the page refreshes) the plans are read again.
  // So is whether a rollout runs there: its end (a rollback makes its versions "rolled back") changes the plans.
  const served = JSON.stringify([
    environments.find((e) => e.name === environment)?.serves ?? {},
    rollouts[environment]?.running ?? false,
  ]);
  const key = JSON.stringify([environment, chosen, served]);
  // The plans shown are those of the versions chosen now, never an earlier choice's.
  const plans = read?.key === key ? read.plans : null;

  useEffect(() => {
    let stale = false;
    const asked = JSON.stringify([environment, chosen, served]);
    void bundlePlanAction(slug, { name: bundle, environment, versions: chosen }).then((r) => {
      if (stale) return;
      if (r.ok) setRead({ key: asked, plans: r.data });
      else setError(r.message);
    });
    return () => {
      stale = true;
    };
  }, [slug, bundle, environment, chosen, served]);

  // Changes that break the callers of a protected environment: listed per member, released once a person confirms.
  const breaking = breakingByMember(plans ?? []);
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const confirmedNow = confirmed === key && breaking.length > 0;
  const blockedSteps = (plans ?? []).filter(
    (p) => p.plan?.status === "blocked" && !(confirmedNow && p.plan.steps.every((s) => s.met || s.id === "breaking")),
  );
  const changes = (plans ?? []).filter((p) => p.plan && p.plan.status !== "live").length;
  const env = environments.find((e) => e.name === environment)!;
  // One review for every member a release changes: offered when a member's plan misses its review.
  const needsReview = (plans ?? []).some((p) => p.plan?.steps.some((s) => s.id === "review" && !s.met));
  const beyond = (plans ?? []).flatMap((p) =>
    p.plan && p.plan.status !== "live"
      ? missingBeyondApproval(p.plan, ["breaking"]).map((s) => `${p.prompt}: ${s.title.toLowerCase()}`)
      : [],
  );
  const [asking, setAsking] = useState(false);
  // The environment's rule makes every release a guarded rollout: the form points to one instead.
  const needsRollout = (plans ?? []).some((p) => p.plan?.steps.some((s) => s.id === "rollout" && !s.met));
  const onlyRollout = blockedSteps.every((p) => p.plan!.steps.every((s) => s.met || s.id === "rollout"));
  const rolloutChanges = Object.keys(versions)
    .filter((m) => env.serves[m] !== chosen[m])
    .map((m) => `${m} ${env.serves[m] == null ? "(nothing live)" : `v${env.serves[m]}`} → v${chosen[m]}`);

  async function requestReview() {
    if (beyond.length && !asking) return setAsking(true);
    setBusy(true);
    setError(null);
    const r = await requestBundleReviewAction(slug, {
      name: bundle,
      environment,
      versions: chosen,
      message: reason,
      acknowledgeMissing: beyond.length > 0,
    });
    setBusy(false);
    setAsking(false);
    if (!r.ok) return setError(r.message);
    toast.show(`One review of ${r.data.members.join(", ")} requested for ${environment}.`);
    router.refresh();
  }

  async function release() {
    setBusy(true);
    setError(null);
    const r = await releaseBundleAction(slug, {
      name: bundle,
      environment,
      versions: chosen,
      reason,
      ...(confirmedNow ? { confirmBreaking: breakingKeys(breaking) } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    toast.show(`Bundle ${bundle} released to ${environment} (release ${r.data.id}).`);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Select label="Environment" name="bundle-environment" value={environment} onValue={setEnvironment}>
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
            onChange={(e) => setChosen({ ...chosen, [member]: Number(e.target.value) })}
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
      {plans ? (
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
        <p className="text-sm text-slate-500">Reading each member&apos;s release plan…</p>
      )}
      <BundleBreakingChanges
        bundle={bundle}
        members={breaking}
        confirm={{
          environment,
          checked: confirmedNow,
          onChange: (checked) => setConfirmed(checked ? key : null),
        }}
      />
      <Input label="Reason (optional)" name="bundle-reason" value={reason} onValue={setReason} />
      <AlertLine message={error} look="box" />
      {needsRollout ? (
        <p className="text-sm text-amber-900" data-testid="bundle-needs-rollout">
          Every release to {environment} is a guarded rollout: start one with these versions instead (Start a guarded
          rollout, beside the release button); its last step releases the bundle.
        </p>
      ) : null}
      {blockedSteps.length && !(needsRollout && onlyRollout) ? (
        <p className="text-sm text-amber-900" data-testid="bundle-blocked">
          Not yet: {blockedSteps.map((p) => p.prompt).join(", ")} {blockedSteps.length === 1 ? "misses" : "miss"} steps
          of {environment}&apos;s release plan (above). The bundle goes live only when every member may.
        </p>
      ) : null}
      {asking ? (
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
            <Button onClick={() => void requestReview()} disabled={busy}>
              Request anyway
            </Button>
            <Button variant="secondary" onClick={() => setAsking(false)}>
              Not now
            </Button>
          </div>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {needsReview ? (
          <GatedButton
            variant="secondary"
            onClick={() => void requestReview()}
            disabled={busy || asking}
            blockedReason={blockedReason(actor, "review.request")}
          >
            Request one review of the bundle
          </GatedButton>
        ) : null}
        <GatedButton
          onClick={() => void release()}
          disabled={busy || !plans || blockedSteps.length > 0 || changes === 0}
          blockedReason={blockedReason(actor, deployPermission(env))}
        >
          {busy
            ? "Releasing…"
            : changes === 0 && plans
              ? `${environment} serves these versions`
              : `Release to ${environment}`}
        </GatedButton>
        {rollouts[environment] ? (
          <BundleRolloutStart
            slug={slug}
            bundle={bundle}
            environment={environment}
            versions={chosen}
            changes={rolloutChanges}
            target={rollouts[environment]}
          />
        ) : null}
      </div>
    </div>
  );
}
