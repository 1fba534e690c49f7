"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { deployPermission, type Actor } from "@/lib/auth/permissions";
import { blockedReason } from "@/components/blocked-reasons";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { breakingByMember, breakingKeys } from "@/lib/release/bundles/bundle-breaking";
import { BundleBreakingChanges } from "@/components/release/bundle-breaking-changes";
import { AlertLine } from "@/components/ui/alert-line";
import { releaseBundleAction, requestBundleReviewAction } from "../_actions";
import {
  BundleNotices,
  BundlePlans,
  BundleVersionFields,
  planSummary,
  ReviewAnywayQuestion,
  useBundlePlans,
  type BundleEnv,
} from "./bundle-release-parts";
import { BundleRolloutStart, type BundleRolloutTarget } from "./bundle-rollout-start";

type Env = BundleEnv;

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the environment serves is part of the key: after a release (the page refreshes) the plans are read again.
  // So is whether a rollout runs there: its end (a rollback makes its versions "rolled back") changes the plans.
  const served = JSON.stringify([
    environments.find((e) => e.name === environment)?.serves ?? {},
    rollouts[environment]?.running ?? false,
  ]);
  const { key, plans } = useBundlePlans(slug, bundle, environment, chosen, served, setError);

  // Changes that break the callers of a protected environment: listed per member, released once a person confirms.
  const breaking = breakingByMember(plans ?? []);
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const confirmedNow = confirmed === key && breaking.length > 0;
  const { blockedSteps, changes, needsReview, beyond, needsRollout, onlyRollout } = planSummary(plans, confirmedNow);
  const env = environments.find((e) => e.name === environment)!;
  const [asking, setAsking] = useState(false);
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
    toast.show(`One review of ${r.data.review.reviews.map((m) => m.prompt).join(", ")} requested for ${environment}.`);
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
    toast.show(`Bundle ${bundle} released to ${environment} (release ${r.data.release.id}).`);
    router.refresh();
  }

  // Busy while the plans are read (the release button's state and colour wait on them); a failed read is not busy.
  return (
    <div className="flex flex-col gap-4" aria-busy={plans || error ? undefined : true}>
      <BundleVersionFields
        environments={environments}
        environment={environment}
        onEnvironment={setEnvironment}
        versions={versions}
        chosen={chosen}
        onChosen={setChosen}
      />
      <BundlePlans plans={plans} />
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
      <BundleNotices
        environment={environment}
        needsRollout={needsRollout}
        blocked={blockedSteps.length && !(needsRollout && onlyRollout) ? blockedSteps.map((p) => p.prompt) : []}
      />
      {asking ? (
        <ReviewAnywayQuestion
          beyond={beyond}
          busy={busy}
          onRequest={() => void requestReview()}
          onNotNow={() => setAsking(false)}
        />
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
