// The reviews page's recently decided list, rendered on the server like the page.
import Link from "next/link";
import { encodePromptName } from "@/lib/registry/name-rules";
import type { reviewsOverview } from "@/lib/views/reviews-overview";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

type Decided = Awaited<ReturnType<typeof reviewsOverview>>["decided"];

const verb = { approved: "Approved", rejected: "Rejected", cancelled: "Cancelled", pending: "Pending" } as const;

/** Each decided review: its decision, prompt, version and environment, who decided and when, who asked, and why. */
export function DecidedList({ slug, decided }: { slug: string; decided: Decided }) {
  return (
    <ul className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {decided.map((r) => (
        <li key={r.review.id} className="flex flex-wrap items-center gap-2 px-4 py-2.5 text-sm">
          <Badge tone={r.review.status === "approved" ? "green" : r.review.status === "rejected" ? "red" : "gray"}>
            {r.review.status}
          </Badge>
          <Link
            href={`/${slug}/prompts/${encodePromptName(r.promptName)}`}
            className="font-medium text-brand-700 hover:underline"
          >
            {r.promptName}
          </Link>
          <span>
            v{r.review.version} for {r.environment}
          </span>
          <span className="text-xs text-slate-600" data-testid="decided-by">
            {verb[r.review.status]} by {r.decidedByName}
            {r.review.decidedAt ? (
              <>
                {" · "}
                <Time value={r.review.decidedAt} />
              </>
            ) : null}
            {" · requested by "}
            {r.requesterName ?? r.review.requestedByLabel}
          </span>
          {r.review.decisionComment ? (
            <span className="basis-full text-xs text-slate-600">“{r.review.decisionComment}”</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
