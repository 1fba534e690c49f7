"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { GatedButton } from "@/components/ui/gated-button";
import { useToast } from "@/components/ui/toast";
import { rollbackBundleAction } from "../_actions";

/** Returns every member to the bundle's previous release in one environment, after a confirmation. */
export function BundleRollback({
  slug,
  bundle,
  environment,
  possible,
  blocked,
}: {
  slug: string;
  bundle: string;
  environment: string;
  possible: boolean;
  blocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (!possible) return null;
  async function rollback() {
    if (
      !window.confirm(
        `Undo the latest release of ${bundle} in ${environment}? Every prompt returns to what it served before it.`,
      )
    )
      return;
    setBusy(true);
    const r = await rollbackBundleAction(slug, { name: bundle, environment, reason: "" });
    setBusy(false);
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`${environment} serves what it served before the bundle's latest release.`);
    router.refresh();
  }
  return (
    <GatedButton variant="danger" size="sm" onClick={() => void rollback()} disabled={busy} blockedReason={blocked}>
      {busy ? "Rolling back…" : `Roll back ${environment}`}
    </GatedButton>
  );
}
