"use client";

import { useMemo } from "react";
import { classifyChange } from "@/lib/registry/changes/compat";
import type { Content } from "@/lib/registry/content";
import type { BreakingNotice } from "./save-bar";
import type { Workspace } from "./use-workspace";

/**
 * The breaking changes of the working copy against `baseline` (the version the edit started from),
 * with the editor's quick fixes: make a new variable optional, or jump to its default field.
 */
export function useBreakingNotice(ws: Workspace, baseline: Content | null, against: string): BreakingNotice | null {
  const compat = useMemo(
    () => (baseline && ws.content ? classifyChange(baseline, ws.content) : null),
    [baseline, ws.content],
  );
  const { setState, state } = ws;
  if (!compat?.breaking.length) return null;
  return {
    against,
    changes: compat.breaking,
    onFix: (change, fix) => {
      const target = state.variables.find((v) => v.name.trim() === change.subject);
      if (!target) return;
      if (fix === "make-optional") {
        setState((s) => ({
          ...s,
          variables: s.variables.map((v) => (v.key === target.key ? { ...v, required: false } : v)),
        }));
        return;
      }
      const field = document.getElementById(`var-${target.key}-default`);
      field?.scrollIntoView({ block: "center", behavior: "smooth" });
      field?.focus({ preventScroll: true });
    },
  };
}
