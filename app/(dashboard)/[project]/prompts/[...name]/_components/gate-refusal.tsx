import Link from "next/link";
import type { GateVerdict } from "@/lib/release/gate";
import { LinkButton } from "@/components/ui/link-button";

export type GateVerdictView = GateVerdict;

const score = (x: number | null) => (x === null ? "no score" : x.toFixed(3));

/** A promotion refused by the environment's evaluation gate: the run, its score, the thresholds, the baseline, and a way to run one. */
export function GateRefusal({
  slug,
  prompt,
  version,
  verdict,
}: {
  slug: string;
  prompt: string;
  version: number;
  verdict: GateVerdictView;
}) {
  const runHref = `/${slug}/evaluations/new?${new URLSearchParams({ prompt, version: String(version), dataset: verdict.dataset })}`;
  return (
    <div
      role="alert"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="gate-refusal"
    >
      <p className="font-medium">
        {verdict.environment} has an evaluation gate, and version {version} does not pass it.
      </p>
      <p className="mt-1">{verdict.reason}.</p>
      <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-amber-900">Run</dt>
          <dd>
            {verdict.run ? (
              <Link href={`/${slug}/evaluations/${verdict.run}`} className="underline">
                {verdict.run.slice(0, 8)}
              </Link>
            ) : (
              "none yet"
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-amber-900">Score</dt>
          <dd data-testid="gate-score">{score(verdict.score)}</dd>
        </div>
        <div>
          <dt className="text-xs text-amber-900">Minimum</dt>
          <dd>{verdict.minScore}</dd>
        </div>
        <div>
          <dt className="text-xs text-amber-900">Baseline</dt>
          <dd>
            {verdict.baseline
              ? `v${verdict.baseline.version}: ${score(verdict.baseline.score)} (max drop ${verdict.maxDrop})`
              : "none (nothing live was evaluated)"}
          </dd>
        </div>
      </dl>
      <p className="mt-1 text-xs text-amber-900">
        Dataset {verdict.dataset}, version {verdict.datasetVersion}.
      </p>
      <div className="mt-2">
        <LinkButton href={runHref} variant="primary" size="sm">
          Run evaluation
        </LinkButton>
      </div>
    </div>
  );
}
