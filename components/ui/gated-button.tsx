"use client";

import { useId } from "react";
import { Button, type ButtonProps } from "./button";

/**
 * A button that may be blocked for the current user. When blocked it stays focusable
 * (aria-disabled, not disabled) so keyboard and screen-reader users can learn why, from a tooltip
 * linked with aria-describedby.
 */
export function GatedButton({
  blockedReason,
  onClick,
  className = "",
  ...props
}: ButtonProps & { blockedReason?: string | null }) {
  const id = useId();
  if (!blockedReason) return <Button onClick={onClick} className={className} {...props} />;
  return (
    <span className="group relative inline-flex">
      <Button
        {...props}
        aria-disabled="true"
        aria-describedby={id}
        onClick={(e) => e.preventDefault()}
        className={`cursor-not-allowed opacity-50 ${className}`}
      />
      <span
        id={id}
        role="tooltip"
        className="pointer-events-none absolute bottom-full left-1/2 z-20 mb-2 hidden w-64 -translate-x-1/2 rounded-md bg-slate-900 px-3 py-2 text-xs font-normal text-white shadow-lg group-hover:block group-focus-within:block"
      >
        {blockedReason}
      </span>
    </span>
  );
}
