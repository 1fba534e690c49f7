"use client";

import { useEffect, useRef, useState } from "react";
import type { ReleasePreview } from "@/lib/views/release-preview";
import { releasePreviewAction } from "../_actions";

export type { ReleasePreview };

/**
 * The release dialog's preview of one environment and version: what it serves now, the diff, the breaking
 * changes and the plan. Only the preview of the current choice is returned; one for an earlier choice is stale.
 * `onFresh` runs when a new preview arrives (a confirmation covers the changes that were shown, not another's).
 */
export function useReleasePreview(
  open: boolean,
  target: { slug: string; prompt: string; environment: string; version: number | undefined },
  onFresh: () => void,
) {
  const { slug, prompt, environment, version } = target;
  const [loaded, setLoaded] = useState<(ReleasePreview & { key: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fresh = useRef(onFresh);
  useEffect(() => {
    fresh.current = onFresh;
  });

  useEffect(() => {
    if (!open || version === undefined) return;
    let live = true;
    releasePreviewAction(slug, { name: prompt, environment, version })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setLoaded({ ...r.data, key: `${environment}:${version}` });
          setError(null);
          fresh.current();
        } else setError(r.message);
      })
      .catch(() => live && setError("Could not load the changes."));
    return () => {
      live = false;
    };
  }, [open, slug, prompt, environment, version]);

  return { preview: loaded?.key === `${environment}:${version}` ? loaded : null, previewError: error };
}
