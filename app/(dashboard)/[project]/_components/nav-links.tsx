"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const items = [
  { href: "prompts", label: "Prompts" },
  { href: "reviews", label: "Reviews" },
  { href: "activity", label: "Activity" },
  { href: "settings", label: "Settings" },
];

export function NavLinks({ slug }: { slug: string }) {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1">
      {items.map((i) => {
        const href = `/${slug}/${i.href}`;
        const active = path === href || path.startsWith(href + "/");
        return (
          <Link
            key={i.href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {i.label}
          </Link>
        );
      })}
    </nav>
  );
}
