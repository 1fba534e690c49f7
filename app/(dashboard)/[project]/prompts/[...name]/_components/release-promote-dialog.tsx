"use client";

import { useState } from "react";
import { deployPermission } from "@/lib/auth/permissions";
import { blockedReason } from "@/components/blocked-reasons";
import { ReleasePlanView } from "@/components/release/release-plan";
import { promoteAction } from "../_actions";
import { PlanStepAction, type PlanDialogMode } from "./plan-step-action";
import {
  experimentNotYours,
  PromoteBlocked,
  ReleaseEndsExperiment,
  ReleaseRolledBack,
  unmetRollback,
} from "./release-rolled-back";
import { ReleaseDependentsOverride, unmetDependents } from "./release-questions";
import { ReleaseBreaking } from "./release-changes";
import { composingNotYours, useExperimentChoice } from "./release-experiments";
import {
  ReleaseShell,
  serveVersion,
  releaseView,
  useOnFresh,
  usePlanHost,
  useReleaseSubmit,
  type ReleaseTarget,
} from "./release-shell";

/**
 * Promotes a version: its plan (a missing step has its button; the confirmations the person gives here count
 * as met), what it does to a running experiment, and the breaking changes it must confirm.
 */
export function PromoteDialog({
  release: r,
  onOpen,
}: {
  release: ReleaseTarget;
  onOpen: (mode: PlanDialogMode, environment: string) => void;
}) {
  const { busy, error, setError, submit, breakingError } = useReleaseSubmit(r.onClose);
  const { host, breakingRef, rolledBackRef, dependentsRef } = usePlanHost(r, "promote", onOpen, () => setError(null));
  const [confirmed, setConfirmed] = useState(false);
  const [confirmedRollback, setConfirmedRollback] = useState(false);
  const [confirmedDependents, setConfirmedDependents] = useState(false);
  const { environment, actor, plan, current } = releaseView(r);
  // A partial's release that changes a running experiment's arms: the person chooses.
  const experiment = useExperimentChoice(r, plan);
  useOnFresh(r, () => {
    setConfirmed(false);
    setConfirmedRollback(false);
    setConfirmedDependents(false);
    experiment.setAction(undefined);
  });
  // The plan says which changes this promotion must confirm (lib/views/release-preview.ts).
  const toConfirm = current?.toConfirm ?? [];
  const needsConfirmation = toConfirm.length > 0;
  // A promotion needs every step but the confirmation, which the person gives here.
  const confirmedHere = [
    ...(confirmed ? ["breaking" as const] : []),
    ...(confirmedRollback ? ["rolled_back" as const] : []),
    ...(confirmedDependents ? ["dependents" as const] : []),
    ...(experiment.chosen ? ["experiments" as const] : []),
  ];
  const blockedSteps = plan ? plan.steps.filter((s) => !s.met && !confirmedHere.includes(s.id as never)) : [];
  const notYours = experimentNotYours(plan, actor);
  const promoteBlocked = plan !== null && plan.status !== "live" && blockedSteps.length > 0;

  const confirm = () =>
    serveVersion(r, submit, (input) =>
      promoteAction(r.slug, {
        ...input,
        confirmBreaking: confirmed ? toConfirm.map((c) => c.key) : [],
        confirmRolledBack: confirmedRollback,
        confirmDependents: confirmedDependents,
        experimentAction: experiment.chosen ? experiment.action : undefined,
      }),
    );

  return (
    <ReleaseShell
      release={r}
      mode="promote"
      description="Check what will go live before you confirm."
      error={error}
      busy={busy}
      disabled={
        (needsConfirmation && !confirmed) ||
        notYours !== null ||
        composingNotYours(experiment.choice, actor).length > 0 ||
        promoteBlocked
      }
      blocked={r.env ? blockedReason(actor, deployPermission(r.env)) : null}
      onConfirm={() => void confirm()}
    >
      {plan ? (
        <ReleasePlanView
          plan={notYours ? { ...plan, notices: plan.notices.filter((n) => n !== notYours) } : plan}
          metOverride={confirmedHere}
          action={(step) => <PlanStepAction host={host} plan={plan} step={step} />}
        />
      ) : null}
      {experiment.field}
      <ReleaseEndsExperiment notice={notYours} />
      <ReleaseRolledBack
        step={unmetRollback(plan)}
        confirmed={confirmedRollback}
        onConfirmed={setConfirmedRollback}
        confirmRef={rolledBackRef}
      />
      {promoteBlocked ? <PromoteBlocked steps={blockedSteps} /> : null}
      <ReleaseDependentsOverride
        step={unmetDependents(plan)}
        actor={actor}
        confirmed={confirmedDependents}
        onConfirmed={setConfirmedDependents}
        confirmRef={dependentsRef}
      />
      <ReleaseBreaking
        mode="promote"
        environment={environment}
        current={current}
        breaking={current?.compat.breaking ?? []}
        needsConfirmation={needsConfirmation}
        confirmed={confirmed}
        onConfirmed={setConfirmed}
        error={breakingError}
        breakingRef={breakingRef}
      />
    </ReleaseShell>
  );
}
