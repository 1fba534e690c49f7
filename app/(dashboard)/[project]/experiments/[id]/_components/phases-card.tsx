import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { experimentOverview } from "@/lib/views/experiment-overview";

type Phases = NonNullable<Awaited<ReturnType<typeof experimentOverview>>>["phases"];

/**
 * Where and why each phase began, and which one the results above read: a change of weights, or a
 * release of a partial the arms include (what each arm served from then on). Each phase's results stay readable.
 */
export function PhasesCard({ phases, base }: { phases: Phases; base: string }) {
  if (phases.list.length < 2) return null;
  return (
    <Card
      title="Phases"
      id="phases"
      description="A phase begins when the weights change or a release changes what the arms serve; results are read per phase."
    >
      <ol className="flex flex-col gap-3" data-testid="phases">
        {phases.list.map((p) => {
          const shown = phases.read.includes(p.phase);
          return (
            <li
              key={p.phase}
              data-testid={`phase-${p.phase}`}
              className={`rounded-md border px-3 py-2 text-sm ${shown ? "border-brand-300 bg-brand-50" : "border-slate-200"}`}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-medium text-slate-900">
                  Phase {p.phase}
                  {p.phase === phases.current ? " (current)" : ""} · began <Time value={p.startedAt} />
                </p>
                {shown ? (
                  <span className="text-xs text-brand-800">Results above read this phase</span>
                ) : (
                  <Link
                    href={p.phase === phases.current ? base : `${base}?phase=${p.phase}`}
                    className="text-xs font-medium text-brand-700 hover:underline"
                  >
                    Read this phase&apos;s results
                  </Link>
                )}
              </div>
              <p className="mt-1 break-words text-slate-700">{p.why}</p>
              {p.arms.length && (p.release || p.phase === 1) ? (
                <ul className="mt-1 list-inside list-disc break-words text-slate-600">
                  {p.arms.map((a) => (
                    <li key={a.key}>
                      {a.key}: {a.served}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
