"use client";

import { useState } from "react";
import type { Actor } from "@/lib/auth/permissions";
import { deployPermission } from "@/lib/auth/permissions";
import { blockedReason } from "@/components/blocked-reasons";
import { Badge } from "@/components/ui/badge";
import { GatedButton } from "@/components/ui/gated-button";
import { Time } from "@/components/ui/time";
import { DeployActionBadge, envTone } from "@/components/release/release-badges";
import { usePreloadMonaco } from "@/components/editor/use-monaco";
import { ReleaseDialog, type ReleaseMode } from "./release-dialog";
import type { EnvironmentView, VersionOption } from "./types";

const ring: Record<string, string> = {
  green: "border-t-emerald-500",
  amber: "border-t-amber-500",
  blue: "border-t-blue-500",
  violet: "border-t-violet-500",
  gray: "border-t-slate-400",
  red: "border-t-red-500",
};

/** What each environment serves, with promote, roll back and request-review actions. */
export function EnvironmentPanel({
  slug,
  prompt,
  actor,
  environments,
  versions,
}: {
  slug: string;
  prompt: string;
  actor: Actor;
  environments: EnvironmentView[];
  versions: VersionOption[];
}) {
  const [open, setOpen] = useState<{ mode: ReleaseMode; environment: string } | null>(null);
  // The release dialogs show diffs: have Monaco ready before they open.
  usePreloadMonaco();
  return (
    <>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Environments">
        {environments.map((e) => {
          const promoteBlocked = blockedReason(actor, deployPermission(e));
          const rollbackBlocked =
            blockedReason(actor, "release.rollback") ??
            (!e.live
              ? `Nothing is live in ${e.name} yet, so there is nothing to roll back.`
              : !versions.some((v) => v.version !== e.live?.version && v.wasLiveIn.includes(e.name))
                ? `Only version ${e.live.version} has been live in ${e.name}; there is no earlier version to roll back to.`
                : null);
          const reviewBlocked = blockedReason(actor, "review.request");
          return (
            <li
              key={e.name}
              className={`flex flex-col gap-3 rounded-lg border border-t-4 border-slate-200 bg-white p-4 shadow-sm ${ring[envTone(e.name)]}`}
              data-testid={`env-${e.name}`}
            >
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-semibold text-slate-900">{e.name}</h3>
                {e.protected ? <Badge title="Only approvers and admins deploy here">protected</Badge> : null}
                {e.requiresReview ? <Badge tone="amber">needs review</Badge> : null}
                {e.requiresLiveIn ? <Badge tone="amber">after {e.requiresLiveIn}</Badge> : null}
              </div>
              {e.live ? (
                <div>
                  <p className="text-2xl font-semibold text-slate-900" data-testid={`live-${e.name}`}>
                    v{e.live.version}
                  </p>
                  <p className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-600">
                    <DeployActionBadge action={e.live.action} /> by {e.live.by} · <Time value={e.live.at} />
                  </p>
                </div>
              ) : (
                <div>
                  <p className="text-2xl font-semibold text-slate-400" data-testid={`live-${e.name}`}>
                    —
                  </p>
                  <p className="mt-1 text-xs text-slate-600">
                    Nothing live yet: applications asking for {e.name} get “not deployed”.
                  </p>
                </div>
              )}
              <div className="mt-auto flex flex-wrap gap-2">
                {(
                  [
                    ["promote", "Promote…", promoteBlocked],
                    ["rollback", "Roll back…", rollbackBlocked],
                    ["review", "Request review…", reviewBlocked],
                  ] as const
                ).map(([mode, text, blocked]) => (
                  <GatedButton
                    key={mode}
                    size="sm"
                    variant={mode === "promote" ? "primary" : "secondary"}
                    blockedReason={blocked}
                    onClick={() => setOpen({ mode, environment: e.name })}
                  >
                    {text}
                  </GatedButton>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
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
          versions={versions}
        />
      ) : null}
    </>
  );
}
