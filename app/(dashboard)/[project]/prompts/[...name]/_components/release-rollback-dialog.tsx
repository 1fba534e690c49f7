"use client";

import { useRef } from "react";
import { blockedReason } from "@/components/blocked-reasons";
import { rollbackAction } from "../_actions";
import { RollbackStopsNotice } from "./release-rolled-back";
import { ReleaseBreaking } from "./release-changes";
import { composingNotYours, useExperimentChoice } from "./release-experiments";
import {
  ReleaseShell,
  serveVersion,
  releaseView,
  useOnFresh,
  useReleaseSubmit,
  type ReleaseTarget,
} from "./release-shell";

/**
 * Rolls an environment back to a version it served (promotion rules are not re-checked): what it stops, what
 * it does to a running experiment (the person chooses), and what changes for the environment's applications.
 */
export function RollbackDialog({ release: r }: { release: ReleaseTarget }) {
  const { busy, error, submit, breakingError } = useReleaseSubmit(r.onClose);
  const breakingRef = useRef<HTMLDivElement>(null);
  const { environment, actor, plan, current } = releaseView(r);
  const experiment = useExperimentChoice(r, plan);
  useOnFresh(r, () => experiment.setAction(undefined));

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
        error={breakingError}
        breakingRef={breakingRef}
      />
    </ReleaseShell>
  );
}
