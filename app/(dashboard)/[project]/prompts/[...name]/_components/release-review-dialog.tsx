"use client";

import { useState } from "react";
import { blockedReason } from "@/components/blocked-reasons";
import { ReleasePlanView } from "@/components/release/release-plan";
import { requestReviewAction } from "../_actions";
import { PlanStepAction, type PlanDialogMode } from "./plan-step-action";
import { beyondReview, ReviewAnyway } from "./release-questions";
import { ReleaseBreaking } from "./release-changes";
import { ReleaseShell, usePlanHost, releaseView, useReleaseSubmit, type ReleaseTarget } from "./release-shell";

/**
 * Asks for a review of a version for an environment: its plan (a missing step has its button), and, when the
 * approval could not deploy yet, what is still missing; the request is then made only when the person says so.
 */
export function ReviewRequestDialog({
  release: r,
  onOpen,
}: {
  release: ReleaseTarget;
  onOpen: (mode: PlanDialogMode, environment: string) => void;
}) {
  const { busy, error, setError, submit, breakingError } = useReleaseSubmit(r.onClose);
  const { host, breakingRef } = usePlanHost(r, "review", onOpen, () => setError(null));
  const [deployOnApprove, setDeployOnApprove] = useState(true);
  const { version, environment, actor, plan, current } = releaseView(r);
  // A review whose approval could not deploy yet is requested only when the person says so.
  const reviewIncomplete = deployOnApprove && plan !== null && beyondReview(plan).length > 0;

  function confirm() {
    if (version === undefined) return;
    return submit(
      () =>
        requestReviewAction(r.slug, {
          name: r.prompt,
          environment,
          version,
          message: r.text,
          deployOnApprove,
          acknowledgeMissing: reviewIncomplete,
        }),
      () => `Review requested for version ${version} in ${environment}.`,
    );
  }

  return (
    <ReleaseShell
      release={r}
      mode="review"
      description="An approver will see these changes and approve or reject them."
      error={error}
      busy={busy}
      disabled={false}
      blocked={blockedReason(actor, "review.request")}
      reviewIncomplete={reviewIncomplete}
      deployOnApprove={deployOnApprove}
      onDeployOnApprove={setDeployOnApprove}
      onConfirm={() => void confirm()}
    >
      {plan ? (
        <ReleasePlanView
          plan={plan}
          metOverride={[]}
          action={(step) => <PlanStepAction host={host} plan={plan} step={step} />}
        />
      ) : null}
      {reviewIncomplete && plan ? <ReviewAnyway plan={plan} version={version} environment={environment} /> : null}
      <ReleaseBreaking
        mode="review"
        environment={environment}
        current={current}
        error={breakingError}
        breakingRef={breakingRef}
      />
    </ReleaseShell>
  );
}
