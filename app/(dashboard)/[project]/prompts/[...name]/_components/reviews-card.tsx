import type { Actor } from "@/lib/auth/permissions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { ReviewActions } from "./review-actions";
import type { EnvironmentView, ReviewView } from "./types";

type Decided = {
  id: string;
  status: string;
  version: number;
  environment: string;
  decidedBy: string | null;
  comment: string | null;
};

/** Reviews waiting on this prompt, with their decisions, then the last few decided. */
export function ReviewsCard({
  slug,
  actor,
  pending,
  decided,
  decideBlocked,
  environments,
}: {
  slug: string;
  actor: Actor;
  pending: ReviewView[];
  decided: Decided[];
  decideBlocked: string | null;
  environments: EnvironmentView[];
}) {
  return (
    <Card
      title="Pending reviews"
      id="reviews"
      description={pending.length && decideBlocked ? decideBlocked : undefined}
    >
      {pending.length ? (
        <ul className="flex flex-col gap-3">
          {pending.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="pending-review">
              <p className="font-medium text-slate-900">
                v{r.version} for {r.environment}
              </p>
              <p className="text-xs text-slate-600">
                {r.requester} · <Time value={r.createdAt} />
              </p>
              {r.message ? <p className="mt-1 text-slate-700">{r.message}</p> : null}
              <div className="mt-2">
                <ReviewActions
                  slug={slug}
                  review={r}
                  decideBlocked={decideBlocked}
                  actor={actor}
                  environments={environments}
                />
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No reviews waiting.</p>
      )}
      {decided.length ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-slate-700">Recent decisions</summary>
          <ul className="mt-2 flex flex-col gap-1">
            {decided.map((r) => (
              <li key={r.id} className="text-xs text-slate-600">
                <Badge tone={r.status === "approved" ? "green" : r.status === "rejected" ? "red" : "gray"}>
                  {r.status}
                </Badge>{" "}
                v{r.version} for {r.environment}
                {r.decidedBy ? ` by ${r.decidedBy}` : ""}
                {r.comment ? ` — “${r.comment}”` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}
