"use client";

import { ReleaseRolledBack, unmetRollback } from "./release-rolled-back";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { Actor } from "@/lib/auth/permissions";
import { sentence } from "@/components/editor/state";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { ReleasePlanView } from "@/components/release/release-plan";
import { decideReviewAction, releasePreviewAction } from "../_actions";
import { openReleaseHref, PlanStepAction, type PlanActionHost } from "./plan-step-action";
import { missingBeyondApproval } from "@/lib/release/plan-approval";
import type { ExperimentAction } from "@/lib/release/composing";
import { choiceMeets, composingChoice, ReleaseExperimentChoice } from "./release-experiments";
import { bundleSummary, reviewDescription, type ReviewView } from "./types";
import { ReleaseDiff } from "./release-changes";
import { ReviewBreaking, useBundleBreaking } from "./review-breaking";
import type { ReleasePreview } from "./release-preview";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";

export type Place = { actor: Actor; environments: { name: string; protected: boolean }[] };

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
  const router = useRouter();
  const done = useDone(onClose);
  const breakingRef = useRef<HTMLDivElement>(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [preview, setPreview] = useState<ReleasePreview | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmedRollback, setConfirmedRollback] = useState(false);
  const [experimentAction, setExperimentAction] = useState<ExperimentAction | undefined>(undefined);
  const rolledBackRef = useRef<HTMLLabelElement>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    releasePreviewAction(slug, { name: review.prompt, environment: review.environment, version: review.version })
      .then((r) => live && (r.ok ? setPreview(r.data) : setPreviewError(r.message)))
      .catch(() => live && setPreviewError("Could not load the changes."));
    return () => {
      live = false;
    };
  }, [slug, review]);

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
  const experimentChoice = review.deployOnApprove ? composingChoice(preview?.plan) : null;
  const experimentChosen = choiceMeets(experimentChoice, experimentAction);
  const elsewhere = preview ? missingBeyondApproval(preview.plan, ["breaking", "rolled_back", "experiments"]) : [];
  const cannotDeploy = review.deployOnApprove && elsewhere.length > 0 && preview?.plan.status !== "live";
  const stillMissing = !review.deployOnApprove && elsewhere.length > 0 && preview?.plan.status !== "live";
  // A promotion or request is made on the prompt's page, where the version's forms are.
  const host: PlanActionHost = {
    slug,
    prompt: review.prompt,
    ...place,
    open: (mode, environment) => {
      onClose();
      router.push(openReleaseHref(slug, review.prompt, review.version, mode, environment));
    },
    confirmBreaking: () => {
      breakingRef.current?.scrollIntoView({ block: "center" });
      breakingRef.current?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
    },
    confirmRolledBack: () => rolledBackRef.current?.querySelector<HTMLInputElement>("input")?.focus(),
  };

  async function decide(decision: "approve" | "reject", deploy?: boolean) {
    setBusy(true);
    setError(null);
    const confirmBreaking = !confirmed ? [] : bundleOf ? (bundle.read?.keys ?? []) : toConfirm.map((c) => c.key);
    const r = await decideReviewAction(slug, {
      id: review.id,
      decision,
      comment,
      confirmBreaking,
      confirmRolledBack: confirmedRollback,
      experimentAction: experimentChosen ? experimentAction : undefined,
      deploy,
    });
    setBusy(false);
    if (!r.ok) return setError({ message: sentence(r.message), field: r.field });
    done(
      decision === "reject"
        ? `Rejected version ${review.version} of ${review.prompt}${bundleOf ? ` and the rest of bundle ${bundleOf.name}'s review` : ""}.`
        : r.data.bundleRelease
          ? `Approved: bundle ${bundleOf?.name} released to ${review.environment} (release ${r.data.bundleRelease}).`
          : r.data.deployed
            ? `Approved: ${review.environment} now serves version ${r.data.deployed.version} of ${review.prompt}.`
            : `Approved version ${review.version} of ${review.prompt} for ${review.environment}.`,
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={`Review ${review.prompt} v${review.version} for ${review.environment}`}
      description={reviewDescription(review, bundleOf, cannotDeploy)}
      footer={
        <>
          <CancelButton onClick={onClose} />
          <Button variant="danger" disabled={busy} onClick={() => void decide("reject")}>
            Reject
          </Button>
          <ReleaseRolledBack
            step={review.ownReason ? null : rolledBack}
            confirmed={confirmedRollback}
            onConfirmed={setConfirmedRollback}
            confirmRef={rolledBackRef}
          />
          {bundleOf?.deploys ? (
            <GatedButton
              variant="secondary"
              disabled={busy}
              blockedReason={review.ownReason}
              onClick={() => void decide("approve", false)}
            >
              Approve without releasing
            </GatedButton>
          ) : null}
          {cannotDeploy ? (
            <GatedButton
              variant="secondary"
              disabled={busy}
              blockedReason={review.ownReason}
              onClick={() => void decide("approve", false)}
            >
              Approve without deploying
            </GatedButton>
          ) : null}
          <GatedButton
            disabled={
              busy ||
              (needsConfirmation && !confirmed) ||
              cannotDeploy ||
              (rolledBack !== null && !confirmedRollback) ||
              (experimentChoice !== null && !experimentChosen)
            }
            blockedReason={review.ownReason}
            onClick={() => void decide("approve")}
          >
            {bundleOf?.deploys
              ? `Approve and release ${bundleOf.name}`
              : review.deployOnApprove
                ? `Approve and deploy to ${review.environment}`
                : "Approve"}
          </GatedButton>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        {review.ownReason ? (
          <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800" data-testid="approve-blocked-reason">
            {review.ownReason} You can still reject it, or leave a comment.
          </p>
        ) : null}
        {review.message ? (
          <blockquote className="rounded-md border-l-4 border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-800">
            {review.message}
          </blockquote>
        ) : null}
        {preview ? (
          <ReleasePlanView
            plan={preview.plan}
            metOverride={[
              ...(confirmed ? (["breaking"] as const) : []),
              ...(confirmedRollback ? (["rolled_back"] as const) : []),
              ...(experimentChosen ? (["experiments"] as const) : []),
            ]}
            awaiting={{ review: "Waiting for approval: approving this review meets it." }}
            action={(step) => <PlanStepAction host={host} plan={preview.plan} step={step} />}
            title={`What version ${review.version} needs before ${review.environment} (with your approval)`}
          />
        ) : null}
        <ReleaseExperimentChoice
          choice={experimentChoice}
          value={experimentAction}
          onChange={setExperimentAction}
          prompt={review.prompt}
          version={review.version}
          environment={review.environment}
          actor={place.actor}
        />
        {cannotDeploy ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="approve-cannot-deploy">
            Approving cannot deploy version {review.version} to {review.environment} yet:{" "}
            {elsewhere.map((s) => s.title.toLowerCase()).join("; ")}. You can approve it without deploying; it can be
            promoted once these are done.
          </p>
        ) : null}
        {stillMissing ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="approve-still-missing">
            Approving does not deploy it, and version {review.version} still needs more before {review.environment} can
            serve it: {elsewhere.map((s) => s.title.toLowerCase()).join("; ")}.
          </p>
        ) : null}
        <Textarea
          label="Comment"
          id="review-comment"
          rows={2}
          value={comment}
          onValue={setComment}
          placeholder="Why you approve or reject (shown to the requester)"
        />
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
        {error && (error.field !== "confirmBreaking" || !askConfirmation) ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        ) : null}
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
