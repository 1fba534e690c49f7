import type { ExperimentSummary } from "@/lib/experiments/analysis/experiment-summaries";
import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { envTone } from "@/components/release/release-badges";
import { ExperimentStatusBadge, ModeBadge, ProgressBar } from "@/components/experiments/experiment-badges";
import { CallAsOf } from "@/components/experiments/call-as-of";
import { controlNote, formatCount, progressShare, signedPercent } from "@/components/experiments/experiment-format";

/** A row of the list: the read model lib/experiments/analysis/experiment-summaries.ts builds. */
export type ExperimentListItem = ExperimentSummary;

/** "winner: b +6.1% (CUPED)": the winner with the deciding lift over the control, as the call read it. */
function winnerText(e: ExperimentListItem): string {
  const c = e.comparisons.find((x) => x.variant === e.winner);
  const lift = c?.lift !== null && c?.lift !== undefined ? ` ${signedPercent(c.lift)}` : "";
  return `winner: ${e.winner}${lift}${c?.cuped ? " (CUPED)" : ""}`;
}

function State({ e }: { e: ExperimentListItem }) {
  if (e.status === "draft") return <span className="text-slate-600">Not started</span>;
  if (e.status === "stopped") return <span className="text-slate-700">{e.decision ?? "Stopped"}</span>;
  if (e.computedAt === null) return <CallAsOf computedAt={null} ageSeconds={null} />;
  return (
    <div className="flex min-w-[11rem] flex-col gap-1">
      <span className="text-slate-800">
        {formatCount(e.subjects ?? 0)} subjects
        {e.progress?.planned ? (
          <span className="text-slate-600">
            {" "}
            · {formatCount(e.progress.smallestArm)} of {formatCount(e.progress.planned)} per variant
          </span>
        ) : null}
      </span>
      {e.progress?.planned ? (
        <ProgressBar
          value={progressShare(e.progress.smallestArm, e.progress.planned)}
          label={`${e.name}: progress toward the planned sample`}
        />
      ) : null}
      <div className="flex flex-wrap gap-1">
        {e.winner ? (
          <Badge tone="green" title={e.verdict ?? undefined}>
            {winnerText(e)}
          </Badge>
        ) : null}
        {!e.srmOk ? <Badge tone="red">traffic split mismatch</Badge> : null}
      </div>
      <CallAsOf computedAt={e.computedAt} ageSeconds={e.ageSeconds} />
    </div>
  );
}

export function ExperimentTable({ slug, items }: { slug: string; items: ExperimentListItem[] }) {
  return (
    <Table caption="Experiments" stack>
      <thead>
        <tr>
          <Th>Experiment</Th>
          <Th>Prompt</Th>
          <Th>Variants</Th>
          <Th>Status</Th>
          <Th>Progress</Th>
          <Th>When</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id} className="hover:bg-slate-50" data-testid="experiment-row">
            <Td label="Experiment" className="min-w-[14rem]">
              <Link href={`/${slug}/experiments/${e.id}`} className="font-medium text-brand-700 hover:underline">
                {e.name}
              </Link>
              {e.hypothesis ? <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">{e.hypothesis}</p> : null}
            </Td>
            <Td label="Prompt">
              <Link
                href={`/${slug}/prompts/${encodePromptName(e.prompt)}`}
                className="whitespace-nowrap text-slate-800 hover:underline"
              >
                {e.prompt}
              </Link>
              <div className="mt-1">
                <Badge tone={envTone(e.environment)}>{e.environment}</Badge>
              </div>
            </Td>
            <Td label="Variants" className="text-xs text-slate-700">
              {e.variants.map((v, i) => (
                <span key={v.key} className="block whitespace-nowrap">
                  <span className="font-medium">{v.key}</span> v{v.version}
                  {controlNote(v.key, i) ? <span className="text-slate-500"> ({controlNote(v.key, i)})</span> : null}
                </span>
              ))}
            </Td>
            <Td label="Status">
              <div className="flex flex-col items-start gap-1">
                <ExperimentStatusBadge status={e.status} />
                <ModeBadge mode={e.mode} />
              </div>
            </Td>
            <Td label="Progress" className="text-xs">
              <State e={e} />
            </Td>
            <Td label="When" className="whitespace-nowrap text-xs text-slate-600">
              {e.stoppedAt ? (
                <>
                  stopped <Time value={e.stoppedAt} />
                </>
              ) : e.startedAt ? (
                <>
                  started <Time value={e.startedAt} />
                </>
              ) : (
                <>
                  defined <Time value={e.createdAt} />
                </>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
