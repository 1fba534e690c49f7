"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { usePreloadMonaco } from "@/components/editor/use-monaco";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { useToast } from "@/components/ui/toast";
import { cancelReviewAction } from "../_actions";
import { DecideDialog, type Place } from "./review-decision";
import type { ReviewView } from "./types";

/** The buttons on a pending review: review (approve/reject with the diff) and cancel. */
export function ReviewActions({
  slug,
  review,
  decideBlocked,
  actor,
  environments,
}: {
  slug: string;
  review: ReviewView;
  decideBlocked: string | null;
} & Place) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  usePreloadMonaco();
  async function cancel() {
    const r = await cancelReviewAction(slug, { id: review.id });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show("Review request cancelled.");
    router.refresh();
  }
  return (
    <div className="flex flex-wrap gap-2">
      <GatedButton size="sm" blockedReason={decideBlocked} onClick={() => setOpen(true)}>
        Review…
      </GatedButton>
      {review.mayCancel ? (
        <Button size="sm" variant="ghost" onClick={() => void cancel()}>
          Cancel request
        </Button>
      ) : null}
      {open ? (
        <DecideDialog slug={slug} review={review} place={{ actor, environments }} onClose={() => setOpen(false)} />
      ) : null}
      {/* Said on the page, not only in the approve button's tooltip. */}
      {!decideBlocked && review.ownReason ? (
        <p className="basis-full text-xs text-slate-600" data-testid="own-review-reason">
          {review.ownReason}
        </p>
      ) : null}
    </div>
  );
}
