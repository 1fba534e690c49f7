"use client";

// The review dialog's breaking changes. A prompt's review shows the version's own (from the preview); a
// bundle's review shows every member's, as the members' release plans name them
// (lib/release/bundles/bundle-review-plans.ts), with one confirmation for all when approving releases the bundle.
import { useEffect, useState, type RefObject } from "react";
import type { CompatChange } from "@/lib/registry/changes/compat";
import { BreakingChanges } from "@/components/release/breaking-changes";
import { BundleBreakingChanges, type MemberBreakingView } from "@/components/release/bundle-breaking-changes";
import { bundleReviewPlansAction } from "../_actions";
import type { ReleasePreview } from "./release-preview";
import type { ReviewView } from "./types";

export type BundleBreaking = { members: MemberBreakingView[]; keys: string[] };

/** A bundle review's breaking changes per member: null while they are read (or for a prompt's own review). */
export function useBundleBreaking(slug: string, review: ReviewView) {
  const [read, setRead] = useState<BundleBreaking | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!review.bundle) return;
    let live = true;
    bundleReviewPlansAction(slug, { id: review.id })
      .then((r) => live && (r.ok ? setRead({ members: r.data.breaking, keys: r.data.keys }) : setError(r.message)))
      .catch(() => live && setError("Could not load the members' release plans."));
    return () => {
      live = false;
    };
  }, [slug, review]);
  return { read, error, loading: Boolean(review.bundle) && read === null && error === null };
}

/** The changes an approval would release that break callers, and the confirmation when it needs one. */
export function ReviewBreaking({
  review,
  preview,
  breaking,
  bundle,
  confirm,
  confirmRef,
}: {
  review: ReviewView;
  preview: ReleasePreview | null;
  /** The reviewed version's own breaking changes (from the preview). */
  breaking: CompatChange[];
  bundle: { read: BundleBreaking | null; error: string | null } | null;
  confirm?: { checked: boolean; onChange: (checked: boolean) => void; error?: string };
  confirmRef: RefObject<HTMLDivElement | null>;
}) {
  const env = review.environment;
  if (review.bundle && bundle?.read?.members.length)
    return (
      <div ref={confirmRef}>
        <BundleBreakingChanges
          bundle={review.bundle.name}
          members={bundle.read.members}
          confirm={confirm && { environment: env, ...confirm }}
        />
      </div>
    );
  const failed = bundle?.error ? (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {bundle.error}
    </p>
  ) : null;
  if (breaking.length)
    return (
      <div ref={confirmRef}>
        {failed}
        <BreakingChanges
          changes={breaking}
          against={preview?.live ? `version ${preview.live}, live in ${env} now` : `what ${env} serves now`}
          confirm={review.bundle ? undefined : confirm && { environment: env, ...confirm }}
        />
      </div>
    );
  // For a bundle, only the members' plans say that no member breaks (they list it for protected environments).
  const whole = !review.bundle || (bundle?.read && preview?.rules.protected);
  if (whole && preview && preview.live !== null && preview.live !== review.version)
    return (
      <>
        {failed}
        <p className="text-sm text-emerald-800" data-testid="no-breaking-changes">
          No change breaks the applications using {env}: they can keep sending what they send now.
        </p>
      </>
    );
  return failed;
}
