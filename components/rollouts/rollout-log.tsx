import { readingText } from "@/lib/experiments/rollouts/rollout-decide";
import type { RolloutGuardrailReading } from "@/lib/experiments/contracts";
import type { RolloutDto } from "@/lib/experiments/rollouts/rollout-state";
import { formatCount } from "@/components/experiments/experiment-format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

type Status = RolloutDto["status"];
type Decision = RolloutDto["decisions"][number];

const statusText: Record<Status, string> = {
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  rolled_back: "Rolled back",
  stopped: "Stopped",
};
const statusTone: Record<Status, BadgeTone> = {
  running: "blue",
  paused: "amber",
  completed: "green",
  rolled_back: "red",
  stopped: "gray",
};

export function RolloutStatusBadge({ status }: { status: Status }) {
  return <Badge tone={statusTone[status]}>{statusText[status]}</Badge>;
}

const actionText: Record<Decision["action"], string> = {
  start: "started",
  advance: "advanced",
  complete: "completed",
  rollback: "rolled back",
  pause: "paused",
  resume: "resumed",
  stopped: "stopped",
};
const actionTone: Record<Decision["action"], BadgeTone> = {
  start: "blue",
  advance: "blue",
  complete: "green",
  rollback: "red",
  pause: "amber",
  resume: "blue",
  stopped: "gray",
};

/** "live 1,180 subjects (2,360 events), new 290 (870)": what a reading rested on. */
export function armsRead(arms: NonNullable<RolloutGuardrailReading["arms"]>): string {
  return `live ${formatCount(arms.live.subjects)} subjects (${formatCount(arms.live.events)} events), new ${formatCount(arms.new.subjects)} (${formatCount(arms.new.events)})`;
}

/** A guardrail reading in the log; a bundle's names the member it was read on. */
type LoggedReading = RolloutGuardrailReading & { prompt?: string };

/**
 * Every decision on a rollout, newest first: when, at which step, what, why, and by whom (a job's marked
 * automatic). `what` names what was rolled out in the caption ("version 3", "bundle crew").
 */
export function RolloutLog({
  rollout: r,
  what = `version ${r.version}`,
}: {
  rollout: Pick<RolloutDto, "steps" | "environment"> & {
    version?: number;
    decisions: (Omit<Decision, "guardrails"> & { guardrails: LoggedReading[] })[];
  };
  what?: string;
}) {
  const decisions = [...r.decisions].reverse();
  return (
    <Table caption={`Decisions on the rollout of ${what} to ${r.environment}, newest first`} stack>
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Step</Th>
          <Th>Action</Th>
          <Th>Reason</Th>
          <Th>By</Th>
        </tr>
      </thead>
      <tbody>
        {decisions.map((d, i) => (
          <tr key={`${d.at}-${i}`} data-testid="rollout-decision">
            <Td label="Time" className="whitespace-nowrap text-slate-700">
              <Time value={d.at} />
            </Td>
            <Td label="Step" className="whitespace-nowrap text-slate-700">
              {d.step + 1} ({r.steps[d.step]?.percent ?? "?"} %)
            </Td>
            <Td label="Action">
              <Badge tone={actionTone[d.action]}>{actionText[d.action] ?? d.action}</Badge>
            </Td>
            <Td label="Reason" className="break-words text-slate-800">
              {d.reason}
              {d.guardrails.length ? (
                <span className="mt-0.5 block text-xs text-slate-600" data-testid="rollout-decision-read">
                  Read
                  {d.read ? (
                    <>
                      {" "}
                      at <Time value={d.read.at} />
                    </>
                  ) : null}
                  :{" "}
                  {d.guardrails
                    .map(
                      (g) =>
                        `${g.prompt ? `${g.prompt}: ` : ""}${
                          g.arms && g.arms.live.subjects + g.arms.new.subjects === 0
                            ? `${g.metric}: no data on either version`
                            : `${readingText(g)}${g.significant ? " (significantly worse)" : ""}${g.arms ? ` from ${armsRead(g.arms)}` : ""}`
                        }`,
                    )
                    .join("; ")}
                  {d.read
                    ? `. Subjects since the start: ${formatCount(d.read.subjects.live)} live, ${formatCount(d.read.subjects.new)} new (one seen at two steps counts at each); each guardrail with data needs ${formatCount(d.read.minSamplePerArm)} per version.`
                    : null}
                </span>
              ) : null}
            </Td>
            <Td label="By" className="text-slate-700">
              <span className="break-words">{d.by}</span>
              {d.automatic ? (
                <span className="ml-1.5">
                  <Badge tone="violet">automatic</Badge>
                </span>
              ) : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
