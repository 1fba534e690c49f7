import Link from "next/link";
import { Fragment } from "react";

/** "Prompts / folder / name" above a page title. */
export function Breadcrumb({ items }: { items: { href: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      {items.map((item, i) => (
        <Fragment key={item.href}>
          {i > 0 ? " / " : null}
          <Link href={item.href} className="hover:underline">
            {item.label}
          </Link>
        </Fragment>
      ))}
    </nav>
  );
}
