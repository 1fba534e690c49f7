"use client";

import { useRef, useState } from "react";
import { deployPermission, type Actor } from "@/lib/auth/permissions";
import type { ExperimentAction } from "@/lib/release/composing";
import { blockedReason } from "@/components/permissions";
import { GatedButton } from "@/components/ui/gated-button";
import { sentence } from "@/components/editor/state";
import { Dialog } from "@/components/ui/dialog";
import { ReleasePlanView } from "@/components/release/release-plan";
import { promoteAction, requestReviewAction, rollbackAction } from "../_actions";
import { PlanStepAction, type PlanActionHost } from "./plan-step-action";
import {
  experimentNotYours,
  PromoteBlocked,
  ReleaseEndsExperiment,
  ReleaseRolledBack,
  RollbackStopsNotice,
  unmetRollback,
} from "./release-rolled-back";
import { beyondReview, ReleaseDependentsOverride, ReviewAnyway, unmetDependents } from "./release-questions";
import { ReleaseBreaking, ReleaseDiff } from "./release-changes";
import { choiceMeets, composingChoice, composingNotYours, ReleaseExperimentChoice } from "./release-experiments";
import { ReleaseFields, releaseButton, releaseTitle } from "./release-fields";
import { useReleasePreview } from "./release-preview";
import type { EnvironmentView, ReleaseMode, VersionOption } from "./types";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";

export type { ReleaseMode } from "./types";

/**
 * Confirms a release: pick the version, see its release plan for the environment (what is met and
 * what is missing, before anyone clicks) and exactly what will go live (the diff from what the
 * environment serves now), then promote, roll back or ask for a review. Whatever the release also
 * does (stop a running experiment) is said before the button. Each missing step of the plan has its
 * button (PlanStepAction): "Promote to staging…" turns this form into that promotion, "Request
 * review…" into that request, and the evaluation runs from here.
 */
