import Link from "next/link";
import { Fragment } from "react";

/**
 * "Prompts / folder / name" above a page title: every page's trail back. An item without `href` is
 * where the person is (plain text, last).
 */
export function Breadcrumb({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      {items.map((item, i) => (
        <Fragment key={`${i}:${item.href ?? item.label}`}>
          {i > 0 ? " / " : null}
          {item.href ? (
            <Link href={item.href} className="hover:underline">
              {item.label}
            </Link>
          ) : (
            <span aria-current="page">{item.label}</span>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
