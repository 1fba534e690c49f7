"use client";

import { useRef, useState } from "react";
import type { ExperimentAction } from "@/lib/release/composing";
import { blockedReason } from "@/components/permissions";
import { rollbackAction } from "../_actions";
import { RollbackStopsNotice } from "./release-rolled-back";
import { ReleaseBreaking } from "./release-changes";
import { choiceMeets, composingChoice, composingNotYours, ReleaseExperimentChoice } from "./release-experiments";
import { ReleaseShell, servedMessage, useReleaseSubmit, type ReleaseTarget } from "./release-shell";

/**
 * Rolls an environment back to a version it served (promotion rules are not re-checked): what it stops, what
 * it does to a running experiment (the person chooses), and what changes for the environment's applications.
 */
export function RollbackDialog({ release: r }: { release: ReleaseTarget }) {
  const { busy, error, submit } = useReleaseSubmit(r.onClose);
  const breakingRef = useRef<HTMLDivElement>(null);
  const [experimentAction, setExperimentAction] = useState<ExperimentAction | undefined>(undefined);
  const [seen, setSeen] = useState(r.fresh);
  if (seen !== r.fresh) {
    setSeen(r.fresh); // a choice covers the changes that were shown, not another version's
    setExperimentAction(undefined);
  }
  const { preview, version, environment, actor } = r;
  const current = preview && preview.live !== version ? preview : null;
  const plan = preview?.plan ?? null;
  const experimentChoice = composingChoice(plan);
  const experimentChosen = choiceMeets(experimentChoice, experimentAction);

  function confirm() {
    if (version === undefined) return;
    return submit(
      () =>
        rollbackAction(r.slug, {
          name: r.prompt,
          environment,
          version,
          reason: r.text,
          experimentAction: experimentChosen ? experimentAction : undefined,
        }),
      (data) => servedMessage(data, environment, version),
    );
  }

  return (
    <ReleaseShell
      release={r}
      mode="rollback"
      description="Check what will go live before you confirm."
      error={error}
      busy={busy}
      disabled={
        composingNotYours(experimentChoice, actor).length > 0 || (experimentChoice !== null && !experimentChosen)
      }
      blocked={blockedReason(actor, "release.rollback")}
      onConfirm={() => void confirm()}
    >
      {plan ? <RollbackStopsNotice plan={plan} /> : null}
      <ReleaseExperimentChoice
        choice={experimentChoice}
        value={experimentAction}
        onChange={setExperimentAction}
        prompt={r.prompt}
        version={version}
        environment={environment}
        actor={actor}
      />
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
