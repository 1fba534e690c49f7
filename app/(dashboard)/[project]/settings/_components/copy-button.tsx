"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      size="sm"
      variant="secondary"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        });
      }}
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}

/** A secret shown once: read-only (selected when focused) beside its copy button. */
export function CopyField({ id, value }: { id: string; value: string }) {
  return (
    <div className="flex gap-2">
      <input
        id={id}
        readOnly
        value={value}
        className="flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
        onFocus={(e) => e.currentTarget.select()}
      />
      <CopyButton text={value} />
    </div>
  );
}
