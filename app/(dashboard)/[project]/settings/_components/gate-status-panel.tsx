"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { GateStatus, GateVersion, GateVersionState } from "@/lib/release/gates/gate-status";
import { gateSummary } from "@/lib/release/gates/gate-summary";
import { encodePromptName } from "@/lib/registry/name-rules";
import { Badge } from "@/components/ui/badge";
import { GatedButton } from "@/components/ui/gated-button";
import { useToast } from "@/components/ui/toast";
import { runGateRunsAction } from "../../datasets/_actions";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const stateLabel: Record<GateVersionState, (v: GateVersion) => string> = {
  passes: (v) => `Counts${v.score === null ? "" : `: ${pct(v.score)}`}`,
  // Too low, worse than live, or some gate items failed in it: the detail below says which.
  fails: (v) => `Counts, but does not pass${v.score === null ? "" : ` (${pct(v.score)})`}`,
  stale: () => "Needs a new run",
  missing: () => "Needs a run",
  running: () => "Running",
};
const stateTone: Record<GateVersionState, "green" | "red" | "amber" | "blue"> = {
  passes: "green",
  fails: "red",
  stale: "amber",
  missing: "amber",
  running: "blue",
};

/**
 * Each evaluation gate and the versions that matter for it (live there, live where it requires first,
 * waiting for a review for it), with whether their gate run still counts: after the gate dataset's
 * items or the gate's scorers change, earlier runs stop counting. "Run them" starts the runs needed,
 * the same ones the release plan's "Run evaluation" button starts.
 */
export function GateStatusPanel({
  slug,
  gates,
  blocked,
  dataset,
}: {
  slug: string;
  gates: GateStatus[];
  /** Why the person may not start evaluation runs, if so. */
  blocked: string | null;
  /** The dataset whose page shows the panel: its runs only. */
  dataset?: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);

  async function runThem(environment: string) {
    setBusy(environment);
    const r = await runGateRunsAction(slug, { environment, dataset });
    setBusy(null);
    if (!r.ok) return toast.show(r.message, "error");
    const n = r.data.started.length;
    if (n) toast.show(`Started ${n === 1 ? "one evaluation run" : `${n} evaluation runs`} for ${environment}'s gate.`);
    for (const f of r.data.failed) toast.show(`${f.prompt} v${f.version}: ${f.message}`, "error");
    if (!n && !r.data.failed.length) toast.show(`No version needs a run for ${environment}'s gate any more.`, "info");
    router.refresh();
  }

  if (!gates.length)
    return (
      <p className="text-sm text-slate-600">
        {dataset ? "No environment's evaluation gate uses this dataset." : "No environment has an evaluation gate."}
      </p>
    );
  return (
    <div className="flex flex-col gap-4">
      {gates.map((g) => (
        <section
          key={g.environment}
          aria-label={`${g.environment}'s evaluation gate`}
          data-testid={`gate-status-${g.environment}`}
          className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-3"
        >
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div className="min-w-0">
              <h3 className="font-medium text-slate-900">{g.environment}</h3>
              <p className="text-sm text-slate-700">
                A run on{" "}
                <Link href={`/${slug}/datasets/${g.dataset.id}`} className="font-medium underline">
                  {g.dataset.name}
                </Link>{" "}
                {g.pinned
                  ? `version ${g.datasetVersion} (pinned; the dataset is at version ${g.currentVersion})`
                  : `as it is now (version ${g.datasetVersion})`}
                , with the gate&apos;s scorers, scoring at least {pct(g.minScore)}.
              </p>
            </div>
            {g.needRun ? (
              <GatedButton
                size="sm"
                blockedReason={blocked}
                disabled={busy !== null}
                onClick={() => void runThem(g.environment)}
              >
                {busy === g.environment ? "Starting…" : "Run them"}
              </GatedButton>
            ) : null}
          </div>
          <p
            data-testid="gate-need-run"
            className={`text-sm ${g.needRun ? "font-medium text-amber-900" : g.versions.every((v) => v.state !== "running") ? "text-emerald-800" : "text-slate-700"}`}
          >
            {gateSummary(g)}
          </p>
          {g.versions.length ? (
            <ul className="flex flex-col divide-y divide-slate-100 text-sm">
              {g.versions.map((v) => (
                <li
                  key={`${v.prompt}:${v.version}`}
                  data-testid="gate-version"
                  data-state={v.state}
                  className="flex min-w-0 flex-col gap-1 py-2"
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/${slug}/prompts/${encodePromptName(v.prompt)}?show=${v.version}#release`}
                      className="break-all font-medium text-brand-700 hover:underline"
                    >
                      {v.prompt} v{v.version}
                    </Link>
                    <Badge tone={stateTone[v.state]}>{stateLabel[v.state](v)}</Badge>
                    <span className="text-xs text-slate-600">{v.why.join(", ")}</span>
                  </div>
                  {v.state !== "passes" ? <p className="break-words text-slate-700">{v.detail}</p> : null}
                  {v.run ? (
                    <Link href={`/${slug}/evaluations/${v.run}`} className="text-xs text-slate-600 underline">
                      {v.state === "running"
                        ? "See the run"
                        : v.state === "stale"
                          ? "The run that no longer counts"
                          : "The run"}
                    </Link>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
    </div>
  );
}
