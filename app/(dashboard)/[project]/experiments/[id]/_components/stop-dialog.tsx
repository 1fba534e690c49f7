"use client";

import { useState, type ReactNode } from "react";
import { sentence } from "@/lib/sentence";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/textarea";
import { stopExperimentAction } from "../../_actions";
import type { ControlDialogProps, EnvironmentRules } from "./experiment-controls";
import { FormError } from "@/components/forms/form-error";
import { ExperimentActionChoice, useExperimentAsk } from "@/components/experiments/experiment-action-choice";
import { Radio } from "@/components/forms/radio";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";

/**
 * Ends the experiment with a decision: ship a variant (promoted through the release log, so the
 * environment's rules apply and a refusal says which) or keep the control. The data's winner is preselected,
 * the call is restated, and shipping what the data has not called needs a reason (the server refuses it too).
 */
export function StopDialog({
  slug,
  experiment: e,
  environment,
  winner,
  verdict,
  onClose,
}: ControlDialogProps & {
  environment: EnvironmentRules;
  winner: string | null;
  verdict: string;
}) {
  const done = useDone(onClose);
  const control = e.variants[0]!;
  const [choice, setChoice] = useState<string>(winner && winner !== control.key ? winner : "keep");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Shipping a partial's version changes what experiments on prompts that include it serve: the server asks what
  // happens to them (409 experiment_running), and the person answers here before shipping again.
  const experiment = useExperimentAsk();
  // Another decision is another release: what the server asked was about this one.
  const choose = (value: string) => {
    setChoice(value);
    experiment.reset();
  };
  const shipped = e.variants.find((v) => v.key === choice);
  // Against the data (shipping with no winner called, or another variant than the winner): a reason is required.
  const againstData = shipped !== undefined && shipped !== control && winner !== shipped.key;
  const missingReason = againstData && !reason.trim();

  async function stop() {
    setBusy(true);
    setError(null);
    const r = await stopExperimentAction(slug, {
      id: e.id,
      decision: choice === "keep" ? { keep: "control" } : { ship: choice },
      reason,
      ...experiment.send,
    });
    setBusy(false);
    if (experiment.heard(r.ok ? null : r)) return;
    if (!r.ok) return setError(sentence(r.message));
    const deployedVersion = r.data.decision?.deployment?.version;
    done(
      deployedVersion
        ? `Stopped. ${e.environment} now serves version ${deployedVersion} of ${e.prompt} to everyone.`
        : `Stopped. ${e.environment} keeps serving version ${control.version} to everyone.`,
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={`Stop “${e.name}”`}
      description="Choose what everyone gets from now on. The decision and your reason are kept with the experiment and in the activity log."
      footer={
        <>
          <CancelButton onClick={onClose} />
          <Button
            onClick={() => void stop()}
            disabled={busy || missingReason || (experiment.asked !== null && !experiment.action)}
          >
            {busy ? "Working…" : shipped ? `Ship ${shipped.key} to ${e.environment}` : "Stop and keep the control"}
          </Button>
        </>
      }
    >
      <DataSays winner={winner} control={control.key} verdict={verdict} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">Decision</legend>
        {e.variants.slice(1).map((v) => (
          <DecisionOption
            key={v.key}
            value={v.key}
            choice={choice}
            onChoose={choose}
            title={`Ship ${v.key} (version ${v.version})`}
            winner={winner === v.key}
          >
            Promotes version {v.version} to {e.environment} through the release log, for everyone.
          </DecisionOption>
        ))}
        <DecisionOption
          value="keep"
          choice={choice}
          onChoose={choose}
          title={`Keep the control (${control.key}, version ${control.version})`}
          winner={winner === control.key}
        >
          Ends the split; {e.environment} keeps serving version {control.version}. Nothing is deployed.
        </DecisionOption>
      </fieldset>
      {shipped ? (
        <ShipNotices
          shipped={shipped.key}
          winner={winner}
          control={control.key}
          environmentName={e.environment}
          environment={environment}
        />
      ) : null}
      <div className="mt-3">
        <Textarea
          label="Reason (kept with the decision)"
          required={againstData}
          id="stop-reason"
          rows={2}
          value={reason}
          onValue={setReason}
          placeholder="e.g. b wins on thumbs up with no guardrail breached"
        />
      </div>
      {experiment.asked && shipped ? (
        <div className="mt-3">
          <ExperimentActionChoice
            ask={experiment.asked}
            name="ship-experiment-action"
            value={experiment.action}
            onChange={experiment.setAction}
          />
        </div>
      ) : null}
      <FormError message={error} />
    </Dialog>
  );
}

/** One choice of the decision: what it does, and whether the data picked it. */
function DecisionOption({
  value,
  choice,
  onChoose,
  title,
  winner,
  children,
}: {
  value: string;
  choice: string;
  onChoose: (value: string) => void;
  title: string;
  winner: boolean;
  children: ReactNode;
}) {
  return (
    <Radio
      className="flex items-start gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
      boxClassName="mt-0.5 size-4"
      name="decision"
      value={value}
      checked={choice === value}
      onChange={() => onChoose(value)}
    >
      <span>
        <span className="font-medium">{title}</span>
        {winner ? (
          <span className="ml-1.5 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            the data&apos;s winner
          </span>
        ) : null}
        <span className="block text-slate-600">{children}</span>
      </span>
    </Radio>
  );
}

/** The data's call, and the verdict in words. */
function DataSays({ winner, control, verdict }: { winner: string | null; control: string; verdict: string }) {
  return (
    <section aria-label="What the data says" className="mb-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
      <p className="font-medium text-slate-900">
        {winner === null
          ? "The data has not called a winner."
          : winner === control
            ? `The data says: keep the control (${control}).`
            : `The data says: ship ${winner}.`}
      </p>
      <p className="mt-1 text-slate-700" data-testid="stop-verdict">
        {verdict}
      </p>
    </section>
  );
}

/** Shipping against the data needs a reason; shipping into a protected or guarded environment is a promotion. */
function ShipNotices({
  shipped,
  winner,
  control,
  environmentName,
  environment,
}: {
  shipped: string;
  winner: string | null;
  control: string;
  environmentName: string;
  environment: EnvironmentRules;
}) {
  const rules = [
    environment.requiresReview ? "an approved review of the version" : null,
    environment.requiresLiveIn ? `the version to have been live in ${environment.requiresLiveIn}` : null,
  ].filter(Boolean);
  return (
    <>
      {!winner ? (
        <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The data has not called a winner yet. You may still ship {shipped}, but say why below: the reason is required
          and kept with the decision.
        </p>
      ) : null}
      {winner && winner !== shipped ? (
        <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The data recommends {winner === control ? "keeping the control" : `shipping ${winner}`}, not {shipped}. Say
          why below: the reason is required.
        </p>
      ) : null}
      {environment.protected || rules.length ? (
        <p className="mt-3 text-sm text-slate-700">
          {environmentName} is {environment.protected ? "protected" : "guarded by rules"}: shipping is a promotion like
          any other
          {rules.length ? `, and it requires ${rules.join(" and ")}` : ""}. If a rule refuses, the experiment keeps
          running.
        </p>
      ) : null}
    </>
  );
}
