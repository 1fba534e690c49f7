"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The evaluation section's own navigation, shared by runs, datasets and the comparison of two runs. */
export function EvaluationTabs({ slug }: { slug: string }) {
  const path = usePathname();
  const under = (p: string) => path === `/${slug}/${p}` || path.startsWith(`/${slug}/${p}/`);
  const tabs = [
    { href: "evaluations", label: "Runs", active: under("evaluations") && !under("evaluations/compare") },
    { href: "datasets", label: "Datasets", active: under("datasets") },
    { href: "evaluations/compare", label: "Compare runs", active: under("evaluations/compare") },
  ];
  return (
    <nav aria-label="Evaluation" className="-mt-2 mb-6 flex flex-wrap gap-1 border-b border-slate-200">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={`/${slug}/${t.href}`}
          aria-current={t.active ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${t.active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
