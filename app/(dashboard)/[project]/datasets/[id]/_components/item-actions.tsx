"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { removeItemsAction } from "../../_actions";
import { removalEffects, type GateImpact } from "./impact";

/**
 * Removes one item after a confirmation that says what it affects: the dataset's next version, and
 * the evaluation gates whose versions will need a new run. The page then offers to undo it.
 */
export function ItemActions({
  dataset,
  itemId,
  label,
  version,
  gates,
  slug,
}: {
  slug: string;
  dataset: string;
  itemId: string;
  /** How the item is named to people ("item 3"). */
  label: string;
  /** The dataset's current version. */
  version: number;
  gates: GateImpact[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    const r = await removeItemsAction(slug, { dataset, ids: [itemId] });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setOpen(false);
    // The notice with "Undo" lives on the page (this row is gone once the page shows the new version).
    const q = new URLSearchParams(window.location.search);
    q.delete("restored");
    q.set("removed", String(r.data.version));
    router.replace(`${window.location.pathname}?${q.toString()}`, { scroll: false });
  }

  return (
    <>
      <Button size="sm" variant="ghost" aria-label={`Remove ${label}`} onClick={() => setOpen(true)}>
        Remove
      </Button>
      {open ? (
        <Dialog
          open
          onClose={() => setOpen(false)}
          title={`Remove ${label}?`}
          description={`The dataset gets a new version (version ${version + 1}) without it. Version ${version} stays as it is, with the runs made on it.`}
          footer={
            <>
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button variant="danger" disabled={busy} onClick={() => void remove()}>
                {busy ? "Removing…" : `Remove ${label}`}
              </Button>
            </>
          }
        >
          <div className="flex flex-col gap-2 text-sm text-slate-800">
            <ul className="flex list-disc flex-col gap-1.5 pl-5" data-testid="removal-effects">
              {removalEffects(gates).map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
            <p className="text-slate-600">
              You can undo it right after, or restore any earlier version from the version history.
            </p>
            {error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
                {error}
              </p>
            ) : null}
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
