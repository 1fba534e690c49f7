"use client";

import { useEffect, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import { NavLinks } from "./nav-links";

/**
 * The navigation and the account links: in the header row from md up; below md, behind a menu
 * button, as a panel under the header (a phone has no room for seven links and an email address).
 */
export function HeaderMenu({
  slug,
  pendingReviews,
  openAlerts,
  account,
}: {
  slug: string;
  pendingReviews: number;
  openAlerts: number;
  account: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const path = usePathname();
  const [shownFor, setShownFor] = useState(path);
  // Following a link closes the panel (render-time reset when the path changes).
  if (shownFor !== path) {
    setShownFor(path);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  const total = pendingReviews + openAlerts;
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="header-menu"
        onClick={() => setOpen((o) => !o)}
        className="ml-auto inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 md:hidden"
      >
        <span aria-hidden>{open ? "✕" : "☰"}</span>
        Menu
        {total > 0 && !open ? (
          <span aria-hidden className="rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-900">
            {total}
          </span>
        ) : null}
      </button>
      <div
        id="header-menu"
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-30 flex-col gap-3 border-b border-slate-200 bg-white px-4 py-3 shadow-md md:contents`}
      >
        <NavLinks
          slug={slug}
          pendingReviews={pendingReviews}
          openAlerts={openAlerts}
          onNavigate={() => setOpen(false)}
        />
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3 text-sm text-slate-600 md:ml-auto md:border-0 md:pt-0">
          {account}
        </div>
      </div>
    </>
  );
}
