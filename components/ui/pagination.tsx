import type { LinkProps } from "next/link";
import { LinkButton } from "./link-button";

type Href = LinkProps["href"];

/**
 * The links under a paginated table: previous and next (each only when there is such a page), and, when the
 * total is known, which rows are shown ("21–40 of 95"). Pages are links, so a page of results can be shared.
 */
export function Pagination({
  label,
  previous,
  next,
  range,
  labels = { previous: "Previous", next: "Next" },
  size = "md",
}: {
  label: string;
  previous: Href | null;
  next: Href | null;
  range?: { from: number; to: number; total: number };
  labels?: { previous: string; next: string };
  size?: "sm" | "md";
}) {
  const links = (
    <>
      {previous ? (
        <LinkButton size={size} href={previous}>
          {labels.previous}
        </LinkButton>
      ) : null}
      {next ? (
        <LinkButton size={size} href={next}>
          {labels.next}
        </LinkButton>
      ) : null}
    </>
  );
  if (!range)
    return (
      <nav aria-label={label} className="flex gap-2">
        {links}
      </nav>
    );
  return (
    <nav aria-label={label} className="mt-3 flex items-center justify-between text-sm">
      <span className="text-slate-600">
        {range.from}–{range.to} of {range.total}
      </span>
      <span className="flex gap-2">{links}</span>
    </nav>
  );
}
