import Link from "next/link";
import type { ReactNode } from "react";

/** One choice in a row of filters or tabs: a link, marked as the current page when it is what is shown. */
export function FilterLink({
  href,
  current,
  className,
  children,
}: {
  href: string;
  current: boolean;
  /** Extra classes, such as a text size. */
  className?: string;
  children: ReactNode;
}) {
  const look = current ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100";
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 font-medium ${look}${className ? ` ${className}` : ""}`}
    >
      {children}
    </Link>
  );
}

/** `path` with the query parameters that have a value (in the order given), as a filter link's href. */
export function hrefWith(path: string, query: Record<string, string | null | undefined>) {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return `${path}${q ? `?${q}` : ""}`;
}
