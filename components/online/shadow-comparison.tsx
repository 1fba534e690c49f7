// Shadow evaluation on the online page: per candidate (a version, or a version with other partial versions,
// named "support-reply v3 with shared/tone v2": its label), the verdict against the live version,
// win/tie/loss, the cost and latency differences, the paired table per scorer, and the latest answers
// side by side; above them, the day's budget and the notice when a cap stopped the answers. Each
// candidate's numbers cover its latest answers against the live version (the window), and say so.
import type { ShadowComparison } from "@/lib/evaluation/online/shadow/shadow-read";
import { PairedTable } from "@/components/evaluation/paired-table";
import { Badge } from "@/components/ui/badge";

type Candidate = ShadowComparison["candidates"][number];

const usd = (x: number) => `${x < 0 ? "−" : "+"}$${Math.abs(x).toFixed(Math.abs(x) < 0.01 ? 5 : 3)}`;
const ms = (x: number) => `${x < 0 ? "−" : "+"}${Math.abs(Math.round(x))} ms`;
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

export function ShadowComparisonView({ shadow }: { shadow: ShadowComparison }) {
  const { budget, config } = shadow;
  return (
    <div className="flex flex-col gap-6">
      {budget ? (
        <p className="text-sm text-slate-700" data-testid="shadow-budget">
          Today (UTC): {budget.calls} of {budget.maxCalls} model calls
          {budget.maxCostUsd !== null
            ? `, $${budget.costUsd.toFixed(4)} of $${budget.maxCostUsd.toFixed(2)}`
            : ""} · {budget.callsPerAnswer} call{budget.callsPerAnswer === 1 ? "" : "s"} per answer ·{" "}
          {pct(config?.sampleRate ?? null)} of sampled outputs
        </p>
      ) : null}
      {budget?.stopped ? (
        <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="shadow-stopped">
          Stopped: {budget.stopped}.
        </p>
      ) : null}
      {shadow.inputs?.withoutVariables ? (
        <p className="text-sm text-slate-700" data-testid="shadow-skipped">
          Skipped: {shadow.inputs.withoutVariables.toLocaleString("en-US")} of the latest{" "}
          {shadow.inputs.samples.toLocaleString("en-US")} live samples carried no variables (their input was the
          user&apos;s message or messages), so no candidate can be rendered from them. Log the variables as the
          generation&apos;s <code>input</code> to have them answered.
        </p>
      ) : null}
      {shadow.liveVersion === null ? (
        <p className="text-sm text-slate-600">
          Nothing is live in {shadow.environment}: candidates answer once a version serves traffic there.
        </p>
      ) : null}
      {shadow.candidates.map((c) => (
        <CandidateSection key={c.label} c={c} />
      ))}
    </div>
  );
}