export function ReleaseDialog({
  open,
  onClose,
  mode: initialMode,
  slug,
  prompt,
  environments,
  initialEnvironment,
  initialVersion,
  versions,
  actor,
}: {
  actor: Actor;
  open: boolean;
  onClose: () => void;
  mode: ReleaseMode;
  slug: string;
  prompt: string;
  environments: EnvironmentView[];
  initialEnvironment: string;
  initialVersion?: number;
  versions: VersionOption[];
}) {
  const done = useDone(onClose);
  const [mode, setMode] = useState(initialMode);
  const [environment, setEnvironment] = useState(initialEnvironment);
  const breakingRef = useRef<HTMLDivElement>(null);
  const rolledBackRef = useRef<HTMLLabelElement>(null);
  const dependentsRef = useRef<HTMLLabelElement>(null);
  const env = environments.find((e) => e.name === environment);
  // A rollback returns to a version this environment has served (promotion rules are not re-checked).
  const choices =
    mode === "rollback"
      ? versions.filter((v) => v.version !== env?.live?.version && v.wasLiveIn.includes(environment))
      : versions;
  const fallback =
    mode === "rollback" ? (env?.previous ?? choices[0]?.version) : (initialVersion ?? versions[0]?.version);
  const [version, setVersion] = useState<number | undefined>(initialVersion ?? fallback);
  const [text, setText] = useState("");
  const [deployOnApprove, setDeployOnApprove] = useState(true);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmedRollback, setConfirmedRollback] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [confirmedDependents, setConfirmedDependents] = useState(false);
  const [experimentAction, setExperimentAction] = useState<ExperimentAction | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const blocked =
    mode === "promote"
      ? env
        ? blockedReason(actor, deployPermission(env))
        : null
      : mode === "rollback"
        ? blockedReason(actor, "release.rollback")
        : blockedReason(actor, "review.request");

  const { preview, previewError } = useReleasePreview(open, { slug, prompt, environment, version }, () => {
    setConfirmed(false); // a confirmation covers the changes that were shown, not another version's
    setConfirmedRollback(false);
    setConfirmedDependents(false);
    setExperimentAction(undefined);
  });
  const current = preview && preview.live !== version ? preview : null;
  const breaking = current?.compat.breaking ?? [];
  // The plan says which changes this promotion must confirm (lib/views/release-preview.ts).
  const toConfirm = mode === "promote" ? (current?.toConfirm ?? []) : [];
  const needsConfirmation = toConfirm.length > 0;
  const plan = preview?.plan ?? null;
  // A partial's release (or rollback) that changes a running experiment's arms: the person chooses.
  const experimentChoice = mode === "review" ? null : composingChoice(plan);
  const experimentChosen = choiceMeets(experimentChoice, experimentAction);
  // A promotion needs every step but the confirmation, which the person gives here.
  const confirmedHere = [
    ...(confirmed ? ["breaking" as const] : []),
    ...(confirmedRollback ? ["rolled_back" as const] : []),
    ...(confirmedDependents ? ["dependents" as const] : []),
    ...(experimentChosen ? ["experiments" as const] : []),
  ];
  const blockedSteps = plan ? plan.steps.filter((s) => !s.met && !confirmedHere.includes(s.id as never)) : [];
  const rolledBack = mode === "promote" ? unmetRollback(plan) : null;
  const notYours = mode === "promote" ? experimentNotYours(plan, actor) : null;
  const composingNotMine = composingNotYours(experimentChoice, actor).length > 0;
  const promoteBlocked = mode === "promote" && plan !== null && plan.status !== "live" && blockedSteps.length > 0;
  // A review whose approval could not deploy yet is requested only when the person says so.
  const reviewIncomplete = mode === "review" && deployOnApprove && plan !== null && beyondReview(plan).length > 0;
  const host: PlanActionHost = {
    slug,
    prompt,
    actor,
    environments,
    current: mode === "rollback" ? undefined : { mode, environment },
    open: (m, env) => {
      setMode(m);
      setEnvironment(env);
      setError(null);
    },
    confirmBreaking: () => {
      breakingRef.current?.scrollIntoView({ block: "center" });
      breakingRef.current?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
    },
    confirmRolledBack: () => rolledBackRef.current?.querySelector<HTMLInputElement>("input")?.focus(),
    confirmDependents: () => dependentsRef.current?.querySelector<HTMLInputElement>("input")?.focus(),
  };

  async function confirm() {
    if (version === undefined) return;
    setBusy(true);
    setError(null);
    const r =
      mode === "promote"
        ? await promoteAction(slug, {
            name: prompt,
            environment,
            version,
            reason: text,
            confirmBreaking: confirmed ? toConfirm.map((c) => c.key) : [],
            confirmRolledBack: confirmedRollback,
            confirmDependents: confirmedDependents,
            experimentAction: experimentChosen ? experimentAction : undefined,
          })
        : mode === "rollback"
          ? await rollbackAction(slug, {
              name: prompt,
              environment,
              version,
              reason: text,
              experimentAction: experimentChosen ? experimentAction : undefined,
            })
          : await requestReviewAction(slug, {
              name: prompt,
              environment,
              version,
              message: text,
              deployOnApprove,
              acknowledgeMissing: reviewIncomplete,
            });
    setBusy(false);
    if (!r.ok) {
      setError({ message: sentence(r.message), field: r.field });
      return;
    }
    const unchanged = "status" in r.data && r.data.status === "already_live";
    done(
      mode === "review"
        ? `Review requested for version ${version} in ${environment}.`
        : unchanged
          ? `Version ${version} is already live in ${environment}; nothing changed.`
          : `${environment} now serves version ${version}.`,
    );
  }

  const confirmLabel = releaseButton(mode, environment, version, reviewIncomplete);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="xl"
      title={releaseTitle(mode, environment)}
      description={
        mode === "review"
          ? "An approver will see these changes and approve or reject them."
          : "Check what will go live before you confirm."
      }
      footer={
        <>
          <CancelButton onClick={onClose} />
          <GatedButton
            variant={mode === "rollback" ? "danger" : "primary"}
            onClick={() => void confirm()}
            disabled={
              busy ||
              version === undefined ||
              (needsConfirmation && !confirmed) ||
              notYours !== null ||
              composingNotMine ||
              promoteBlocked ||
              (mode === "rollback" && experimentChoice !== null && !experimentChosen)
            }
            blockedReason={blocked}
          >
            {busy ? "Working…" : confirmLabel}
          </GatedButton>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <ReleaseFields
          mode={mode}
          environments={environments}
          environment={environment}
          onEnvironment={setEnvironment}
          env={env}
          choices={choices}
          version={version}
          onVersion={setVersion}
          versionError={error?.field === "version" ? error.message : undefined}
          text={text}
          onText={setText}
          deployOnApprove={deployOnApprove}
          onDeployOnApprove={setDeployOnApprove}
        />
        {plan && mode !== "rollback" ? (
          <ReleasePlanView
            plan={notYours ? { ...plan, notices: plan.notices.filter((n) => n !== notYours) } : plan}
            metOverride={confirmedHere}
            action={(step) => <PlanStepAction host={host} plan={plan} step={step} />}
          />
        ) : null}
        {plan && mode === "rollback" ? <RollbackStopsNotice plan={plan} /> : null}
        <ReleaseExperimentChoice
          choice={experimentChoice}
          value={experimentAction}
          onChange={setExperimentAction}
          prompt={prompt}
          version={version}
          environment={environment}
          actor={actor}
        />
        <ReleaseEndsExperiment notice={notYours} />
        <ReleaseRolledBack
          step={rolledBack}
          confirmed={confirmedRollback}
          onConfirmed={setConfirmedRollback}
          confirmRef={rolledBackRef}
        />
        {promoteBlocked ? <PromoteBlocked steps={blockedSteps} /> : null}
        {reviewIncomplete && plan ? <ReviewAnyway plan={plan} version={version} environment={environment} /> : null}
        <ReleaseDependentsOverride
          step={mode === "promote" ? unmetDependents(plan) : null}
          actor={actor}
          confirmed={confirmedDependents}
          onConfirmed={setConfirmedDependents}
          confirmRef={dependentsRef}
        />
        <ReleaseBreaking
          mode={mode}
          environment={environment}
          current={current}
          breaking={breaking}
          needsConfirmation={needsConfirmation}
          confirmed={confirmed}
          onConfirmed={setConfirmed}
          error={error?.field === "confirmBreaking" ? error.message : undefined}
          breakingRef={breakingRef}
        />
        {error && error.field !== "version" && error.field !== "confirmBreaking" ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        ) : null}
        <ReleaseDiff preview={preview} previewError={previewError} environment={environment} version={version} />
      </div>
    </Dialog>
  );
}
