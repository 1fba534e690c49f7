"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/textarea";
import { AlertLine } from "@/components/ui/alert-line";
import { cancelOptimizationAction } from "../../_actions";

/** Cancel, with the app's own confirmation: what stops, what stays spent, and an optional reason. */
export function CancelOptimization({ slug, id, calls }: { slug: string; id: string; calls: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
    setBusy(true);
    setError(null);
    const r = await cancelOptimizationAction(slug, { id, ...(reason.trim() && { reason: reason.trim() }) });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Cancel
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Cancel this optimization?"
        description={`It stops now: model calls in flight are aborted and no draft is made. The ${calls} call${calls === 1 ? "" : "s"} already made stay counted.`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
              Keep it running
            </Button>
            <Button variant="danger" onClick={() => void cancel()} disabled={busy}>
              {busy ? "Cancelling…" : "Cancel the optimization"}
            </Button>
          </>
        }
      >
        <Textarea
          label="Reason (optional)"
          id="cancel-reason"
          value={reason}
          maxLength={500}
          onValue={setReason}
          hint="Shown on the optimization and in Activity"
        />
        <AlertLine message={error} className="mt-2" />
      </Dialog>
    </>
  );
}
