import Link from "next/link";
import type { listOnlineRules } from "@/lib/evaluation/online/rules";
import type { versionScores } from "@/lib/evaluation/runs";
import { encodePromptName } from "@/lib/registry/name-rules";
import { VersionScoreChart } from "@/components/evaluation/version-score-chart";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";

type Scores = Awaited<ReturnType<typeof versionScores>>;
type OnlineRules = Awaited<ReturnType<typeof listOnlineRules>>;

/** The prompt page's evaluation cards: offline scores per version, and online evaluation per environment. */
export function EvaluationCards({
  slug,
  prompt: name,
  scores,
  hasDatasets,
  onlineRules,
  shownVersion,
}: {
  slug: string;
  prompt: string;
  /** The version the page shows: Optimize starts from it. */
  shownVersion?: number;
  scores: Scores;
  hasDatasets: boolean;
  onlineRules: OnlineRules;
}) {
  // The newest completed run per version (any dataset) gives the version's badge.
  const badge = new Map<number, Scores[number]>();
  for (const s of scores)
    if (!badge.has(s.version) || (s.finishedAt ?? 0) > (badge.get(s.version)!.finishedAt ?? 0)) badge.set(s.version, s);
  return (
    <>
      <Card
        title="Offline evaluation"
        id="evaluation"
        actions={
          <>
            <LinkButton href={`/${slug}/evaluations?prompt=${encodeURIComponent(name)}`} size="sm">
              Runs
            </LinkButton>
            <LinkButton
              href={`/${slug}/optimizations/new?prompt=${encodeURIComponent(name)}${shownVersion ? `&version=${shownVersion}` : ""}`}
              size="sm"
            >
              Optimize
            </LinkButton>
            <LinkButton
              href={`/${slug}/evaluations/new?prompt=${encodeURIComponent(name)}`}
              size="sm"
              variant="primary"
            >
              Run
            </LinkButton>
          </>
        }
      >
        {badge.size ? (
          <>
            <ul
              className="flex flex-col gap-1.5 text-sm"
              aria-label="Evaluation score per version"
              data-testid="version-scores"
            >
              {[...badge.values()].slice(0, 8).map((s) => (
                <li key={s.version} className="flex flex-wrap items-center gap-2">
                  <span className="w-8 font-medium">v{s.version}</span>
                  <Link href={`/${slug}/evaluations/${s.run}`}>
                    <Badge
                      tone={s.score === null ? "gray" : s.score >= 0.8 ? "green" : s.score >= 0.5 ? "amber" : "red"}
                    >
                      {s.score === null ? "no score" : `${(s.score * 100).toFixed(1)}%`}
                    </Badge>
                  </Link>
                  {s.score !== null && s.ci ? (
                    <span className="text-xs text-slate-600 tabular-nums" title="95% interval of the score over items">
                      [{(s.ci[0] * 100).toFixed(1)}, {(s.ci[1] * 100).toFixed(1)}]
                    </span>
                  ) : null}
                  <span className="text-xs text-slate-600">
                    {s.dataset} v{s.datasetVersion}
                  </span>
                </li>
              ))}
            </ul>
            <VersionScoreChart
              points={scores.map((s) => ({ version: s.version, dataset: s.dataset, score: s.score, ci: s.ci }))}
            />
          </>
        ) : (
          <p className="text-sm text-slate-600">
            {hasDatasets ? "No completed runs yet." : "No dataset for this prompt yet."}{" "}
            <Link href={`/${slug}/datasets`} className="font-medium underline">
              Datasets
            </Link>
          </p>
        )}
      </Card>
      <Card
        title="Online evaluation"
        id="online"
        actions={
          <LinkButton href={`/${slug}/online/${encodePromptName(name)}`}>
            {onlineRules.length ? "Open" : "Set up"}
          </LinkButton>
        }
      >
        {onlineRules.length ? (
          <ul className="flex flex-col gap-1.5 text-sm">
            {onlineRules.map((r) => {
              const last = r.lastCheck as { action?: string; reason?: string } | null;
              return (
                <li key={r.environment} className="flex flex-wrap items-center gap-2">
                  <Badge tone="blue">{r.environment}</Badge>
                  <span className="text-slate-700">
                    {Math.round(r.sampleRate * 1000) / 10}% sampled
                    {r.rollback.enabled ? ", automatic rollback on" : ""}
                  </span>
                  {last?.action ? <span className="text-xs text-slate-600">· last check: {last.reason}</span> : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">
            Score real traffic, get alerts when quality drops, and roll back automatically.
          </p>
        )}
      </Card>
    </>
  );
}
