import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { envTone } from "@/components/release/release-badges";
import { ModeBadge } from "@/components/experiments/experiment-badges";
import { CallAsOf } from "@/components/experiments/call-as-of";
import { formatCount } from "@/components/experiments/experiment-format";

export type RunningExperimentView = {
  id: string;
  name: string;
  environment: string;
  mode: "fixed" | "sequential" | "bandit";
  variants: { key: string; version: number; weight: number }[];
  subjects: number;
  winner: string | null;
  /** When the call (subjects, winner) was computed: the experiments list's stored call. */
  computedAt: string | null;
  ageSeconds: number | null;
};

/** Experiments on this prompt: the running ones first (what users get is split), then links to define and browse. */
export function ExperimentsCard({
  slug,
  prompt,
  running,
  others,
  blocked,
}: {
  slug: string;
  prompt: string;
  running: RunningExperimentView[];
  others: number;
  blocked: string | null;
}) {
  const q = `prompt=${encodeURIComponent(prompt)}`;
  return (
    <Card
      title={running.length ? (running.length === 1 ? "Running experiment" : "Running experiments") : "Experiments"}
      id="experiments"
      description={
        running.length
          ? "Users asking with a subject get the version of their variant, not only what the environment serves."
          : "Compare versions on real traffic before one takes it all."
      }
      actions={
        blocked ? null : (
          <LinkButton size="sm" href={`/${slug}/experiments/new?${q}`}>
            New experiment
          </LinkButton>
        )
      }
    >
      {running.length ? (
        <ul className="flex flex-col gap-3">
          {running.map((e) => (
            <li
              key={e.id}
              className="rounded-md border border-blue-200 bg-blue-50/50 p-3 text-sm"
              data-testid="running-experiment"
            >
              <div className="flex flex-wrap items-center gap-1.5">
                <Link href={`/${slug}/experiments/${e.id}`} className="font-semibold text-brand-700 hover:underline">
                  {e.name}
                </Link>
                <Badge tone={envTone(e.environment)}>{e.environment}</Badge>
                <ModeBadge mode={e.mode} />
              </div>
              <p className="mt-1 text-slate-700">
                {e.variants.map((v) => `${v.key} v${v.version} (${Math.round(v.weight * 100)}%)`).join(" vs ")} ·{" "}
                {e.computedAt === null ? null : <>{formatCount(e.subjects)} subjects so far</>}
                {e.winner ? (
                  <>
                    {" · "}
                    <span className="font-medium text-emerald-800">
                      {e.winner === e.variants[0]?.key
                        ? "the data says: keep the control"
                        : `the data says: ship ${e.winner}`}
                    </span>
                  </>
                ) : null}
                {e.computedAt === null ? null : " · "}
                <CallAsOf computedAt={e.computedAt} ageSeconds={e.ageSeconds} />
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No experiment is running on this prompt.{blocked ? ` ${blocked}` : ""}</p>
      )}
      {others ? (
        <p className="mt-3 text-sm">
          <Link href={`/${slug}/experiments?${q}`} className="text-brand-700 underline">
            {others} other experiment{others === 1 ? "" : "s"} on this prompt
          </Link>
        </p>
      ) : null}
    </Card>
  );
}
