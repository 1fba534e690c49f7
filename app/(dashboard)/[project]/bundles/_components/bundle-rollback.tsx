"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useConfirm } from "@/components/ui/confirm";
import { GatedButton } from "@/components/ui/gated-button";
import { useToast } from "@/components/ui/toast";
import { rollbackBundleAction } from "../_actions";

type Extra = { confirmRolledBack?: boolean; experimentAction?: "new_phase" | "stop" };

/**
 * Returns every member to the bundle's previous release in one environment, after the app's own confirmation. A
 * rollback of a rollback releases what was rolled back: a second question says so, as does one for an
 * experiment the rollback would change.
 */
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
  const { confirm, dialog } = useConfirm();
  if (!possible) return null;

  async function attempt(extra: Extra): Promise<void> {
    setBusy(true);
    const r = await rollbackBundleAction(slug, { name: bundle, environment, reason: "", ...extra });
    setBusy(false);
    if (!r.ok && r.code === "rolled_back" && !extra.confirmRolledBack) {
      const again = await confirm({
        title: "Release what was rolled back again?",
        body: r.message,
        confirmLabel: "Release it again",
        danger: true,
      });
      return again ? attempt({ ...extra, confirmRolledBack: true }) : undefined;
    }
    if (!r.ok && r.code === "experiment_running" && !extra.experimentAction) {
      const rollout = r.message.includes("guarded rollout");
      const go = await confirm({
        title: rollout ? "Stop the guarded rollout it changes?" : "Begin a new phase of the experiment it changes?",
        body: r.message,
        confirmLabel: rollout ? "Stop it and roll back" : "Begin a new phase and roll back",
      });
      return go ? attempt({ ...extra, experimentAction: rollout ? "stop" : "new_phase" }) : undefined;
    }
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`${environment} serves what it served before the bundle's latest release.`);
    router.refresh();
  }

  async function rollback() {
    const yes = await confirm({
      title: `Roll back ${bundle} in ${environment}?`,
      body: `Every prompt of the bundle returns to what it served before the bundle's latest release in ${environment}.`,
      confirmLabel: `Roll back ${environment}`,
      danger: true,
    });
    if (yes) await attempt({});
  }

  return (
    <>
      <GatedButton variant="danger" size="sm" onClick={() => void rollback()} disabled={busy} blockedReason={blocked}>
        {busy ? "Rolling back…" : `Roll back ${environment}`}
      </GatedButton>
      {dialog}
    </>
  );
}
