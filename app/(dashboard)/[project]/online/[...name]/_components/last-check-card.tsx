import { describeVerdict } from "@/lib/evaluation/online/detect";
import type { JudgeTrust } from "@/lib/scorers/judge-agreement";
import type { LastCheck } from "@/lib/evaluation/online/contracts";
import { Term } from "@/components/glossary/term";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);
const actionLabel: Record<LastCheck["action"], string> = {
  none: "No regression",
  alerted: "Alerted",
  rolled_back: "Rolled back",
  withheld: "Rollback withheld",
  skipped: "Nothing to compare yet",
  waiting: "Waiting for scores",
};

/**
 * The closed loop's last decision for a rule: live against known-good, metric by metric; and, when an
 * automatic rollback would rely on LLM judges, how far people trust them.
 */
export function LastCheckCard({
  lastCheck,
  rollbackJudges,
}: {
  lastCheck: LastCheck | null;
  rollbackJudges: readonly JudgeTrust[];
}) {
  return (
    <Card
      title="Last check"
      id="status"
      description={
        lastCheck ? (
          <>
            <Time value={lastCheck.at} /> · {lastCheck.live ? `v${lastCheck.live} (live then)` : "nothing live"}
            {partialJudged(lastCheck)
              ? lastCheck.partial!.together
                ? ` checked against itself before ${partialsAt(lastCheck, "to")} were released, too close together to tell apart (it included ${partialsAt(lastCheck, "from")} then)`
                : ` checked against itself before ${lastCheck.partial!.partial} v${lastCheck.partial!.to} was released (it included v${lastCheck.partial!.from} then)`
              : lastCheck.baseline
                ? ` checked against v${lastCheck.baseline}, ${lastCheck.knownGood ? "the last known-good version" : "the version before it (none is known-good yet)"}`
                : ""}
            {lastCheck.partial && !partialJudged(lastCheck)
              ? ` · its window starts when ${lastCheck.partial.partial} changed to v${lastCheck.partial.to}`
              : ""}
          </>
        ) : (
          "Not checked yet: the check runs every minute."
        )
      }
      actions={
        lastCheck ? (
          <Badge
            tone={
              lastCheck.action === "rolled_back" || lastCheck.action === "withheld"
                ? "red"
                : lastCheck.action === "alerted" || lastCheck.action === "waiting"
                  ? "amber"
                  : "green"
            }
          >
            {actionLabel[lastCheck.action] ?? lastCheck.action}
          </Badge>
        ) : null
      }
    >
      {rollbackJudges.length ? <RollbackJudges judges={rollbackJudges} /> : null}
      {lastCheck?.metrics.length ? (
        <Table caption="Metrics compared in the last check" stack>
          <thead>
            <tr>
              <Th>Metric</Th>
              <Th className="text-right">{beforeLabel(lastCheck)}</Th>
              <Th className="text-right">{liveLabel(lastCheck)}</Th>
              <Th className="text-right">Drop</Th>
              <Th className="text-right">
                <Term k="holm" align="right">
                  Holm-adjusted p-value
                </Term>
              </Th>
              <Th>Verdict</Th>
            </tr>
          </thead>
          <tbody>
            {lastCheck.metrics.map((m) => (
              <tr key={m.name}>
                <Td label="Metric" className="font-medium">
                  {m.name}
                </Td>
                <Td className="text-right tabular-nums">
                  {pct(m.baseline.mean)} <span className="text-xs text-slate-500">n {m.baseline.n}</span>
                </Td>
                <Td className="text-right tabular-nums">
                  {pct(m.live.mean)} <span className="text-xs text-slate-500">n {m.live.n}</span>
                </Td>
                <Td label="Drop" className="text-right tabular-nums">
                  {pct(m.drop)}
                </Td>
                <Td label="Holm-adjusted p-value" className="text-right tabular-nums">
                  {m.adjustedPValue === null
                    ? "–"
                    : m.adjustedPValue < 0.0001
                      ? "< 0.0001"
                      : m.adjustedPValue.toFixed(4)}
                </Td>
                <Td label="Verdict" className="text-xs text-slate-700">
                  {m.note ??
                    (m.level === "none"
                      ? "no regression"
                      : m.level === "alert"
                        ? "past the alert threshold"
                        : "past the rollback threshold")}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">{lastCheck?.reason ?? "Waiting for the first check."}</p>
      )}
      {lastCheck && lastCheck.action !== "none" && lastCheck.metrics.some((m) => m.level !== "none") ? (
        <p className="mt-2 text-xs text-slate-600">
          {lastCheck.metrics
            .filter((m) => m.level !== "none")
            .map(describeVerdict)
            .join("; ")}
        </p>
      ) : null}
      {lastCheck?.action === "waiting" ? (
        <p className="mt-2 text-sm text-amber-900" role="status">
          {lastCheck.reason}.
        </p>
      ) : null}
      {lastCheck?.read ? (
        <p className="mt-2 text-xs text-slate-600" data-testid="last-check-read">
          Read:{" "}
          {Object.entries(lastCheck.read)
            .map(
              ([v, r]) =>
                `v${v}: ${r.samples} scored sample${r.samples === 1 ? "" : "s"} and ${r.events} feedback or outcome event${r.events === 1 ? "" : "s"}${r.behind + r.newer ? `; ${r.behind + r.newer} more accepted, not scored yet` : ""}`,
            )
            .join(" · ")}
        </p>
      ) : null}
    </Card>
  );
}

/** An automatic rollback acts on the rule's scores: the judges among its scorers, and their agreement. */
function RollbackJudges({ judges }: { judges: readonly JudgeTrust[] }) {
  const warn = judges.some((j) => j.warning !== null);
  return (
    <div
      data-testid="rollback-judges"
      className={`mb-3 rounded-md border px-3 py-2 text-sm ${warn ? "border-amber-300 bg-amber-50 text-amber-900" : "border-slate-200 bg-slate-50 text-slate-700"}`}
    >
      <p className="font-medium">
        {warn ? "Automatic rollback relies on a judge people have not confirmed" : "Automatic rollback relies on"}
      </p>
      <ul className="mt-1 list-disc pl-5">
        {judges.map((j) => (
          <li key={j.scorer}>{j.sentence}</li>
        ))}
      </ul>
      {warn ? (
        <p className="mt-1 text-xs">
          A rollback still happens on its scores; label outputs (Judge agreement, below) before trusting it alone.
        </p>
      ) : null}
    </div>
  );
}

/**
 * The check judged a partial's release, or several released too close together to tell apart: the prompt's same
 * version before and since (loop-partials.ts).
 */
const partialJudged = (c: LastCheck) => Boolean(c.partial) && c.baseline === c.live;
/** Every partial the check judged, at the version it served before the change or after it. */
const partialsAt = (c: LastCheck, side: "from" | "to") =>
  (c.partial!.together ?? [c.partial!]).map((p) => `${p.partial} v${p[side] ?? "–"}`).join(", ");
const beforeLabel = (c: LastCheck) =>
  partialJudged(c) ? `v${c.baseline} with ${partialsAt(c, "from")} (before)` : `v${c.baseline} (before)`;
const liveLabel = (c: LastCheck) =>
  partialJudged(c) ? `v${c.live} with ${partialsAt(c, "to")} (live)` : `v${c.live} (live)`;
