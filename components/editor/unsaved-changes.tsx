"use client";

import { useEffect, useMemo, useRef, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useConfirm } from "@/components/ui/confirm";

// The question a page with unsaved work asks before any navigation the app makes: the newest
// editor on the page registers it while it is dirty. The App Router has no navigation event a page could
// cancel, so the app's own navigations come here first: links through the click listener below, code
// through useGuardedRouter, the browser's Back and Forward through a stand-in history entry (holdHistory).
type Guard = () => Promise<boolean>;
const guards: Guard[] = [];

// The stand-in entry: the same address pushed once in front of the page's own entry while work is unsaved, so
// Back lands on the page itself (nothing changes) and asks. Pushed at most once per page visit: an edit undone
// and made again does not pile up entries.
let standIn: { href: string; length: number } | null = null;

function holdHistory() {
  const { href } = window.location;
  if (standIn?.href === href && standIn.length === window.history.length) return;
  window.history.pushState(window.history.state, "", href);
  standIn = { href, length: window.history.length };
}

/** Whether the app may navigate away now: true when nothing unsaved is open, else the person's answer. */
export function mayLeave(): Promise<boolean> {
  const guard = guards.at(-1);
  return guard ? guard() : Promise.resolve(true);
}

type NavigateOptions = { scroll?: boolean };

/**
 * The App Router's push and replace, asking first when unsaved work would be lost. A navigation made in code
 * (a picker, a select, a button) uses this instead of `useRouter()`, so that it asks like a link does.
 */
export function useGuardedRouter() {
  const router = useRouter();
  return useMemo(
    () => ({
      push: (href: string, opts?: NavigateOptions) =>
        void mayLeave().then((yes) => (yes ? router.push(href, opts) : undefined)),
      replace: (href: string, opts?: NavigateOptions) =>
        void mayLeave().then((yes) => (yes ? router.replace(href, opts) : undefined)),
    }),
    [router],
  );
}

/**
 * Warns before leaving with unsaved changes: the browser's own prompt on reload/close (the only one a page may
 * show then), and the app's own dialog for every navigation the app makes itself: in-app links (the click is
 * held, and the link followed once the person says so), useGuardedRouter's push and replace, and the browser's
 * Back and Forward (which land on a stand-in entry of the same address first). Cancel keeps the work as it is.
 * Render the returned element.
 */
export function useUnsavedChangesWarning(
  dirty: boolean,
  message = "You have unsaved changes. Leave without saving?",
): ReactNode {
  const router = useRouter();
  const { confirm, dialog } = useConfirm();
  // Once the person said "leave", the navigation they chose goes through without asking again.
  const released = useRef(false);
  useEffect(() => {
    if (!dirty) return;
    released.current = false;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    const ask: Guard = async () => {
      if (released.current) return true;
      const yes = await confirm({ title: message, confirmLabel: "Leave without saving", danger: true });
      if (yes) {
        released.current = true;
        window.removeEventListener("beforeunload", onBeforeUnload);
      }
      return yes;
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!a || a.getAttribute("target") === "_blank" || a.hasAttribute("download")) return;
      const href = a.getAttribute("href") ?? "";
      if (href.startsWith("#") || released.current) return;
      e.preventDefault();
      e.stopPropagation();
      void ask().then((yes) => (yes ? router.push(href) : undefined));
    };
    // Back or Forward off the stand-in: the page is still this one; Cancel puts the stand-in back, Leave goes on.
    const onPopState = () => {
      standIn = null;
      if (released.current) return;
      void ask().then((yes) => (yes ? window.history.back() : holdHistory()));
    };
    guards.push(ask);
    holdHistory();
    window.addEventListener("beforeunload", onBeforeUnload);
    window.addEventListener("popstate", onPopState);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("popstate", onPopState);
      const at = guards.indexOf(ask);
      if (at >= 0) guards.splice(at, 1);
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, message, confirm, router]);
  return dialog;
}
