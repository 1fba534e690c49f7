"use client";

import { useRef, useState } from "react";
import { blockedReason } from "@/components/permissions";
import { rollbackAction } from "../_actions";
import { RollbackStopsNotice } from "./release-rolled-back";
import { ReleaseBreaking } from "./release-changes";
import { composingNotYours, useExperimentChoice } from "./release-experiments";
import { ReleaseShell, serveVersion, useReleaseSubmit, type ReleaseTarget } from "./release-shell";

/**
 * Rolls an environment back to a version it served (promotion rules are not re-checked): what it stops, what
 * it does to a running experiment (the person chooses), and what changes for the environment's applications.
 */
export function RollbackDialog({ release: r }: { release: ReleaseTarget }) {
  const { busy, error, submit } = useReleaseSubmit(r.onClose);
  const breakingRef = useRef<HTMLDivElement>(null);
  const { preview, version, environment, actor } = r;
  const plan = preview?.plan ?? null;
  const experiment = useExperimentChoice(r, plan);
  const [seen, setSeen] = useState(r.fresh);
  if (seen !== r.fresh) {
    setSeen(r.fresh); // a choice covers the changes that were shown, not another version's
    experiment.setAction(undefined);
  }
  const current = preview && preview.live !== version ? preview : null;

  const confirm = () =>
    serveVersion(r, submit, (input) =>
      rollbackAction(r.slug, { ...input, experimentAction: experiment.chosen ? experiment.action : undefined }),
    );

  return (
    <ReleaseShell
      release={r}
      mode="rollback"
      description="Check what will go live before you confirm."
      error={error}
      busy={busy}
      disabled={
        composingNotYours(experiment.choice, actor).length > 0 || (experiment.choice !== null && !experiment.chosen)
      }
      blocked={blockedReason(actor, "release.rollback")}
      onConfirm={() => void confirm()}
    >
      {plan ? <RollbackStopsNotice plan={plan} /> : null}
      {experiment.field}
      <ReleaseBreaking
        mode="rollback"
        environment={environment}
        current={current}
        error={error?.field === "confirmBreaking" ? error.message : undefined}
        breakingRef={breakingRef}
      />
    </ReleaseShell>
  );
}