function CandidateSection({ c }: { c: Candidate }) {
  const better = c.paired.direction === "better" && !c.significantLoss;
  return (
    <section
      aria-label={`Candidate ${c.label}`}
      data-testid={`shadow-${c.label.replace(/[^\w.-]+/g, "-")}`}
      className="flex flex-col gap-3"
    >
      <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold">
        {c.label} against live v{c.liveVersion ?? "—"}
        {c.significantLoss ? (
          <Badge tone="red">significant loss</Badge>
        ) : better ? (
          <Badge tone="green">better</Badge>
        ) : c.answered ? (
          <Badge>no significant difference</Badge>
        ) : null}
        {c.active ? null : <Badge>no longer a candidate</Badge>}
      </h3>
      {c.answered ? (
        <p className="text-sm text-slate-800" data-testid="shadow-verdict">
          {c.verdict}
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          No answers yet: {c.label} answers scored live outputs that carry their variables (the event&apos;s{" "}
          <code>input</code>), at the next online-evaluation run.
        </p>
      )}
      {c.answered ? (
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="shadow-numbers">
          <div>
            <dt className="text-slate-600">Inputs answered</dt>
            <dd className="font-medium tabular-nums">
              {c.answered}
              {c.n !== c.answered ? (
                <span className="block text-xs font-normal text-amber-800" data-testid="shadow-compared">
                  {c.n} compared on every scorer
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Wins · ties · losses</dt>
            <dd className="font-medium tabular-nums" data-testid="shadow-wtl">
              {c.wins} · {c.ties} · {c.losses}
              <span className="block text-xs font-normal text-slate-600">
                {c.winsFrom === "judge" ? "pairwise judge, both orders" : "weighted scores"}
              </span>
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Cost per answer</dt>
            <dd className="font-medium tabular-nums">{c.costUsdDiff === null ? "unknown" : usd(c.costUsdDiff)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Latency</dt>
            <dd className="font-medium tabular-nums">{c.latencyMsDiff === null ? "unknown" : ms(c.latencyMsDiff)}</dd>
          </div>
        </dl>
      ) : null}
      {c.failed ? (
        <p className="text-sm text-amber-800">
          {c.failed} answer{c.failed === 1 ? "" : "s"} failed{c.lastError ? `; the last: ${c.lastError}` : ""}.
        </p>
      ) : null}
      {c.answered ? <WindowNote c={c} /> : null}
      {c.answered ? (
        <PairedTable
          scorers={c.scorers}
          overall={c.paired}
          caption={`Paired comparison per scorer (${c.label} − live v${c.liveVersion}, in points)`}
          units="Inputs"
          difference={`${c.label} − live`}
          overallLabel="Weighted score"
        />
      ) : null}
      {c.pairs?.length ? (
        <details className="rounded-md border border-slate-200">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            Answers side by side (latest {c.pairs.length})
          </summary>
          <ol className="flex flex-col divide-y divide-slate-200">
            {c.pairs.map((p) => (
              <li key={p.sampleId} className="grid grid-cols-1 gap-3 p-3 text-sm md:grid-cols-2">
                <Answer title={`Live v${p.live.version}`} text={p.live.output} score={p.live.score} input={p.input} />
                <Answer
                  title={`Candidate ${c.label}`}
                  text={p.candidate.error ?? p.candidate.output}
                  score={p.candidate.score}
                  failed={Boolean(p.candidate.error)}
                />
                {p.preference ? (
                  <p className="text-xs text-slate-600 md:col-span-2">
                    Judge:{" "}
                    {"winner" in p.preference
                      ? `${p.preference.winner === "tie" ? "tie" : p.preference.winner === "candidate" ? "candidate better" : "live better"} — ${p.preference.reason}`
                      : `could not judge (${p.preference.error})`}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

/** What the numbers cover: the latest answers, from when, and how many older ones are left out. */
function WindowNote({ c }: { c: Candidate }) {
  const since = c.window.since ? new Date(c.window.since).toISOString().slice(0, 16).replace("T", " ") : null;
  const errors = c.pairsPerScorer.reduce((s, p) => s + p.errorsAsLosses, 0);
  return (
    <p className="text-xs text-slate-600" data-testid="shadow-window">
      Compared: the latest {c.window.answers.toLocaleString("en-US")} answers against live v{c.liveVersion}
      {since ? ` (since ${since} UTC)` : ""}
      {c.window.leftOut ? `; ${c.window.leftOut.toLocaleString("en-US")} older answers are left out` : ""}.
      {errors
        ? ` ${errors} scorer error${errors === 1 ? "" : "s"} on ${c.label}'s answers, where the live answer was scored, count${errors === 1 ? "s" : ""} as loss${errors === 1 ? "" : "es"} (score 0).`
        : ""}
    </p>
  );
}

function Answer(props: { title: string; text: string; score: number | null; input?: unknown; failed?: boolean }) {
  return (
    <div className="min-w-0">
      <p className="text-xs font-medium text-slate-600">
        {props.title} · score {pct(props.score)}
      </p>
      <p className={`mt-1 whitespace-pre-wrap break-words ${props.failed ? "text-amber-800" : "text-slate-900"}`}>
        {props.text.length > 2000 ? `${props.text.slice(0, 2000)}…` : props.text}
      </p>
      {props.input ? (
        <p className="mt-1 break-all font-mono text-xs text-slate-500">input {JSON.stringify(props.input)}</p>
      ) : null}
    </div>
  );
}
