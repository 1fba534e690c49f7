"use client";

import { useState } from "react";
import { sentence } from "@/lib/sentence";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { setWeightsAction } from "../../_actions";
import type { ControlDialogProps } from "./experiment-controls";
import { FormError } from "@/components/forms/form-error";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";

const round = (x: number) => Math.round(x * 10000) / 100;

/** New weights start a new phase: subjects are assigned afresh and results count the new phase only. */
export function WeightsDialog({ slug, experiment: e, onClose }: ControlDialogProps) {
  const done = useDone(onClose);
  const [weights, setWeights] = useState<Record<string, string>>(
    Object.fromEntries(e.variants.map((v) => [v.key, String(round(v.weight))])),
  );
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = e.variants.map((v) => Number(weights[v.key]));
  const total = values.reduce((s, x) => s + (Number.isFinite(x) ? x : NaN), 0);
  const sumProblem =
    !Number.isFinite(total) || values.some((x) => x < 0)
      ? "Each weight must be a number from 0 to 100."
      : Math.abs(total - 100) > 0.01
        ? `The weights add up to ${round(total / 100)}%; they must add up to 100%.`
        : null;

  async function save() {
    setBusy(true);
    setError(null);
    // Exact shares summing to 1 (the percentages may be rounded).
    const r = await setWeightsAction(slug, {
      id: e.id,
      weights: Object.fromEntries(e.variants.map((v, i) => [v.key, values[i]! / total])),
      reason,
    });
    setBusy(false);
    if (!r.ok) return setError(sentence(r.message));
    done(`New weights from now on (phase ${r.data.phase}).`);
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Change the weights of “${e.name}”`}
      description="A change of weights starts a new phase with a new assignment: subjects may switch variant, and the results then count the new phase only."
      footer={
        <>
          <CancelButton onClick={onClose} />
          <Button onClick={() => void save()} disabled={busy || Boolean(sumProblem)}>
            {busy ? "Saving…" : "Start a new phase with these weights"}
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {e.variants.map((v, i) => (
          <Input
            key={v.key}
            id={`weight-${v.key}`}
            label={`${v.key} (version ${v.version}${i === 0 ? ", control" : ""}), %`}
            type="number"
            min={0}
            max={100}
            step="any"
            value={weights[v.key]}
            onValue={(typed) => setWeights((w) => ({ ...w, [v.key]: typed }))}
          />
        ))}
      </div>
      {sumProblem ? <p className="mt-2 text-sm text-red-800">{sumProblem}</p> : null}
      <div className="mt-3">
        <Input id="weights-reason" label="Reason" value={reason} onValue={setReason} placeholder="Optional" />
      </div>
      <FormError message={error} />
    </Dialog>
  );
}
