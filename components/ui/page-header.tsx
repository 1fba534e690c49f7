import type { ReactNode } from "react";
import { Breadcrumb } from "./breadcrumb";

/**
 * The top of a dashboard page: an optional breadcrumb, the page's one `h1`, a line saying what the page is for,
 * and anything that belongs with them (`children`, e.g. a read-only notice). `actions` sit to the right.
 */
export function PageHeader({
  title,
  breadcrumb,
  description,
  descriptionClassName,
  actions,
  children,
}: {
  title: ReactNode;
  breadcrumb?: { href?: string; label: string }[];
  description?: ReactNode;
  descriptionClassName?: string;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const text = (
    <>
      {breadcrumb ? <Breadcrumb items={breadcrumb} /> : null}
      <h1 className={`${breadcrumb ? "mt-1 " : ""}text-2xl font-semibold tracking-tight`}>{title}</h1>
      {description ? (
        <p className={`mt-1 text-sm text-slate-600${descriptionClassName ? ` ${descriptionClassName}` : ""}`}>
          {description}
        </p>
      ) : null}
      {children}
    </>
  );
  if (!actions) return <div>{text}</div>;
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>{text}</div>
      {actions}
    </div>
  );
}
