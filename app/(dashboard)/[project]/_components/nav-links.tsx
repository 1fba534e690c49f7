"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// Evaluation (runs, datasets, comparisons, a prompt's online evaluation) lives under /evaluations,
// /datasets and /online; it opens on the runs. Alerts lists what online evaluation raised. Guarded rollouts have
// their own list beside the experiments: a rollout is not an experiment.
const items = [
  { href: "prompts", label: "Prompts", also: ["new", "edit", "diff", "drafts", "bundles"] },
  { href: "experiments", label: "Experiments", also: [] },
  { href: "rollouts", label: "Rollouts", also: [] },
  { href: "evaluations", label: "Evaluation", also: ["datasets", "online"] },
  { href: "reviews", label: "Reviews", also: [] },
  { href: "alerts", label: "Alerts", also: [] },
  { href: "activity", label: "Activity", also: [] },
  { href: "settings", label: "Settings", also: [] },
];

export function NavLinks({
  slug,
  pendingReviews = 0,
  openAlerts = 0,
  onNavigate,
}: {
  slug: string;
  pendingReviews?: number;
  openAlerts?: number;
  onNavigate?: () => void;
}) {
  const path = usePathname();
  const under = (segment: string) => path === `/${slug}/${segment}` || path.startsWith(`/${slug}/${segment}/`);
  return (
    <nav aria-label="Main" className="flex flex-col gap-1 md:flex-row md:flex-nowrap">
      {items.map((i) => {
        const active = under(i.href) || i.also.some(under);
        return (
          <Link
            key={i.href}
            href={`/${slug}/${i.href}`}
            aria-current={active ? "page" : undefined}
            onClick={onNavigate}
            className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium md:px-2 ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {i.label}
            {i.href === "reviews" ? <CountBadge count={pendingReviews} what="pending" tone="amber" /> : null}
            {i.href === "alerts" ? <CountBadge count={openAlerts} what="open" tone="red" /> : null}
          </Link>
        );
      })}
    </nav>
  );
}

/** How many wait behind a link (nothing when none): the number shown, and said in words to screen readers. */
const badgeClass = {
  amber: "rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-900",
  red: "rounded-full bg-red-100 px-1.5 text-xs font-semibold text-red-900",
};

/** How many wait behind a link (nothing when none): the number, and in words for screen readers. */
function CountBadge({ count, what, tone }: { count: number; what: string; tone: keyof typeof badgeClass }) {
  if (count <= 0) return null;
  return (
    <>
      <span aria-hidden className={badgeClass[tone]}>
        {count}
      </span>
      <span className="sr-only">
        ({count} {what})
      </span>
    </>
  );
}
