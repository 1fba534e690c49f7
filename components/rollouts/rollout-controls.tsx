"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { FormError } from "@/components/forms/form-error";
import {
  ExperimentActionChoice,
  useExperimentAsk,
  type ExperimentAction,
} from "@/components/experiments/experiment-action-choice";

type Move = "pause" | "resume" | "advance" | "rollback";
type Status = "running" | "paused" | "completed" | "rolled_back" | "stopped";

/** The server action a page passes in: its prompt's or its bundle's (both call actOnRollout). */
export type RolloutMoveAction = (
  slug: string,
  input: { id: string; action: Move; reason: string; experimentAction?: ExperimentAction },
) => Promise<
  | { ok: true; data: { rollout: { status: Status; environment: string; percent: number } } }
  | { ok: false; code: string; message: string }
>;

/** Each move's button, its confirmation and what it does, in words. */
function rolloutMoves(
  what: { next: string; live: string },
  environment: string,
  percent: number,
  nextPercent: number | null,
): Record<Move, { button: string; confirm: string; says: string }> {
  const live = what.live;
  return {
    pause: {
      button: "Pause…",
      confirm: `Pause at ${percent} %`,
      says: `The share stays at ${percent} % and no step is taken automatically until someone resumes; a guardrail significantly worse still needs a person to roll back.`,
    },
    resume: {
      button: "Resume…",
      confirm: `Resume at ${percent} %`,
      says: "The rollouts job reads the guardrails again each minute and advances, completes or rolls back.",
    },
    advance: {
      button: "Advance now…",
      confirm: nextPercent === null ? `Complete: ${what.next} for everyone` : `Advance to ${nextPercent} %`,
      says:
        nextPercent === null
          ? `${environment} serves ${what.next} from then on, through the release log, without waiting for this step's minimums.`
          : `${nextPercent} % of subjects get ${what.next} now, without waiting for this step's minimums.`,
    },
    rollback: {
      button: "Roll back now…",
      confirm: `Roll back to ${live}`,
      says: `Everyone in ${environment} gets ${live} again, and the release plan counts ${what.next} as rolled back.`,
    },
  };
}

/** What the toast says once the move is made. */
function movedMessage(
  d: { status: Status; environment: string; percent: number },
  move: Move,
  what: { next: string; live: string },
) {
  if (d.status === "completed") return `${d.environment} now serves ${what.next} to everyone.`;
  if (d.status === "rolled_back") return `Rolled back: everyone in ${d.environment} gets ${what.live} again.`;
  if (d.status === "paused") return `Paused at ${d.percent} %.`;
  return move === "resume" ? `Resumed at ${d.percent} %.` : `${d.percent} % of subjects now get ${what.next}.`;
}

/**
 * Pause, resume, advance now or roll back now, each after a reason (kept in the decision log and the audit
 * log; the server refuses a move without one). Viewers and editors see the buttons disabled, with why. `what`
 * names both sides: a prompt's "version 3" and "version 2", a bundle's new versions and those it served.
 */
export function RolloutControls({
  slug,
  id,
  status,
  what,
  environment,
  percent,
  nextPercent,
  blocked,
  act,
}: {
  slug: string;
  /** The rollout moved (a bundle's: any member's, the group moves as one). */
  id: string;
  status: Status;
  what: { next: string; live: string };
  environment: string;
  percent: number;
  /** The share advancing moves to; null when advancing completes the rollout. */
  nextPercent: number | null;
  blocked: string | null;
  act: RolloutMoveAction;
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<Move | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Completing releases the version: when that changes what a running experiment on a prompt that includes it
  // serves, the server asks what happens to that experiment (409 experiment_running), and the person chooses here.
  const experiment = useExperimentAsk();

  const moves = rolloutMoves(what, environment, percent, nextPercent);

  function start(move: Move) {
    setOpen(move);
    setError(null);
    experiment.reset();
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!open || !reason.trim()) return;
    setBusy(true);
    setError(null);
    const r = await act(slug, { id, action: open, reason, ...experiment.send });
    setBusy(false);
    if (experiment.heard(!r.ok && open === "advance" ? r : null)) return;
    if (!r.ok) return setError(r.message);
    toast.show(movedMessage(r.data.rollout, open, what));
    setOpen(null);
    setReason("");
    router.refresh();
  }

  const shown: Move[] = [status === "paused" ? "resume" : "pause", "advance", "rollback"];
  const formId = `rollout-${id}-move`;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {shown.map((m) => (
          <GatedButton
            key={m}
            size="sm"
            variant={m === "rollback" ? "danger" : "secondary"}
            blockedReason={blocked}
            aria-expanded={open === m}
            aria-controls={open === m ? formId : undefined}
            onClick={() => start(m)}
          >
            {moves[m].button}
          </GatedButton>
        ))}
      </div>
      {open ? (
        <form
          id={formId}
          onSubmit={(e) => void submit(e)}
          aria-label={moves[open].confirm}
          className="flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 p-3"
        >
          <p className="text-sm text-slate-700">{moves[open].says}</p>
          <Textarea
            label="Reason (kept in the decision log)"
            id={`rollout-${id}-reason`}
            rows={2}
            required
            maxLength={2000}
            value={reason}
            onValue={setReason}
            placeholder={open === "rollback" ? "What went wrong?" : "Why now?"}
          />
          {experiment.asked ? (
            <ExperimentActionChoice
              ask={experiment.asked}
              name={`rollout-${id}-experiment-action`}
              value={experiment.action}
              onChange={experiment.setAction}
            />
          ) : null}
          <FormError message={error} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" size="sm" variant="secondary" onClick={() => setOpen(null)}>
              Cancel
            </Button>
            <GatedButton
              type="submit"
              size="sm"
              variant={open === "rollback" ? "danger" : "primary"}
              disabled={busy}
              blockedReason={
                blocked ??
                (!reason.trim()
                  ? "Say why first: the reason is required."
                  : experiment.asked && !experiment.action
                    ? "Choose what happens to the experiment first."
                    : null)
              }
            >
              {busy ? "Working…" : moves[open].confirm}
            </GatedButton>
          </div>
        </form>
      ) : null}
    </div>
  );
}
