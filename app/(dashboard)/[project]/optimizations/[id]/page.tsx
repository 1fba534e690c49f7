import { notFound } from "next/navigation";
import { getOptimization, type OptimizationDto } from "@/lib/optimization";
import { isAppError } from "@/lib/errors";
import { sentence } from "@/lib/sentence";
import { encodePromptName } from "@/lib/registry/name-rules";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { AlertLine } from "@/components/ui/alert-line";
import { blockedReason } from "@/components/blocked-reasons";
import { CancelOptimization } from "./_components/cancel-optimization";
import { RefreshWhileRunning } from "./_components/refresh-while-running";
import type { ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Optimization" };

const tone = {
  queued: "gray",
  running: "blue",
  completed: "green",
  budget_exhausted: "amber",
  failed: "red",
  cancelled: "gray",
} as const;
const label = {
  queued: "queued",
  running: "running",
  completed: "completed",
  budget_exhausted: "budget exhausted",
  failed: "failed",
  cancelled: "cancelled",
};
const pts = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}`);
const p = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : x < 0.001 ? "< 0.001" : x.toFixed(3);

function Comparison({ c, draft }: { c: NonNullable<OptimizationDto["comparison"]>; draft: boolean }) {
  const rows = [{ name: "overall (weighted item score)", ...c.overall }, ...c.scorers];
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm" data-testid="optimization-verdict">
        {sentence(c.verdict)}
      </p>
      <p className="text-sm text-slate-600">
        Held-out score: version {c.base.version} {pts(c.base.score)} → {draft ? "draft" : "best candidate"}{" "}
        {pts(c.candidate.score)} over {c.items} items.
      </p>
      <table className="w-full text-left text-sm" aria-label="Held-out comparison">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 font-medium">Scorer</th>
            <th className="py-1 font-medium">Difference (points)</th>
            <th className="py-1 font-medium">95% interval</th>
            <th className="py-1 font-medium">p (Holm)</th>
            <th className="py-1 font-medium">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-t border-slate-100">
              <td className="py-1">{r.name}</td>
              <td className="py-1">{pts(r.meanDiff)}</td>
              <td className="py-1">{r.ci ? `[${pts(r.ci[0])}, ${pts(r.ci[1])}]` : "–"}</td>
              <td className="py-1">{p(r.adjustedPValue)}</td>
              <td className="py-1">{r.direction}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function OptimizationPage({ params }: ProjectPageProps<object, { id: string }>) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const o = await getOptimization(db, ctx.project.id, id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const running = o.status === "queued" || o.status === "running";
  const noGain = o.outcome === "no_improvement";
  return (
    <div className="flex flex-col gap-4">
      <RefreshWhileRunning running={running} />
      <PageHeader
        breadcrumb={[
          { href: `/${slug}/prompts`, label: "Prompts" },
          { href: `/${slug}/prompts/${encodePromptName(o.prompt)}`, label: o.prompt },
        ]}
        titleClassName="flex flex-wrap items-center gap-2"
        title={
          <>
            Optimization of v{o.version}{" "}
            <Badge tone={tone[o.status]}>
              <span data-testid="optimization-status">{label[o.status]}</span>
            </Badge>
            {noGain ? (
              <Badge tone="amber">
                <span data-testid="optimization-outcome">no improvement found</span>
              </Badge>
            ) : o.outcome === "improved" ? (
              <Badge tone="green">
                <span data-testid="optimization-outcome">improved</span>
              </Badge>
            ) : null}
          </>
        }
        description={
          <>
            {o.calls} of {o.budget.calls} model calls, ${o.costUsd.toFixed(4)} of ${o.budget.costUsd.toFixed(2)} spent
            {o.split ? ` · ${o.split.train} train and ${o.split.heldOut} held-out items (seed ${o.split.seed})` : ""}
            {o.stage && running ? ` · ${o.stage}` : ""}
            {o.connectionName ? ` · model calls on ${o.connectionName}` : ""}
          </>
        }
      >
        {o.draft ? (
          <LinkButton href={`/${slug}/drafts/${o.draft.id}`} variant="primary">
            Open the draft
          </LinkButton>
        ) : null}
        {running && !blockedReason(ctx.actor, "evaluation.run") ? (
          <CancelOptimization slug={slug} id={o.id} calls={o.calls} />
        ) : null}
      </PageHeader>
      {o.status === "queued" ? (
        <p className="text-sm text-slate-600" data-testid="optimization-waiting">
          Waiting for its turn: optimizations take turns across projects, and each project runs its share at a time.
        </p>
      ) : null}
      {o.cancelled ? (
        <p className="text-sm text-slate-700" data-testid="optimization-cancelled">
          Cancelled by {o.cancelled.by}
          {o.cancelled.reason ? `: ${o.cancelled.reason}${/[.!?]$/.test(o.cancelled.reason) ? "" : "."}` : "."} Calls in
          flight were aborted; no draft was made.
        </p>
      ) : null}
      <AlertLine message={o.error} />
      {o.budgetNotice ? <p className="text-sm text-amber-800">{o.budgetNotice}</p> : null}
      <Card title="Held-out comparison" id="comparison">
        {o.comparison ? (
          <Comparison c={o.comparison} draft={o.outcome !== "no_improvement"} />
        ) : (
          <p className="text-sm text-slate-600">{running ? "Made once the search ends." : "No comparison was made."}</p>
        )}
      </Card>
      {noGain ? (
        <Card title="No better version found" id="outcome">
          <div className="flex flex-col gap-2 text-sm text-slate-700" data-testid="no-improvement">
            <p>{o.noImprovement ?? "The best candidate was not significantly better on the held-out items."}</p>
            <p>No draft was made: there is nothing to merge, and v{o.version} stays as it is. To try again:</p>
            <ul className="list-disc pl-5">
              <li>
                <strong>More items.</strong> {o.split ? `${o.split.heldOut} held-out items` : "A few held-out items"}{" "}
                can only show a large difference; a larger dataset (or a larger held-out share) can show a smaller one.
              </li>
              <li>
                <strong>Another scorer.</strong> Scorers the starting version already passes leave nothing to improve;
                one that measures what you want better (an LLM judge with a rubric, say) gives the search something to
                aim at.
              </li>
              <li>
                <strong>A larger budget.</strong>{" "}
                {o.searchStoppedBy === "budget"
                  ? "The budget stopped this search early; more calls let it try more candidates."
                  : "More calls let the search try more candidates and examples."}
              </li>
            </ul>
          </div>
        </Card>
      ) : null}
      {o.draft ? (
        <Card title="Review" id="review">
          <p className="text-sm text-slate-700">
            The best candidate is the draft “{o.draft.name}”. Open it to read its changes against v{o.version}, merge it
            as a new version, and send that version to review from its release plan (Request review). Nothing was
            deployed.
          </p>
        </Card>
      ) : null}
      <Card title="Candidates tried" id="candidates">
        {o.candidates.length ? (
          <ol className="flex flex-col gap-2 text-sm" aria-label="Candidates">
            {o.candidates.map((c) => (
              <li key={c.index} className="flex flex-col gap-1">
                <span className="font-medium">
                  {c.index === 0 ? "Starting instruction" : `Candidate ${c.index}`} · train score {pts(c.trainScore)}{" "}
                  over {c.trainItems} answers{o.best?.index === c.index ? " · best" : ""}
                </span>
                <pre className="whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{c.instruction}</pre>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-600">None yet.</p>
        )}
        {o.method ? <p className="mt-3 text-xs text-slate-500">Method: {o.method}.</p> : null}
      </Card>
    </div>
  );
}
