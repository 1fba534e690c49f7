"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { AlertLine } from "@/components/ui/alert-line";
import { cancelRunAction, runProgressAction } from "../../_actions";
import {
  erroredNote,
  pct,
  progressOf,
  statusLabel,
  statusTone,
  usd,
  type Progress,
  type RunStatus,
} from "../../_format";

const live = (s: RunStatus) => s === "queued" || s === "running";

/** The run's status, a live progress bar (polled every second while queued or running), cost so far and scores. */
export function RunProgress({
  slug,
  id,
  initial,
  canCancel,
}: {
  slug: string;
  id: string;
  initial: Progress;
  canCancel: boolean;
}) {
  const router = useRouter();
  const [p, setP] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const refreshes = useRef(0);

  useEffect(() => {
    if (!live(p.status)) return;
    const poll = async () => {
      const r = await runProgressAction(slug, { id });
      if (!r.ok) return setError(r.message);
      setP(progressOf(r.data));
    };
    const timer = setTimeout(() => void poll(), 1000);
    return () => clearTimeout(timer);
  }, [p, slug, id]);

  // The run ended: the rest of the page (statistics, results, the list of answers) is the server's, so it is
  // refreshed until the server's own render says the run ended too (a refresh can race the run's last write,
  // or read a replica a moment behind). At most ten tries, a second apart.
  useEffect(() => {
    if (live(p.status) || !live(initial.status) || refreshes.current >= 10) return;
    const timer = setTimeout(
      () => {
        refreshes.current++;
        router.refresh();
      },
      refreshes.current ? 1000 : 0,
    );
    return () => clearTimeout(timer);
  }, [p.status, initial.status, router]);

  async function cancel() {
    const r = await cancelRunAction(slug, { id });
    if (!r.ok) return setError(r.message);
    setP((cur) => ({ ...cur, cancelRequested: true, status: r.data.status }));
  }

  const { done, total } = p.progress;
  const ratio = total ? done / total : 0;
  return (
    <div className="flex flex-col gap-3" data-testid="run-progress">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={statusTone[p.status]}>{statusLabel[p.status]}</Badge>
        {p.cancelRequested && live(p.status) ? <span className="text-xs text-slate-600">stopping…</span> : null}
        {canCancel && live(p.status) && !p.cancelRequested ? (
          <Button size="sm" variant="secondary" onClick={() => void cancel()}>
            Cancel run
          </Button>
        ) : null}
      </div>
      <div>
        <div
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
          role="progressbar"
          aria-label="Items evaluated"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
        >
          <div className="h-full bg-brand-600 transition-all" style={{ width: `${Math.round(ratio * 100)}%` }} />
        </div>
        <p className="mt-1 text-sm text-slate-700" data-testid="run-done">
          {done} of {total} evaluated
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-600">Score</dt>
          <dd className="text-lg font-semibold" data-testid="run-score">
            {pct(p.score)}
          </dd>
          {erroredNote(p.errored) ? (
            <dd className="text-xs text-red-800" data-testid="run-errored">
              {erroredNote(p.errored)}
            </dd>
          ) : null}
        </div>
        <div>
          <dt className="text-xs text-slate-600">Items passed</dt>
          <dd className="text-lg font-semibold">{pct(p.passRate)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Cost so far</dt>
          <dd className="text-lg font-semibold" data-testid="run-cost">
            {usd(p.costUsd)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Tokens in / out</dt>
          <dd className="text-lg font-semibold">
            {p.tokens.input} / {p.tokens.output}
          </dd>
        </div>
      </dl>
      {Object.keys(p.scores).length ? (
        <ul className="flex flex-wrap gap-2 text-sm" aria-label="Mean score per scorer">
          {Object.entries(p.scores).map(([name, mean]) => (
            <li key={name} className="rounded-md border border-slate-200 px-2 py-1">
              <span className="font-mono text-xs">{name}</span> {pct(mean)}
            </li>
          ))}
        </ul>
      ) : null}
      <AlertLine message={p.error} />
      <AlertLine message={error} />
    </div>
  );
}
