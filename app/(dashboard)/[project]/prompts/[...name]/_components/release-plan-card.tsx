"use client";

import { useState } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { deployPermission, type Actor } from "@/lib/auth/permissions";
import type { ReleasePlan } from "@/lib/release/plan/plan";
import { blockedReason } from "@/components/blocked-reasons";
import { ReleasePlanView } from "@/components/release/release-plan";
import { GatedButton } from "@/components/ui/gated-button";
import { PlanStepAction, type PlanActionHost } from "./plan-step-action";
import { ReleaseDialog, type ReleaseMode } from "./release-dialog";
import type { EnvironmentView, VersionOption } from "./types";

/**
 * What the shown version still needs before each environment serves it, with a button for each
 * missing step: promote it where it must be live first, run the gate's evaluation, request a review,
 * open the pending one, confirm breaking changes (in the promote dialog), each by PlanStepAction as
 * everywhere a plan is shown. Computed by the server with the same function the release operations
 * check (lib/release/plan/plan.ts).
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
  const pathname = usePathname();
  const params = useSearchParams();
  // `?open=promote:staging` (a plan's button elsewhere, e.g. a review) opens that form here, also when
  // it arrives while the page is already open (the state is adjusted during render, not in an effect).
  const requested = params.get("open");
  const parse = (value: string | null) => {
    const [mode, environment] = (value ?? "").split(":");
    return (mode === "promote" || mode === "review") && environments.some((e) => e.name === environment)
      ? { mode: mode as ReleaseMode, environment: environment! }
      : null;
  };
  const [open, setOpen] = useState<{ mode: ReleaseMode; environment: string } | null>(() => parse(requested));
  const [seen, setSeen] = useState(requested);
  if (requested !== seen) {
    setSeen(requested);
    if (parse(requested)) setOpen(parse(requested));
  }
  const envOf = (name: string) => environments.find((e) => e.name === name);
  const host: PlanActionHost = {
    slug,
    prompt,
    actor,
    environments,
    open: (mode, environment) => setOpen({ mode, environment }),
    reviewHref: "#reviews",
  };
  function close() {
    setOpen(null);
    if (params.has("open")) {
      const q = new URLSearchParams(params);
      q.delete("open");
      router.replace(`${pathname}?${q.toString()}`, { scroll: false });
    }
  }

  return (
    <>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 xl:grid-cols-3">
        {plans.map((plan) => {
          const target = envOf(plan.environment);
          return (
            <div key={plan.environment} className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-3">
              <ReleasePlanView
                plan={plan}
                action={(step) => <PlanStepAction host={host} plan={plan} step={step} />}
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
                    blockedReason={target ? blockedReason(actor, deployPermission(target)) : null}
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
          key={`${open.mode}:${open.environment}`}
          actor={actor}
          open
          onClose={close}
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
