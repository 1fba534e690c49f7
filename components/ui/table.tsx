import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/**
 * A table that scrolls sideways on narrow screens instead of squeezing its columns; with `stack`, each
 * row becomes a card below 640 px (the header is read by screen readers only, and each cell shows its
 * `label` before its value).
 */
export function Table({
  caption,
  children,
  captionHidden = true,
  stack = false,
}: {
  caption: string;
  children: ReactNode;
  captionHidden?: boolean;
  stack?: boolean;
}) {
  // Focusable, so a keyboard can scroll a table wider than the screen (axe: scrollable-region-focusable).
  return (
    <div
      tabIndex={0}
      className={`relative rounded-lg border border-slate-200 bg-white ${stack ? "sm:overflow-x-auto max-sm:border-0 max-sm:bg-transparent" : "overflow-x-auto"}`}
    >
      <table
        data-stack={stack || undefined}
        className={`w-full border-collapse text-left text-sm ${stack ? "max-sm:block [&_thead]:max-sm:sr-only max-sm:[&_tbody]:flex max-sm:[&_tbody]:flex-col max-sm:[&_tbody]:gap-2 max-sm:[&_tr]:block max-sm:[&_tr]:rounded-lg max-sm:[&_tr]:border max-sm:[&_tr]:border-slate-200 max-sm:[&_tr]:bg-white max-sm:[&_tr]:px-1 max-sm:[&_tr]:py-1" : ""}`}
      >
        <caption className={captionHidden ? "sr-only" : "px-4 py-2 text-left text-sm font-medium text-slate-700"}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className = "", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={`border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600 ${className}`}
      {...props}
    />
  );
}

/** The header of a column of row actions: named for screen readers, blank on screen. */
export function ActionsTh() {
  return (
    <Th>
      <span className="sr-only">Actions</span>
    </Th>
  );
}

/** A cell; `label` (its column's name) is shown before the value when a stacked table is a card. */
export function Td({ className = "", label, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { label?: string }) {
  return (
    <td
      data-label={label}
      className={`border-b border-slate-100 px-3 py-2.5 align-top [[data-stack]_&]:max-sm:block [[data-stack]_&]:max-sm:max-w-none [[data-stack]_&]:max-sm:border-0 [[data-stack]_&]:max-sm:py-1.5 ${label ? "[[data-stack]_&]:max-sm:before:mb-0.5 [[data-stack]_&]:max-sm:before:block [[data-stack]_&]:max-sm:before:text-xs [[data-stack]_&]:max-sm:before:font-semibold [[data-stack]_&]:max-sm:before:uppercase [[data-stack]_&]:max-sm:before:tracking-wide [[data-stack]_&]:max-sm:before:text-slate-500 [[data-stack]_&]:max-sm:before:content-[attr(data-label)]" : ""} ${className}`}
      {...props}
    />
  );
}
