"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { RolloutStepsField, stepEdits, typedSteps } from "@/components/rollouts/rollout-steps-field";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { useField } from "@/components/forms/use-field";
import { useToast } from "@/components/ui/toast";
import { startBundleRolloutAction } from "../_actions";

/** What the start form knows of an environment (lib/views/bundle-rollouts-overview.ts, and the person's role). */
export type BundleRolloutTarget = {
  /** The environment's own steps (its guardedRollout rule), else the rollouts' default. */
  steps: { percent: number; minMinutes: number; minSubjects: number }[];
  /** A rollout of the bundle runs there now (one at a time). */
  running: boolean;
  blocked: string | null;
};

/**
 * Starts the bundle's guarded rollout in the release form's environment with the versions chosen there: every
 * member whose version differs from what the environment serves ramps by these steps, with one share. The
 * guardrails are the rollouts' default; what the server refuses (a plan not met, nothing to change) is said
 * here in its words.
 */
export function BundleRolloutStart({
  slug,
  bundle,
  environment,
  versions,
  changes,
  target,
}: {
  slug: string;
  bundle: string;
  environment: string;
  versions: Record<string, number>;
  /** "crew/act v1 → v2" for each member the chosen versions change there. */
  changes: string[];
  target: BundleRolloutTarget;
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [steps, setSteps] = useState(() => stepEdits(target.steps));
  // The steps start again from the environment's own when the form's environment changes.
  const [stepsOf, setStepsOf] = useState(environment);
  if (stepsOf !== environment) {
    setStepsOf(environment);
    setSteps(stepEdits(target.steps));
  }
  const reason = useField();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const blocked =
    target.blocked ??
    (target.running ? `A rollout of ${bundle} runs in ${environment} already: move it in Guarded rollout.` : null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await startBundleRolloutAction(slug, {
      name: bundle,
      environment,
      versions,
      steps: typedSteps(steps),
      reason: reason.value,
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    toast.show(
      `Rollout started: ${r.data.rollout.percent} % of subjects in ${r.data.rollout.environment} get the new versions of ${r.data.rollout.members.map((m) => m.prompt).join(", ")}.`,
    );
    setOpen(false);
    reason.onValue("");
    router.refresh();
  }

  if (!open)
    return (
      <GatedButton
        variant="secondary"
        blockedReason={blocked}
        aria-expanded={false}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        Start a guarded rollout…
      </GatedButton>
    );
  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-labelledby="bundle-rollout-start-title"
      className="flex min-w-0 basis-full flex-col gap-3 rounded-md border border-slate-200 p-3"
    >
      <h3 id="bundle-rollout-start-title" className="text-sm font-semibold text-slate-900">
        Start a guarded rollout in {environment}
      </h3>
      <p className="text-sm text-slate-700" data-testid="bundle-rollout-changes">
        {changes.length
          ? `With one share of subjects: ${changes.join(", ")}. Members left as they are keep serving their version; the last step releases the bundle.`
          : `${environment} serves these versions already: choose another version of a member above.`}
      </p>
      <RolloutStepsField
        steps={steps}
        onChange={setSteps}
        error={error?.field?.split(".")[0] === "steps" ? error.message : undefined}
      />
      <Textarea
        label="Rollout reason (optional, kept in the decision log)"
        id="bundle-rollout-reason"
        rows={2}
        maxLength={2000}
        {...reason}
        placeholder="e.g. plan and act share the new tool list"
      />
      {error && error.field?.split(".")[0] !== "steps" ? (
        <p
          role="alert"
          className="break-words rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
          data-testid="bundle-rollout-error"
        >
          {error.message}
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(false)}>
          Cancel
        </Button>
        <GatedButton type="submit" size="sm" disabled={busy || changes.length === 0} blockedReason={blocked}>
          {busy ? "Starting…" : "Start rollout"}
        </GatedButton>
      </div>
    </form>
  );
}
