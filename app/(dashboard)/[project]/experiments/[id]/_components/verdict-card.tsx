import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { ProgressBar } from "@/components/experiments/experiment-badges";
import { formatCount, formatP, progressShare } from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import type { Decision, ExperimentView, ResultsView } from "./types";

/** The headline for people who read no numbers: what to do now, or why nothing can be said yet. */
function headline(
  e: ExperimentView,
  r: ResultsView,
  decision: Decision,
): { text: string; tone: "green" | "amber" | "red" | "slate" } {
  if (e.status === "stopped") {
    if (decision?.stoppedBy === "deployment")
      return {
        text: `Stopped because ${e.environment} now serves version ${decision.deployment?.version}: everyone gets it.`,
        tone: "slate",
      };
    if (decision?.ship) {
      const v = e.variants.find((x) => x.key === decision.ship);
      return {
        text: `Shipped ${decision.ship}: ${e.environment} now serves version ${decision.deployment?.version ?? v?.version}.`,
        tone: "green",
      };
    }
    return {
      text: `Stopped, keeping the control: ${e.environment} serves version ${e.variants[0]!.version} to everyone.`,
      tone: "slate",
    };
  }
  if (e.status === "draft") return { text: "Not started yet.", tone: "slate" };
  if (!r.srm.ok)
    return { text: "Do not trust these results yet: the traffic split does not match the weights.", tone: "red" };
  if (r.winner === e.variants[0]!.key)
    return { text: `Recommendation: keep the control (${r.winner}).`, tone: "green" };
  if (r.winner) return { text: `Recommendation: ship ${r.winner}.`, tone: "green" };
  if (r.guardrails.some((g) => g.breached))
    return { text: "A guardrail is breached: no variant can be recommended.", tone: "red" };
  if (r.arms.every((a) => a.subjects === 0)) return { text: "Waiting for the first subjects.", tone: "slate" };
  if (e.mode === "fixed" && !r.progress.complete) return { text: "Not enough data yet.", tone: "amber" };
  return { text: "No clear winner yet.", tone: "amber" };
}

/** 0.4 → "25 minutes", 5.2 → "5 hours", 60 → "3 days". */
function formatDuration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `${Math.round(hours / 24)} days`;
}

const tones = {
  green: "border-emerald-300 bg-emerald-50 text-emerald-900",
  amber: "border-amber-300 bg-amber-50 text-amber-900",
  red: "border-red-300 bg-red-50 text-red-900",
  slate: "border-slate-200 bg-slate-50 text-slate-900",
};

