"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { restoreAndShow } from "./restore";

/**
 * Said right after items were removed (with "Undo": restore the version before) or a version was
 * restored. Undo makes a new version with the same items as before, so the runs made on them count
 * for the gates again.
 */
export function ChangeNotice({
  slug,
  dataset,
  message,
  undoTo,
}: {
  slug: string;
  dataset: string;
  message: string;
  /** The version "Undo" restores; none for a notice that cannot be undone from here. */
  undoTo?: number;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function undo() {
    setBusy(true);
    const failed = await restoreAndShow(slug, dataset, undoTo!, (href) => router.replace(href, { scroll: false }));
    setBusy(false);
    setError(failed);
  }
  return (
    <div
      role="status"
      data-testid="dataset-change-notice"
      className="flex flex-wrap items-center gap-3 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950"
    >
      <p className="min-w-0 flex-1 break-words">{message}</p>
      {undoTo !== undefined ? (
        <Button size="sm" variant="secondary" disabled={busy} onClick={() => void undo()}>
          {busy ? "Undoing…" : "Undo"}
        </Button>
      ) : null}
      {error ? (
        <p role="alert" className="basis-full text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
