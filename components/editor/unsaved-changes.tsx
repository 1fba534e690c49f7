"use client";

import { useEffect, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useConfirm } from "@/components/ui/confirm";

/**
 * Warns before leaving with unsaved changes: the browser's own prompt on reload/close (the only one a page may
 * show then), and the app's own dialog for in-app links (the App Router has no navigation events to hook: the
 * click is held, and the link followed once the person says so). Render the returned element.
 */
export function useUnsavedChangesWarning(
  dirty: boolean,
  message = "You have unsaved changes. Leave without saving?",
): ReactNode {
  const router = useRouter();
  const { confirm, dialog } = useConfirm();
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!a || a.getAttribute("target") === "_blank") return;
      const href = a.getAttribute("href") ?? "";
      if (href.startsWith("#")) return;
      e.preventDefault();
      e.stopPropagation();
      void confirm({ title: message, confirmLabel: "Leave without saving", danger: true }).then((yes) => {
        if (!yes) return;
        window.removeEventListener("beforeunload", onBeforeUnload);
        router.push(href);
      });
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, message, confirm, router]);
  return dialog;
}
