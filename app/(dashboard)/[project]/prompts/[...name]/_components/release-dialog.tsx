"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { deployAction, type Actor } from "@/lib/auth/permissions";
import type { Compatibility } from "@/lib/registry/compat";
import type { ContentDiff } from "@/lib/registry/diff";
import { blockedReason } from "@/components/permissions";
import { GatedButton } from "@/components/ui/gated-button";
import { ContentDiffSkeleton, ContentDiffView } from "@/components/diff/content-diff";
import { sentence } from "@/components/editor/state";
import { statusLabel } from "@/components/release/badges";
import { BreakingChanges } from "@/components/release/breaking-changes";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import type { ReleasePlan } from "@/lib/release/plan";
import { ReleasePlanView } from "@/components/release/release-plan";
import { promoteAction, releasePreviewAction, requestReviewAction, rollbackAction } from "../_actions";
import { PlanStepAction, type PlanActionHost } from "./plan-step-action";
import type { EnvironmentView, VersionOption } from "./types";

export type ReleaseMode = "promote" | "rollback" | "review";

const titles: Record<ReleaseMode, (env: string) => string> = {
  promote: (env) => `Promote to ${env}`,
  rollback: (env) => `Roll back ${env}`,
  review: (env) => `Request review for ${env}`,
};

type Preview = {
  live: number | null;
  diff: ContentDiff;
  compat: Compatibility;
  rules: { protected: boolean; requiresReview: boolean; requiresLiveIn: string | null };
  plan: ReleasePlan;
};

