"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { deployAction, type Actor } from "@/lib/auth/permissions";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan";
import { blockedReason } from "@/components/permissions";
import { ReleasePlanView } from "@/components/release/release-plan";
import { GatedButton } from "@/components/ui/gated-button";
import { LinkButton } from "@/components/ui/link-button";
import { useToast } from "@/components/ui/toast";
import { runGateEvaluationAction } from "../_actions";
import { ReleaseDialog, type ReleaseMode } from "./release-dialog";
import type { EnvironmentView, VersionOption } from "./types";

/**
 * What the shown version still needs before each environment serves it, with a button for each
 * missing step: promote it where it must be live first, run the gate's evaluation, request a review,
 * open the pending one, confirm breaking changes (in the promote dialog). Computed by the server with
 * the same function the release operations check (lib/release/plan.ts).
 */
export function ReleasePlanCard({
  slug,
  prompt,
  actor,
  version,
  plans,
  environments,
  versions,
}: {
  slug: string;
  prompt: string;
  actor: Actor;
  version: number;
  plans: ReleasePlan[];
  environments: EnvironmentView[];
  versions: VersionOption[];
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<{ mode: ReleaseMode; environment: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const envOf = (name: string) => environments.find((e) => e.name === name);

  async function runGate(environment: string) {
    setBusy(environment);
    const r = await runGateEvaluationAction(slug, { name: prompt, environment, version });
    setBusy(null);
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Evaluation of version ${version} for ${environment}'s gate started.`);
    router.push(`/${slug}/evaluations/${r.data.id}`);
  }

  const actionFor = (plan: ReleasePlan) =>
    function Action(step: PlanStep) {
      const a = step.action;
      if (!a) return null;
      switch (a.kind) {
        case "promote": {
          const target = envOf(a.environment);
          return (
            <GatedButton
              size="sm"
              blockedReason={target ? blockedReason(actor, deployAction(target)) : null}
              onClick={() => setOpen({ mode: "promote", environment: a.environment })}
            >
              Promote to {a.environment}…
            </GatedButton>
          );
        }
        case "run_evaluation":
          return (
            <GatedButton
              size="sm"
              disabled={busy !== null}
              blockedReason={blockedReason(actor, "evaluation.run")}
              onClick={() => void runGate(plan.environment)}
            >
              {busy === plan.environment ? "Starting…" : `Run evaluation on ${step.evaluation?.dataset ?? "the gate"}`}
            </GatedButton>
          );
        case "wait_for_run":
          return (
            <LinkButton size="sm" href={`/${slug}/evaluations/${a.run}`}>
              See the run
            </LinkButton>
          );
        case "request_review":
          return (
            <GatedButton
              size="sm"
              blockedReason={blockedReason(actor, "review.request")}
              onClick={() => setOpen({ mode: "review", environment: a.environment })}
            >
              Request review…
            </GatedButton>
          );
        case "decide_review":
          return (
            <LinkButton size="sm" href="#reviews">
              Open the review
            </LinkButton>
          );
        case "confirm_breaking": {
          const target = envOf(plan.environment);
          return (
            <GatedButton
              size="sm"
              blockedReason={target ? blockedReason(actor, deployAction(target)) : null}
              onClick={() => setOpen({ mode: "promote", environment: plan.environment })}
            >
              Review the changes…
            </GatedButton>
          );
        }
      }
    };

  return (
    <>
      <div className="grid gap-4 lg:grid-cols-2 xl:grid-cols-3">
        {plans.map((plan) => {
          const target = envOf(plan.environment);
          return (
            <div key={plan.environment} className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-3">
              <ReleasePlanView
                plan={plan}
                action={actionFor(plan)}
                compact
                title={
                  <span>
                    Version {version} → {plan.environment}
                    {plan.live !== null && plan.status !== "live" ? (
                      <span className="font-normal text-slate-600"> (serves v{plan.live} now)</span>
                    ) : null}
                  </span>
                }
              />
              {plan.status === "ready" ? (
                <div>
                  <GatedButton
                    size="sm"
                    blockedReason={target ? blockedReason(actor, deployAction(target)) : null}
                    onClick={() => setOpen({ mode: "promote", environment: plan.environment })}
                  >
                    Promote to {plan.environment}…
                  </GatedButton>
                </div>
              ) : null}
              {plan.steps.some((s) => s.id === "evaluation" && s.evaluation?.run) ? (
                <Link
                  className="text-xs text-slate-600 underline"
                  href={`/${slug}/evaluations/${plan.steps.find((s) => s.id === "evaluation")!.evaluation!.run}`}
                >
                  The gate’s run of version {version}
                </Link>
              ) : null}
            </div>
          );
        })}
      </div>
      {open ? (
        <ReleaseDialog
          actor={actor}
          open
          onClose={() => setOpen(null)}
          mode={open.mode}
          slug={slug}
          prompt={prompt}
          environments={environments}
          initialEnvironment={open.environment}
          initialVersion={version}
          versions={versions}
        />
      ) : null}
    </>
  );
}
