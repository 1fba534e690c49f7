import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/** A table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function Table({
  caption,
  children,
  captionHidden = true,
}: {
  caption: string;
  children: ReactNode;
  captionHidden?: boolean;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full border-collapse text-left text-sm">
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

export function Td({ className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`border-b border-slate-100 px-3 py-2.5 align-top ${className}`} {...props} />;
}
