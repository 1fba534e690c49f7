"use client";

import { ReleaseRolledBack, unmetRollback } from "./release-rolled-back";
import { useState } from "react";
import { sentence } from "@/components/editor/state";
import { Dialog } from "@/components/ui/dialog";
import { ReleasePlanView } from "@/components/release/release-plan";
import { decideReviewAction } from "../_actions";
import { PlanStepAction } from "./plan-step-action";
import { missingBeyondApproval } from "@/lib/release/plan/plan-approval";
import { useExperimentChoice } from "./release-experiments";
import { bundleSummary, reviewDescription, type ReviewView } from "./types";
import { ReleaseDiff } from "./release-changes";
import { ReviewBreaking, useBundleBreaking } from "./review-breaking";
import {
  decidedMessage,
  DecisionError,
  DecideButtons,
  ReviewComment,
  ReviewRequestNotes,
  ReviewStillMissing,
  useReviewHost,
  useReviewPreview,
  type Place,
} from "./review-decision-parts";
import { useDone } from "@/components/forms/use-done";
import { useField } from "@/components/forms/use-field";

export type { Place };

export function DecideDialog({
  slug,
  review,
  place,
  onClose,
}: {
  slug: string;
  review: ReviewView;
  place: Place;
  onClose: () => void;
}) {
  const done = useDone(onClose);
  const { host, breakingRef, rolledBackRef } = useReviewHost(slug, review, place, onClose);
  const comment = useField();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmedRollback, setConfirmedRollback] = useState(false);
  const { preview, previewError } = useReviewPreview(slug, review);

  const bundleOf = bundleSummary(review);
  const bundle = useBundleBreaking(slug, review);
  const breaking = preview && preview.live !== review.version ? preview.compat.breaking : [];
  // Approving deploys (a bundle's: releases it): breaking changes need the same confirmation as a promotion,
  // as the plan says (preview.toConfirm). A bundle's are its members', from their plans (unknown while read).
  const toConfirm = preview && preview.live !== review.version ? preview.toConfirm : [];
  const needsConfirmation = bundleOf
    ? bundleOf.deploys && (bundle.loading || Boolean(bundle.read?.keys.length))
    : review.deployOnApprove && toConfirm.length > 0;
  const askConfirmation = needsConfirmation && !review.ownReason && !bundle.loading;
  // What an approval cannot give: the plan's other missing steps. Approving then cannot deploy yet.
  // The rollback step is the approver's to confirm here when approving deploys.
  const rolledBack = review.deployOnApprove ? unmetRollback(preview?.plan) : null;
  // A partial's release that changes a running experiment's arms: the approver chooses what happens.
  const experiment = useExperimentChoice(
    { ...review, actor: place.actor },
    review.deployOnApprove ? preview?.plan : null,
  );
  const elsewhere = preview ? missingBeyondApproval(preview.plan, ["breaking", "rolled_back", "experiments"]) : [];
  const cannotDeploy = review.deployOnApprove && elsewhere.length > 0 && preview?.plan.status !== "live";
  const stillMissing = !review.deployOnApprove && elsewhere.length > 0 && preview?.plan.status !== "live";
  async function decide(decision: "approve" | "reject", deploy?: boolean) {
    setBusy(true);
    setError(null);
    const confirmBreaking = !confirmed ? [] : bundleOf ? (bundle.read?.keys ?? []) : toConfirm.map((c) => c.key);
    const r = await decideReviewAction(slug, {
      id: review.id,
      decision,
      comment: comment.value,
      confirmBreaking,
      confirmRolledBack: confirmedRollback,
      experimentAction: experiment.chosen ? experiment.action : undefined,
      deploy,
    });
    setBusy(false);
    if (!r.ok) return setError({ message: sentence(r.message), field: r.field });
    done(decidedMessage(decision, review, bundleOf, r.data));
  }

  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={`Review ${review.prompt} v${review.version} for ${review.environment}`}
      description={reviewDescription(review, bundleOf, cannotDeploy)}
      footer={
        <DecideButtons
          review={review}
          bundle={bundleOf}
          busy={busy}
          cannotDeploy={cannotDeploy}
          approveDisabled={
            busy ||
            (needsConfirmation && !confirmed) ||
            cannotDeploy ||
            (rolledBack !== null && !confirmedRollback) ||
            (experiment.choice !== null && !experiment.chosen)
          }
          confirmRollback={
            <ReleaseRolledBack
              step={review.ownReason ? null : rolledBack}
              confirmed={confirmedRollback}
              onConfirmed={setConfirmedRollback}
              confirmRef={rolledBackRef}
            />
          }
          onClose={onClose}
          onDecide={(decision, deploy) => void decide(decision, deploy)}
        />
      }
    >
      <div className="flex flex-col gap-4">
        <ReviewRequestNotes review={review} />
        {preview ? (
          <ReleasePlanView
            plan={preview.plan}
            metOverride={[
              ...(confirmed ? (["breaking"] as const) : []),
              ...(confirmedRollback ? (["rolled_back"] as const) : []),
              ...(experiment.chosen ? (["experiments"] as const) : []),
            ]}
            awaiting={{ review: "Waiting for approval: approving this review meets it." }}
            action={(step) => <PlanStepAction host={host} plan={preview.plan} step={step} />}
            title={`What version ${review.version} needs before ${review.environment} (with your approval)`}
          />
        ) : null}
        {experiment.field}
        <ReviewStillMissing
          review={review}
          elsewhere={elsewhere}
          cannotDeploy={cannotDeploy}
          stillMissing={stillMissing}
        />
        <ReviewComment comment={comment} />
        <ReviewBreaking
          review={review}
          preview={preview}
          breaking={breaking}
          bundle={bundleOf ? bundle : null}
          confirm={
            askConfirmation
              ? {
                  checked: confirmed,
                  onChange: setConfirmed,
                  error: error?.field === "confirmBreaking" ? error.message : undefined,
                }
              : undefined
          }
          confirmRef={breakingRef}
        />
        <DecisionError error={error && (error.field !== "confirmBreaking" || !askConfirmation) ? error : null} />
        <ReleaseDiff
          preview={preview}
          previewError={previewError}
          environment={review.environment}
          version={review.version}
        />
      </div>
    </Dialog>
  );
}
