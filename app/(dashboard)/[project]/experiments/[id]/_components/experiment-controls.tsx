"use client";

import { useEffect, useState } from "react";
import { sentence } from "@/lib/sentence";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { GatedButton } from "@/components/ui/gated-button";
import { percent } from "@/components/experiments/experiment-format";
import type { ReleasePlan } from "@/lib/release/plan/plan";
import { ReleasePlanView } from "@/components/release/release-plan";
import { experimentPlansAction, startExperimentAction } from "../../_actions";
import { StopDialog } from "./stop-dialog";
import { WeightsDialog } from "./weights-dialog";
import { FormError } from "@/components/forms/form-error";
import { Checkbox } from "@/components/forms/checkbox";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";

export type ControlsExperiment = {
  id: string;
  name: string;
  status: "draft" | "running" | "stopped";
  mode: "fixed" | "sequential" | "bandit";
  environment: string;
  prompt: string;
  variants: { key: string; version: number; weight: number }[];
};
/** What each of the controls' dialogs gets. */
export type ControlDialogProps = { slug: string; experiment: ControlsExperiment; onClose: () => void };
export type EnvironmentRules = { protected: boolean; requiresReview: boolean; requiresLiveIn: string | null };

/** Start, change weights, stop: for approvers and admins; others see why not. */
export function ExperimentControls({
  slug,
  experiment: e,
  environment,
  winner,
  verdict,
  blocked,
}: {
  slug: string;
  experiment: ControlsExperiment;
  environment: EnvironmentRules;
  winner: string | null;
  /** The call in words, restated in the stop dialog. */
  verdict: string;
  blocked: string | null;
}) {
  const [open, setOpen] = useState<"start" | "stop" | "weights" | null>(null);
  const close = () => setOpen(null);
  if (e.status === "stopped") return null;
  return (
    <div className="flex flex-wrap gap-2">
      {e.status === "draft" ? (
        <GatedButton blockedReason={blocked} onClick={() => setOpen("start")}>
          Start experiment…
        </GatedButton>
      ) : (
        <>
          <GatedButton
            variant="secondary"
            blockedReason={
              blocked ??
              (e.mode === "bandit"
                ? "A bandit sets its own weights after each reweighting; stop it to change the split."
                : null)
            }
            onClick={() => setOpen("weights")}
          >
            Change weights…
          </GatedButton>
          <GatedButton blockedReason={blocked} onClick={() => setOpen("stop")}>
            Stop and decide…
          </GatedButton>
        </>
      )}
      {open === "start" ? <StartDialog slug={slug} experiment={e} onClose={close} /> : null}
      {open === "stop" ? (
        <StopDialog
          slug={slug}
          experiment={e}
          environment={environment}
          winner={winner}
          verdict={verdict}
          onClose={close}
        />
      ) : null}
      {open === "weights" ? <WeightsDialog slug={slug} experiment={e} onClose={close} /> : null}
    </div>
  );
}

