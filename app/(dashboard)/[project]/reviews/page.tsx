import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { getDb } from "@/lib/server/wiring/db";
import { reviewsOverview } from "@/lib/views/reviews-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { envTone } from "@/components/release/release-badges";
import { ReviewActions } from "../prompts/[...name]/_components/review-actions";
import { addCommentAction } from "../prompts/[...name]/_actions";
import { CommentThread } from "@/components/release/comment-thread";
import { bundleSummary, reviewView } from "../prompts/[...name]/_components/types";
import { DecidedList } from "./_components/decided-list";
import { ReviewPlan } from "./_components/review-plan";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Reviews" };

export default async function ReviewsPage({ params }: ProjectPageProps) {
  const { slug, ctx } = await projectPage({ params });
  const db = await getDb();
  const { pending: pendingRows, plans, discussions, decided, environments } = await reviewsOverview(db, ctx.project.id);
  const decideBlocked = blockedReason(ctx.actor, "review.decide");
  const pending = pendingRows.map((r) => reviewView(r, ctx.user.id, decideBlocked));
  const commentBlocked = blockedReason(ctx.actor, "comment.write");

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Reviews"
        description={
          <>
            Versions waiting for an approver.{" "}
            {decideBlocked ? decideBlocked : "Open one to see exactly what would go live, then approve or reject it."}
          </>
        }
      />
      <section aria-labelledby="pending-title" className="flex flex-col gap-3">
        <h2 id="pending-title" className="text-lg font-semibold">
          Waiting for review ({pending.length})
        </h2>
        {pending.length === 0 ? (
          <EmptyState title="Nothing to review">
            When an editor asks for a review of a version (from the prompt’s page), it appears here.
          </EmptyState>
        ) : (
          <Table caption="Pending review requests" stack>
            <TableHead columns={["Prompt", "Asks", "Requested by", "Message", "Release plan"]} actions />
            <tbody>
              {pending.map((r, i) => (
                <tr key={r.id} data-testid="pending-review">
                  <Td label="Prompt">
                    <Link
                      href={`/${slug}/prompts/${encodePromptName(r.prompt)}`}
                      className="font-medium text-brand-700 hover:underline"
                    >
                      {r.prompt}
                    </Link>{" "}
                    <span className="text-slate-600">v{r.version}</span>
                    {r.bundle ? (
                      <p className="mt-1 text-xs text-slate-600" data-testid="bundle-review">
                        One review of bundle{" "}
                        <Link href={`/${slug}/bundles/${r.bundle.name}`} className="text-brand-700 hover:underline">
                          {r.bundle.name}
                        </Link>{" "}
                        ({bundleSummary(r)!.members}): deciding it decides them all.
                      </p>
                    ) : null}
                  </Td>
                  <Td label="Asks">
                    {/* What the review asks, not what the environment serves (that may be another version). */}
                    <span className="text-sm text-slate-800" data-testid="review-asks">
                      to release v{r.version} to <Badge tone={envTone(r.environment)}>{r.environment}</Badge>
                    </span>
                  </Td>
                  <Td label="Requested by" className="whitespace-nowrap text-xs">
                    <span className="block text-sm text-slate-800">{r.requester}</span>
                    <Time value={r.createdAt} />
                  </Td>
                  <Td label="Message" className="max-w-xs text-slate-700">
                    {r.message || <span className="text-slate-500">—</span>}
                    <details className="mt-1" open={(discussions.get(r.id)?.length ?? 0) > 0}>
                      <summary className="cursor-pointer text-xs text-brand-700">
                        Discussion ({discussions.get(r.id)?.length ?? 0})
                      </summary>
                      <div className="mt-2">
                        <CommentThread
                          slug={slug}
                          prompt={r.prompt}
                          version={r.version}
                          reviewId={r.id}
                          comments={discussions.get(r.id) ?? []}
                          blocked={commentBlocked}
                          send={addCommentAction}
                        />
                      </div>
                    </details>
                  </Td>
                  <Td label="Release plan" className="max-w-xs text-xs" data-testid="review-plan">
                    <ReviewPlan
                      slug={slug}
                      plan={plans[i] ?? null}
                      deploys={r.deployOnApprove}
                      actor={ctx.actor}
                      environments={environments}
                    />
                  </Td>
                  <Td label="Actions">
                    <ReviewActions
                      slug={slug}
                      review={r}
                      decideBlocked={decideBlocked}
                      actor={ctx.actor}
                      environments={environments}
                    />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="decided-title" className="flex flex-col gap-3">
        <h2 id="decided-title" className="text-lg font-semibold">
          Recently decided
        </h2>
        {decided.length === 0 ? (
          <p className="text-sm text-slate-600">No decisions yet.</p>
        ) : (
          <DecidedList slug={slug} decided={decided} />
        )}
      </section>
    </div>
  );
}
