import type { ReactNode } from "react";
import type { RolloutDto } from "@/lib/experiments/rollouts/rollout-state";
import { RolloutStatusBadge } from "@/components/rollouts/rollout-log";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";

/** A rollout's heading row: what goes where, its status and when it started (a prompt's or a bundle's). */
export function RolloutHeading({
  id,
  title,
  status,
  startedAt,
}: {
  id: string;
  title: string;
  status: RolloutDto["status"];
  startedAt: string | null;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      <RolloutStatusBadge status={status} />
      {startedAt ? (
        <span className="text-xs text-slate-600">
          started <Time value={startedAt} />
        </span>
      ) : null}
    </div>
  );
}

/** The rollouts under way, one panel each, or (the children) what to say when there is none. */
export function RolloutsUnderWay({
  label,
  panels,
  children,
}: {
  label: string;
  panels: { id: string; panel: ReactNode }[];
  children: ReactNode;
}) {
  if (!panels.length) return children;
  return (
    <ul className="flex flex-col gap-4" aria-label={label}>
      {panels.map((p) => (
        <li key={p.id}>{p.panel}</li>
      ))}
    </ul>
  );
}

/**
 * The guarded-rollouts card of a prompt or a bundle: the rollouts under way, each with its panel (`empty` when
 * there are none), then what follows (the ended ones, the form that starts one).
 */
export function RolloutsCard<R extends { id: string }>({
  title,
  description,
  label,
  active,
  panel,
  empty,
  children,
}: {
  title: string;
  description: string;
  label: string;
  active: R[];
  panel: (rollout: R) => ReactNode;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card title={title} id="rollouts" description={description}>
      <div className="flex flex-col gap-4">
        <RolloutsUnderWay label={label} panels={active.map((r) => ({ id: r.id, panel: panel(r) }))}>
          {empty}
        </RolloutsUnderWay>
        {children}
      </div>
    </Card>
  );
}

/** Where a rollout under way stands: its share of subjects, its step, what the rest get, and whether it is paused. */
export function RolloutShareSentence({
  r,
  live,
}: {
  r: { percent: number; version: number; step: number; steps: unknown[]; status: string };
  live: ReactNode;
}) {
  return (
    <>
      <span className="font-semibold">
        {r.percent} % of subjects on version {r.version}
      </span>{" "}
      (step {r.step + 1} of {r.steps.length}). The rest, and requests without a subject, get {live}.
      {r.status === "paused"
        ? " Paused: the share stays here and nothing is decided automatically until someone resumes."
        : ""}
    </>
  );
}

/** An ended rollout as the list shows it: `title` says what went where, `detail` (if any) what it changed. */
export type EndedRolloutRow = Pick<RolloutDto, "id" | "status" | "endedAt"> & {
  decisions: Pick<RolloutDto["decisions"][number], "reason" | "automatic" | "by">[];
  title: string;
  detail?: string;
};

/**
 * The ended rollouts briefly, newest first as given (ten, then how many earlier): each with its status,
 * when it ended and the reason of its last decision. Nothing when there are none.
 */
export function EndedRollouts({
  rollouts,
  titleId,
  testId,
  markStatus = false,
}: {
  rollouts: EndedRolloutRow[];
  titleId: string;
  testId: string;
  /** Whether each row carries its status as `data-status`. */
  markStatus?: boolean;
}) {
  if (!rollouts.length) return null;
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId} className="text-sm font-semibold text-slate-900">
        Ended rollouts
      </h3>
      <ul className="mt-1 flex flex-col divide-y divide-slate-100" data-testid={testId}>
        {rollouts.slice(0, 10).map((r) => {
          const last = r.decisions[r.decisions.length - 1];
          return (
            <li
              key={r.id}
              data-status={markStatus ? r.status : undefined}
              className="flex flex-wrap items-center gap-x-2 gap-y-1 py-2 text-sm"
            >
              <span className="font-medium text-slate-900">{r.title}</span>
              <RolloutStatusBadge status={r.status} />
              {r.detail !== undefined ? <span className="text-slate-700">{r.detail}</span> : null}
              {r.endedAt ? (
                <span className="text-xs text-slate-600">
                  <Time value={r.endedAt} />
                </span>
              ) : null}
              {last?.reason ? (
                <span className="basis-full break-words text-xs text-slate-600">
                  “{last.reason}”{last.automatic ? ` (automatic, ${last.by})` : ` (${last.by})`}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {rollouts.length > 10 ? <p className="mt-1 text-xs text-slate-600">And {rollouts.length - 10} earlier.</p> : null}
    </section>
  );
}
