import type { ReactNode } from "react";
import { Breadcrumb } from "./breadcrumb";

/**
 * The top of a dashboard page: an optional breadcrumb, the page's one `h1`, a line saying what the page is for,
 * and anything that belongs with them (`children`, e.g. a read-only notice). `actions` sit to the right.
 * A page about one thing (a prompt, a run, an experiment: `detail`) puts the trail above the row, the actions
 * level with the title, and lets a long title wrap (`titleClassName`, e.g. "break-all").
 */
export function PageHeader({
  title,
  breadcrumb,
  description,
  descriptionClassName,
  actions,
  children,
  detail = false,
  titleClassName,
}: {
  title: ReactNode;
  breadcrumb?: { href?: string; label: string }[];
  description?: ReactNode;
  descriptionClassName?: string;
  actions?: ReactNode;
  children?: ReactNode;
  detail?: boolean;
  titleClassName?: string;
}) {
  const h1 = `text-2xl font-semibold tracking-tight${titleClassName ? ` ${titleClassName}` : ""}`;
  const about = description ? (
    <p className={`mt-1 text-sm text-slate-600${descriptionClassName ? ` ${descriptionClassName}` : ""}`}>
      {description}
    </p>
  ) : null;
  if (detail)
    return (
      <div className="flex flex-col gap-3">
        {breadcrumb ? <Breadcrumb items={breadcrumb} /> : null}
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className={h1}>{title}</h1>
            {about}
            {children}
          </div>
          {actions}
        </div>
      </div>
    );
  const text = (
    <>
      {breadcrumb ? <Breadcrumb items={breadcrumb} /> : null}
      <h1 className={`${breadcrumb ? "mt-1 " : ""}${h1}`}>{title}</h1>
      {about}
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
