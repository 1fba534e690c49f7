"use client";

import { useCallback } from "react";
import type { PartialMap } from "@/components/editor/diagnostics";
import type { EditorState } from "@/components/editor/state";
import { useWorkspace } from "@/components/editor/use-workspace";
import { loadPartialsAction } from "../_actions";

/** useWorkspace wired to this project's partials (fetched through a server action as they are typed). */
export function useProjectWorkspace(
  slug: string,
  initial: EditorState,
  opts: { promptName: string; partials: PartialMap },
) {
  const loadPartials = useCallback(
    async (names: string[]) => {
      const r = await loadPartialsAction(slug, { names });
      return r.ok ? r.data : {};
    },
    [slug],
  );
  return useWorkspace(initial, { ...opts, loadPartials });
}
