"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** Shown when a page fails to load: what happened, and a way to try again. */
export function RouteError({
  error,
  reset,
  what = "this page",
}: {
  error: Error & { digest?: string };
  reset: () => void;
  what?: string;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-red-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-red-800">Could not load {what}</h1>
      <p className="mt-2 text-sm text-slate-700">
        {error.message && !error.message.includes("Server Components")
          ? error.message
          : "Something went wrong on the server. Nothing was changed."}
      </p>
      {error.digest ? <p className="mt-1 text-xs text-slate-500">Reference: {error.digest}</p> : null}
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
