// The bundle page's list of reviews, rendered on the server like the page.
import type { bundleOverview } from "@/lib/release/bundles/bundle-reads";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";

type Review = Awaited<ReturnType<typeof bundleOverview>>["reviews"][number];

/** Each review of the bundle: its status, members and environment, who asked and when; a pending one links to Reviews. */
export function BundleReviewsList({ slug, reviews }: { slug: string; reviews: Review[] }) {
  return reviews.length ? (
    <ul className="flex flex-col gap-1 text-sm" data-testid="bundle-reviews">
      {reviews.map((r) => (
        <li key={r.id} data-review={r.id} data-status={r.status}>
          <Badge tone={r.status === "approved" ? "green" : r.status === "pending" ? "amber" : "gray"}>{r.status}</Badge>{" "}
          {r.reviews.map((m) => `${m.prompt} v${m.version}`).join(", ")} for {r.environment}{" "}
          <span className="text-slate-500">
            requested by {r.requestedBy} · <Time value={r.at} />
          </span>
          {r.status === "pending" ? (
            <>
              {" "}
              <a className="text-brand-700 hover:underline" href={`/${slug}/reviews`}>
                Open in Reviews
              </a>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  ) : (
    <p className="text-sm text-slate-500">No reviews yet.</p>
  );
}
