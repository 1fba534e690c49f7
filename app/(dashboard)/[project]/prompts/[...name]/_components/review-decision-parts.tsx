"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import type { Actor } from "@/lib/auth/permissions";
import type { PlanStep } from "@/lib/release/plan/plan";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { CancelButton } from "@/components/forms/cancel-button";
import type { Field } from "@/components/forms/use-field";
import { releasePreviewAction } from "../_actions";
import { openReleaseHref, type PlanActionHost } from "./plan-step-action";
import type { ReleasePreview } from "./release-preview";
import { bundleSummary, type ReviewView } from "./types";

type Bundle = ReturnType<typeof bundleSummary>;

/** Who reviews, and the project's environments (who may deploy where depends on their protection). */
export type Place = { actor: Actor; environments: { name: string; protected: boolean }[] };

/**
 * What the plan's step buttons do in the review dialog: a promotion or request is made on the prompt's page,
 * where the version's forms are; the confirmations are brought into view here.
 */
export function useReviewHost(slug: string, review: ReviewView, place: Place, onClose: () => void) {
  const router = useRouter();
  const breakingRef = useRef<HTMLDivElement>(null);
  const rolledBackRef = useRef<HTMLLabelElement>(null);
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
  return { host, breakingRef, rolledBackRef };
}

/** The preview of the reviewed version for its environment, read once the dialog opens. */
export function useReviewPreview(slug: string, review: ReviewView) {
  const [preview, setPreview] = useState<ReleasePreview | null>(null);
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
  return { preview, previewError };
}

/** What the toast says once the decision is recorded. */
export function decidedMessage(
  decision: "approve" | "reject",
  review: ReviewView,
  bundle: Bundle,
  data: { bundleRelease?: { id: number } | null; deployed?: { version: number } | null },
) {
  if (decision === "reject")
    return `Rejected version ${review.version} of ${review.prompt}${bundle ? ` and the rest of bundle ${bundle.name}'s review` : ""}.`;
  if (data.bundleRelease)
    return `Approved: bundle ${bundle?.name} released to ${review.environment} (release ${data.bundleRelease.id}).`;
  if (data.deployed)
    return `Approved: ${review.environment} now serves version ${data.deployed.version} of ${review.prompt}.`;
  return `Approved version ${review.version} of ${review.prompt} for ${review.environment}.`;
}

/**
 * The review dialog's buttons: reject, the rollback confirmation when approving deploys, approve without
 * releasing (a bundle's) or without deploying (when it cannot yet), and approve.
 */
export function DecideButtons({
  review,
  bundle,
  busy,
  cannotDeploy,
  approveDisabled,
  confirmRollback,
  onClose,
  onDecide,
}: {
  review: ReviewView;
  bundle: Bundle;
  busy: boolean;
  cannotDeploy: boolean;
  approveDisabled: boolean;
  confirmRollback: ReactNode;
  onClose: () => void;
  onDecide: (decision: "approve" | "reject", deploy?: boolean) => void;
}) {
  /** Approves without deploying now (a bundle's release, or a deployment its plan does not allow yet). */
  const approveOnly = (label: string) => (
    <GatedButton
      variant="secondary"
      disabled={busy}
      blockedReason={review.ownReason}
      onClick={() => onDecide("approve", false)}
    >
      {label}
    </GatedButton>
  );
  return (
    <>
      <CancelButton onClick={onClose} />
      <Button variant="danger" disabled={busy} onClick={() => onDecide("reject")}>
        Reject
      </Button>
      {confirmRollback}
      {bundle?.deploys ? approveOnly("Approve without releasing") : null}
      {cannotDeploy ? approveOnly("Approve without deploying") : null}
      <GatedButton disabled={approveDisabled} blockedReason={review.ownReason} onClick={() => onDecide("approve")}>
        {bundle?.deploys
          ? `Approve and release ${bundle.name}`
          : review.deployOnApprove
            ? `Approve and deploy to ${review.environment}`
            : "Approve"}
      </GatedButton>
    </>
  );
}

/** Why this approver cannot approve, and what the requester wrote. */
export function ReviewRequestNotes({ review }: { review: ReviewView }) {
  return (
    <>
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
    </>
  );
}

/** What the plan still misses beyond this approval: approving cannot deploy yet, or does not deploy at all. */
export function ReviewStillMissing({
  review,
  elsewhere,
  cannotDeploy,
  stillMissing,
}: {
  review: ReviewView;
  elsewhere: PlanStep[];
  cannotDeploy: boolean;
  stillMissing: boolean;
}) {
  const missing = elsewhere.map((s) => s.title.toLowerCase()).join("; ");
  return (
    <>
      {cannotDeploy ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="approve-cannot-deploy">
          Approving cannot deploy version {review.version} to {review.environment} yet: {missing}. You can approve it
          without deploying; it can be promoted once these are done.
        </p>
      ) : null}
      {stillMissing ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="approve-still-missing">
          Approving does not deploy it, and version {review.version} still needs more before {review.environment} can
          serve it: {missing}.
        </p>
      ) : null}
    </>
  );
}

/** The approver's comment, shown to the requester. */
export function ReviewComment({ comment }: { comment: Field }) {
  return (
    <Textarea
      label="Comment"
      id="review-comment"
      rows={2}
      {...comment}
      placeholder="Why you approve or reject (shown to the requester)"
    />
  );
}

/** A refusal not shown beside the breaking changes' confirmation. */
export function DecisionError({ error }: { error: { message: string } | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {error.message}
    </p>
  );
}
