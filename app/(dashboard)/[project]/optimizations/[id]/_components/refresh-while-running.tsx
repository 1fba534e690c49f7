"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** Re-reads the page every two seconds while the optimization is queued or running. */
export function RefreshWhileRunning({ running }: { running: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [running, router]);
  return null;
}