export function VerdictCard({
  experiment: e,
  results: r,
  decision,
  stoppedAt,
  slug,
}: {
  experiment: ExperimentView;
  results: ResultsView;
  decision: Decision;
  stoppedAt: string | null;
  slug: string;
}) {
  const h = headline(e, r, decision);
  const planned = r.plannedSamplePerArm;
  const { smallestArm, stillNeededPerArm } = r.progress;
  const total = r.arms.reduce((n, a) => n + a.subjects, 0);
  return (
    <Card title="What the data says" id="verdict">
      <div className="flex flex-col gap-4">
        <p className={`rounded-md border px-4 py-3 text-lg font-semibold ${tones[h.tone]}`} data-testid="headline">
          {h.text}
        </p>
        {e.status === "stopped" && stoppedAt ? (
          <p className="text-sm text-slate-700" data-testid="decision">
            Stopped <Time value={stoppedAt} />
            {decision?.reason ? <> — “{decision.reason}”</> : null}
            {decision?.deployment ? (
              <>
                {" · "}
                <Link
                  href={`/${slug}/prompts/${encodePromptName(e.prompt)}?env=${encodeURIComponent(e.environment)}#deployments`}
                  className="text-brand-700 underline"
                >
                  see the deployment
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
        {!r.srm.ok ? (
          <div
            className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
            data-testid="srm-warning"
          >
            <p className="font-semibold">
              <Term k="srm" /> ({formatP(r.srm.pValue ?? 0)})
            </p>
            <p className="mt-1">
              The variants received {r.arms.map((a) => `${formatCount(a.subjects)} (${a.variant})`).join(", ")}{" "}
              subjects, which does not fit the planned split. Assignment or exposure logging is probably broken (for
              example, one variant logs exposures and another does not). Fix it before reading any result.
            </p>
          </div>
        ) : r.srm.pValue !== null ? (
          <p className="text-sm text-slate-700" data-testid="srm-ok">
            No <Term k="srm">traffic split mismatch</Term>: the variants received{" "}
            {r.arms.map((a) => `${formatCount(a.subjects)} (${a.variant})`).join(", ")} subjects, in line with the
            planned split ({formatP(r.srm.pValue)}).
          </p>
        ) : null}
        {e.status !== "draft" ? (
          <div className="flex flex-col gap-1.5" data-testid="progress">
            <p className="text-sm text-slate-800">
              {planned ? (
                <>
                  <span className="font-semibold">{formatCount(smallestArm)}</span> of {formatCount(planned)} planned
                  subjects per variant
                  {stillNeededPerArm
                    ? e.mode === "fixed"
                      ? ` — ${formatCount(stillNeededPerArm)} more needed per variant before a result can be called.`
                      : ` (${formatCount(total)} in all so far).`
                    : ` — the planned sample is reached (${formatCount(total)} in all).`}
                </>
              ) : (
                <>
                  {formatCount(total)} subjects so far.{" "}
                  <span className="text-slate-600">No planned sample size was set.</span>
                </>
              )}
            </p>
            {planned ? (
              <ProgressBar
                value={progressShare(smallestArm, planned)}
                label="Progress toward the planned sample per variant"
              />
            ) : null}
            {e.status === "running" && planned && stillNeededPerArm ? (
              <p className="text-sm text-slate-700" data-testid="eta">
                {r.progress.eta.burst ? (
                  <>
                    The last hour&apos;s {formatCount(r.progress.eta.burst.subjects)} new subjects arrived within a
                    minute (<Time value={r.progress.eta.burst.at} />: seeded or imported at once) and none since, so
                    they say nothing about the pace: the time to the planned sample is estimated once traffic keeps
                    arriving.
                  </>
                ) : r.progress.eta.hoursLeft !== null ? (
                  `At the last hour's pace (${formatCount(r.progress.eta.perHour)} new subjects per variant per hour), the planned sample is reached in about ${formatDuration(r.progress.eta.hoursLeft)}.`
                ) : (
                  <>
                    No traffic in the last hour
                    {r.progress.eta.lastExposureAt ? (
                      <>
                        {" "}
                        (the last new subject arrived <Time value={r.progress.eta.lastExposureAt} />)
                      </>
                    ) : null}
                    : the time to the planned sample cannot be estimated until subjects arrive again.
                  </>
                )}
              </p>
            ) : null}
            {e.mode !== "fixed" && e.status === "running" ? (
              <p className="text-xs text-slate-600">
                You may look as often as you like and stop as soon as the result is clear: these intervals stay valid at
                every look. The plan says how long it takes to detect the smallest lift worth detecting.
              </p>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-700">
            {planned ? (
              <>
                It needs about <span className="font-semibold">{formatCount(planned)} subjects per variant</span> (
                {formatCount(planned * e.variants.length)} in all
                {e.coverage < 1
                  ? `, about ${formatCount(Math.ceil((planned * e.variants.length) / e.coverage))} people asking for the prompt at ${Math.round(e.coverage * 100)}% coverage`
                  : ""}
                ) to detect the smallest lift worth detecting.
              </>
            ) : (
              "No planned sample size: sequential and bandit experiments can run without one."
            )}{" "}
            Start it to begin splitting the traffic of {e.prompt} in {e.environment}.
          </p>
        )}
        {e.status !== "draft" && r.verdict ? (
          <p className="max-w-prose text-sm leading-relaxed text-slate-700" data-testid="verdict">
            {r.verdict}
          </p>
        ) : null}
      </div>
    </Card>
  );
}
