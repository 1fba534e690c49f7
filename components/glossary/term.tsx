"use client";

import { useId, type ReactNode } from "react";
import { glossary, type GlossaryKey } from "@/lib/glossary";

/**
 * A statistical word with its explanation (lib/glossary.ts) on hover and on keyboard focus: the
 * word is focusable and described by the tooltip, so screen readers read the explanation too.
 * Shows the glossary's plain-words label unless children give the exact wording.
 */
export function Term({
  k,
  children,
  align = "left",
}: {
  k: GlossaryKey;
  children?: ReactNode;
  align?: "left" | "right";
}) {
  const id = useId();
  const g = glossary[k];
  return (
    <span className="group relative inline-block">
      <span
        tabIndex={0}
        aria-describedby={id}
        data-term={k}
        className="cursor-help rounded-sm underline decoration-slate-400 decoration-dotted underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
      >
        {children ?? g.label}
      </span>
      <span
        id={id}
        role="tooltip"
        className={`pointer-events-none absolute top-full z-30 mt-1 hidden w-64 max-w-[80vw] rounded-md bg-slate-900 px-3 py-2 text-left text-xs font-normal normal-case leading-snug tracking-normal text-white shadow-lg group-focus-within:block group-hover:block ${align === "right" ? "right-0" : "left-0"}`}
      >
        <span className="font-semibold">{g.term}:</span> {g.explain}
      </span>
    </span>
  );
}
