"use client";

import type { CompatChange } from "@/lib/registry/changes/compat";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/forms/checkbox";

/**
 * Changes that break the applications calling a prompt, said prominently: what changes, what an
 * application that is not updated will see, quick fixes in the editor, and (when releasing to a
 * protected environment) the confirmation that must be ticked before the release may go ahead.
 */
export function BreakingChanges({
  changes,
  against,
  onFix,
  confirm,
  compact = false,
}: {
  changes: CompatChange[];
  against: string;
  onFix?: (change: CompatChange, fix: "make-optional" | "add-default") => void;
  confirm?: { environment: string; checked: boolean; onChange: (checked: boolean) => void; error?: string };
  compact?: boolean;
}) {
  if (!changes.length) return null;
  const n = changes.length;
  return (
    <section
      aria-label="Changes that break applications"
      data-testid="breaking-changes"
      className={`rounded-md border border-red-300 bg-red-50 text-red-950 ${compact ? "px-3 py-2 text-sm" : "p-3 text-sm"}`}
    >
      <p className="font-semibold">
        <span aria-hidden>⚠ </span>
        {n === 1 ? "This change breaks" : `${n} changes break`} applications that call this prompt{" "}
        <span className="font-normal text-red-900">(compared with {against})</span>
      </p>
      <ul className="mt-1.5 flex flex-col gap-1.5">
        {changes.map((c) => (
          <li key={c.key} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span>
              <strong className="font-medium">{c.message}</strong> {c.impact}
            </span>
            {onFix && c.subject && (c.kind === "variable.added" || c.kind === "variable.required") ? (
              <span className="flex gap-1">
                {c.fix === "make-optional" ? (
                  <Button type="button" size="sm" variant="secondary" onClick={() => onFix(c, "make-optional")}>
                    Make {c.subject} optional
                  </Button>
                ) : null}
                <Button type="button" size="sm" variant="secondary" onClick={() => onFix(c, "add-default")}>
                  Give {c.subject} a default…
                </Button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {confirm ? (
        <BreakingConfirm
          count={n}
          release={`to ${confirm.environment}`}
          checked={confirm.checked}
          onChange={confirm.onChange}
          error={confirm.error}
        />
      ) : null}
    </section>
  );
}

/**
 * The tick a release of breaking changes to a protected environment waits for (a prompt's release, or a
 * bundle's: `release` says what goes where, "to production", "bundle crew to production").
 */
export function BreakingConfirm({
  count,
  release,
  checked,
  onChange,
  error,
}: {
  count: number;
  release: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}) {
  return (
    <div className="mt-2 border-t border-red-200 pt-2">
      <Checkbox
        className="flex items-start gap-2 font-medium"
        boxClassName="mt-0.5 size-4 shrink-0"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "confirm-breaking-error" : undefined}
        onCheck={onChange}
      >
        I understand that applications not yet updated for {count === 1 ? "this change" : "these changes"} will break,
        and want to release {release} anyway.
      </Checkbox>
      {error ? (
        <p id="confirm-breaking-error" className="mt-1 text-xs text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
