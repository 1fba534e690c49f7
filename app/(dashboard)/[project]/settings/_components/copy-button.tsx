"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

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

/** A secret shown once, under its label: read-only (selected when focused) beside its copy button. */
export function CopyField({ id, label, value }: { id: string; label: ReactNode; value: string }) {
  return (
    <>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
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
    </>
  );
}

/** The dialog that shows what was just created, secrets included, once; "I have copied it" closes it. */
export function ShownOnceDialog<T>({
  shown,
  onClose,
  title,
  description,
  children,
}: {
  shown: T | null;
  onClose: () => void;
  title: string;
  description: string;
  children: (shown: T) => ReactNode;
}) {
  return (
    <Dialog open={shown !== null} onClose={onClose} title={title} description={description}>
      {shown !== null ? (
        <div className="flex flex-col gap-3">
          {children(shown)}
          <div className="flex justify-end">
            <Button onClick={onClose}>I have copied it</Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