/** Plan steps an approval cannot give (the review itself and the approver's confirmation aside). */
const beyondReview = (plan: ReleasePlan) =>
  plan.steps.filter((s) => !s.met && s.id !== "review" && s.id !== "breaking");

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
  const router = useRouter();
  const toast = useToast();
  const [mode, setMode] = useState(initialMode);
  const [environment, setEnvironment] = useState(initialEnvironment);
  const breakingRef = useRef<HTMLDivElement>(null);
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
  const [loaded, setLoaded] = useState<(Preview & { key: string }) | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const blocked =
    mode === "promote"
      ? env
        ? blockedReason(actor, deployAction(env))
        : null
      : mode === "rollback"
        ? blockedReason(actor, "release.rollback")
        : blockedReason(actor, "review.request");

  useEffect(() => {
    if (!open || version === undefined) return;
    let live = true;
    releasePreviewAction(slug, { name: prompt, environment, version })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setLoaded({ ...r.data, key: `${environment}:${version}` });
          setPreviewError(null);
          setConfirmed(false); // a confirmation covers the changes that were shown, not another version's
          setAcknowledged(false);
        } else setPreviewError(r.message);
      })
      .catch(() => live && setPreviewError("Could not load the changes."));
    return () => {
      live = false;
    };
  }, [open, slug, prompt, environment, version]);

  // Only the preview of this environment and version counts; one for an earlier choice is stale.
  const preview = loaded?.key === `${environment}:${version}` ? loaded : null;
  const current = preview && preview.live !== version ? preview : null;
  const breaking = current?.compat.breaking ?? [];
  const needsConfirmation = mode === "promote" && Boolean(current?.rules.protected) && breaking.length > 0;
  const plan = preview?.plan ?? null;
  // A promotion needs every step but the confirmation, which the person gives here.
  const blockedSteps = plan ? plan.steps.filter((s) => !s.met && !(s.id === "breaking" && confirmed)) : [];
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
            confirmBreaking: confirmed ? breaking.map((c) => c.key) : [],
          })
        : mode === "rollback"
          ? await rollbackAction(slug, { name: prompt, environment, version, reason: text })
          : await requestReviewAction(slug, {
              name: prompt,
              environment,
              version,
              message: text,
              deployOnApprove,
              acknowledgeMissing: acknowledged,
            });
    setBusy(false);
    if (!r.ok) {
      setError({ message: sentence(r.message), field: r.field });
      return;
    }
    toast.show(
      mode === "review"
        ? `Review requested for version ${version} in ${environment}.`
        : `${environment} now serves version ${version}.`,
    );
    onClose();
    router.refresh();
  }

  const confirmLabel =
    mode === "promote"
      ? `Promote version ${version ?? ""} to ${environment}`
      : mode === "rollback"
        ? `Roll back ${environment} to version ${version ?? ""}`
        : "Request review";
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="xl"
      title={titles[mode](environment)}
      description={
        mode === "review"
          ? "An approver will see these changes and approve or reject them."
          : "Check what will go live before you confirm."
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <GatedButton
            variant={mode === "rollback" ? "danger" : "primary"}
            onClick={() => void confirm()}
            disabled={
              busy ||
              version === undefined ||
              (needsConfirmation && !confirmed) ||
              promoteBlocked ||
              (reviewIncomplete && !acknowledged)
            }
            blockedReason={blocked}
          >
            {busy ? "Working…" : confirmLabel}
          </GatedButton>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {mode !== "rollback" ? (
            <Select
              label="Environment"
              id="release-environment"
              value={environment}
              onChange={(e) => setEnvironment(e.target.value)}
            >
              {environments.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </Select>
          ) : null}
          <Select
            label={mode === "rollback" ? "Roll back to version" : "Version"}
            id="release-version"
            value={version ?? ""}
            onChange={(e) => setVersion(Number(e.target.value))}
            error={error?.field === "version" ? error.message : undefined}
          >
            {choices.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} ·{" "}
                {v.version === env?.live?.version
                  ? `live in ${environment}`
                  : v.version === env?.previous
                    ? `previously live in ${environment}`
                    : statusLabel(v.status, v.liveIn)}{" "}
                — {v.commitMessage.slice(0, 60) || "no message"}
              </option>
            ))}
          </Select>
        </div>
        <Textarea
          label={mode === "review" ? "Message to the reviewer" : "Reason (shown in the history)"}
          id="release-reason"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={
            mode === "rollback"
              ? "What went wrong?"
              : mode === "review"
                ? "What should the reviewer look at?"
                : "Optional"
          }
        />
        {mode === "review" ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="size-4"
              checked={deployOnApprove}
              onChange={(e) => setDeployOnApprove(e.target.checked)}
            />
            Deploy to {environment} as soon as it is approved
          </label>
        ) : null}
        {plan && mode !== "rollback" ? (
          <ReleasePlanView
            plan={plan}
            metOverride={confirmed ? ["breaking"] : []}
            action={(step) => <PlanStepAction host={host} plan={plan} step={step} />}
          />
        ) : null}
        {plan && mode === "rollback"
          ? plan.notices
              .filter((n) => n.kind === "stops_experiment")
              .map((n) => (
                <p
                  key={n.kind}
                  role="note"
                  data-testid="plan-notice-stops_experiment"
                  className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800"
                >
                  {n.message.replace("this release stops it", "rolling back stops it")}
                </p>
              ))
          : null}
        {promoteBlocked ? (
          <p className="text-sm text-slate-700" data-testid="promote-blocked">
            Promotion is possible once the missing {blockedSteps.length === 1 ? "step is" : "steps are"} done:{" "}
            {blockedSteps.map((s) => s.title.toLowerCase()).join("; ")}.
          </p>
        ) : null}
        {reviewIncomplete && plan ? (
          <label className="flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
            <input
              type="checkbox"
              className="mt-0.5 size-4"
              checked={acknowledged}
              onChange={(e) => setAcknowledged(e.target.checked)}
            />
            <span>
              An approval cannot deploy version {version} to {environment} yet:{" "}
              {beyondReview(plan)
                .map((s) => s.title.toLowerCase())
                .join("; ")}
              . Request the review anyway; the approver will see what is still missing.
            </span>
          </label>
        ) : null}
        {breaking.length ? (
          <div ref={breakingRef}>
            <BreakingChanges
              changes={breaking}
              against={
                current?.live ? `version ${current.live}, live in ${environment} now` : `what ${environment} serves now`
              }
              confirm={
                needsConfirmation
                  ? {
                      environment,
                      checked: confirmed,
                      onChange: setConfirmed,
                      error: error?.field === "confirmBreaking" ? error.message : undefined,
                    }
                  : undefined
              }
            />
          </div>
        ) : null}
        {breaking.length && mode === "review" && current?.rules.protected ? (
          <p className="text-sm text-slate-700">
            The approver will be asked to confirm these changes before {environment} gets them.
          </p>
        ) : null}
        {current && current.live !== null && !breaking.length ? (
          <p className="text-sm text-emerald-800" data-testid="no-breaking-changes">
            No change breaks the applications using {environment}: they can keep sending what they send now.
          </p>
        ) : null}
        {error && error.field !== "version" && error.field !== "confirmBreaking" ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        ) : null}
        <div
          className="border-t border-slate-100 pt-4"
          aria-live="polite"
          aria-busy={!preview && !previewError ? true : undefined}
        >
          {previewError ? (
            <p className="text-sm text-red-800">{sentence(previewError)}</p>
          ) : !preview ? (
            <ContentDiffSkeleton />
          ) : preview.live === version ? (
            <p className="text-sm text-slate-700">
              Version {version} is already live in {environment}.
            </p>
          ) : (
            <ContentDiffView
              diff={preview.diff}
              before={preview.live ? `live in ${environment} (v${preview.live})` : "nothing live"}
              after={`version ${version}`}
            />
          )}
        </div>
      </div>
    </Dialog>
  );
}