function StartDialog({ slug, experiment: e, onClose }: ControlDialogProps) {
  const done = useDone(onClose);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [plans, setPlans] = useState<{
    control: { key: string; version: number; live: number | null };
    variants: { key: string; version: number; plan: ReleasePlan }[];
  } | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmedRollback, setConfirmedRollback] = useState(false);
  useEffect(() => {
    let live = true;
    experimentPlansAction(slug, { id: e.id })
      .then((r) => live && (r.ok ? setPlans(r.data) : setError(sentence(r.message))))
      .catch(() => live && setError("Could not load what the variants need."));
    return () => {
      live = false;
    };
  }, [slug, e.id]);
  const served = (key: string) => (e.variants.find((v) => v.key === key)?.weight ?? 0) > 0;
  const blocked = (plans?.variants ?? []).filter((v) => served(v.key) && v.plan.status === "blocked");
  // Breaking changes and a rollback are the steps the person can meet here, by confirming them.
  const confirmable = (m: string) => m === "breaking" || m === "rolled_back";
  const onlyConfirmations = blocked.length > 0 && blocked.every((v) => v.plan.missing.every(confirmable));
  const needs = (id: string) => blocked.some((v) => v.plan.missing.includes(id as never));
  const confirmedAll = (!needs("breaking") || confirmed) && (!needs("rolled_back") || confirmedRollback);
  const breakingKeys = blocked.flatMap((v) => {
    const a = v.plan.steps.find((s) => s.id === "breaking")?.action;
    return a?.kind === "confirm_breaking" ? a.keys : [];
  });
  const controlWrong = plans !== null && plans.control.live !== plans.control.version;
  const cannotStart = controlWrong || (blocked.length > 0 && !(onlyConfirmations && confirmedAll));
  async function start() {
    setBusy(true);
    setError(null);
    const r = await startExperimentAction(slug, {
      id: e.id,
      confirmBreaking: confirmed ? breakingKeys : [],
      confirmRolledBack: confirmedRollback,
    });
    setBusy(false);
    if (!r.ok) return setError(sentence(r.message));
    done(
      `Started: ${e.prompt} in ${e.environment} is now split between ${e.variants.map((v) => v.key).join(" and ")}.`,
    );
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Start “${e.name}”`}
      description={`From now on, users asking for ${e.prompt} in ${e.environment} with a subject get the version of their variant.`}
      footer={
        <>
          <CancelButton onClick={onClose} />
          <Button onClick={() => void start()} disabled={busy || plans === null || cannotStart}>
            {busy ? "Starting…" : "Start now"}
          </Button>
        </>
      }
    >
      <ul className="flex flex-col gap-1 text-sm text-slate-800">
        {e.variants.map((v, i) => (
          <li key={v.key}>
            <span className="font-medium">{v.key}</span> (version {v.version}
            {i === 0 ? ", the control" : ""}): {percent(v.weight, 0)} of the subjects
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm text-slate-600">
        Requests without a subject, and subjects outside the coverage, keep getting the control. Applications using the
        SDK switch within seconds. A promotion or rollback of {e.prompt} in {e.environment} stops the experiment.
      </p>
      {controlWrong && plans ? (
        <p
          role="alert"
          className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950"
          data-testid="control-not-live"
        >
          The control must be what {e.environment} serves
          {plans.control.live === null ? " (nothing is live there yet)" : ` (version ${plans.control.live})`}; this
          experiment&apos;s control is version {plans.control.version}. Create the experiment again with the live
          version as its control.
        </p>
      ) : null}
      {blocked.map((v) => (
        <div key={v.key} className="mt-3">
          <ReleasePlanView
            plan={v.plan}
            metOverride={[
              ...(confirmed ? (["breaking"] as const) : []),
              ...(confirmedRollback ? (["rolled_back"] as const) : []),
            ]}
            title={`Variant ${v.key} (version ${v.version}) in ${e.environment}`}
          />
        </div>
      ))}
      {onlyConfirmations && needs("rolled_back") ? (
        <label className="mt-3 flex items-start gap-2 text-sm text-slate-800" data-testid="confirm-rolled-back">
          <input
            type="checkbox"
            className="mt-0.5 size-4"
            checked={confirmedRollback}
            onChange={(ev) => setConfirmedRollback(ev.target.checked)}
          />
          I know a variant&apos;s version was rolled back in {e.environment} (see above), and serve it to its subjects
          again.
        </label>
      ) : null}
      {onlyConfirmations && needs("breaking") ? (
        <Checkbox
          className="mt-3 flex items-start gap-2 text-sm text-slate-800"
          boxClassName="mt-0.5 size-4"
          checked={confirmed}
          onCheck={setConfirmed}
        >
          I confirm these changes for the applications using {e.environment}: the subjects of these variants get them.
        </Checkbox>
      ) : null}
      <FormError message={error} />
    </Dialog>
  );
}
