"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { AlertLine } from "@/components/ui/alert-line";
import { restoreEffects, type GateImpact } from "./impact";
import { restoreAndShow } from "./restore";

export type VersionRow = {
  version: number;
  itemCount: number;
  change: string;
  by: string;
  at: string;
  sameItemsAs: number | null;
};

/** The dataset's versions, newest first; any earlier one can be restored as a new version (after a confirmation). */
export function VersionHistory({
  slug,
  dataset,
  current,
  versions,
  gates,
  blocked,
}: {
  slug: string;
  dataset: string;
  current: number;
  versions: VersionRow[];
  gates: GateImpact[];
  /** Why the person may not change items, if so (no restore buttons then). */
  blocked: string | null;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState<VersionRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function restore() {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    const failed = await restoreAndShow(slug, dataset, chosen.version, (href) => {
      setChosen(null);
      router.replace(href);
    });
    setBusy(false);
    setError(failed);
  }

  return (
    <>
      <ol className="flex flex-col divide-y divide-slate-100 text-sm" aria-label="Dataset versions">
        {versions.map((v) => (
          <li
            key={v.version}
            data-testid={`dataset-version-${v.version}`}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
          >
            <span className="w-24 font-medium text-slate-900">Version {v.version}</span>
            <span className="min-w-0 flex-1 break-words text-slate-700">
              {v.change || "—"} · {v.itemCount} {v.itemCount === 1 ? "item" : "items"}
              <span className="block text-xs text-slate-600">
                {v.by ? `${v.by} · ` : ""}
                <Time value={v.at} />
              </span>
            </span>
            {v.sameItemsAs !== null ? (
              <Badge tone="blue" title="Runs made on either version count for the other">
                same items as version {v.sameItemsAs}
              </Badge>
            ) : null}
            {v.version === current ? (
              <Badge tone="green">current</Badge>
            ) : blocked ? null : (
              <Button size="sm" variant="secondary" onClick={() => setChosen(v)}>
                Restore version {v.version}…
              </Button>
            )}
          </li>
        ))}
      </ol>
      {chosen ? (
        <Dialog
          open
          onClose={() => setChosen(null)}
          title={`Restore version ${chosen.version}?`}
          description={`The dataset gets a new version (version ${current + 1}) with the ${chosen.itemCount} items of version ${chosen.version}. Nothing is deleted: version ${current} stays in this history and can be restored the same way.`}
          footer={
            <>
              <Button variant="secondary" onClick={() => setChosen(null)}>
                Cancel
              </Button>
              <Button disabled={busy} onClick={() => void restore()}>
                {busy ? "Restoring…" : `Restore version ${chosen.version}`}
              </Button>
            </>
          }
        >
          <ul className="flex list-disc flex-col gap-1.5 pl-5 text-sm text-slate-800">
            {restoreEffects(gates, chosen.version).map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          <AlertLine message={error} look="box" className="mt-2" />
        </Dialog>
      ) : null}
    </>
  );
}
