import { restoreDatasetVersionAction } from "../../_actions";

/** Restores an earlier version and points the page at the notice that says so (`?restored=`). */
export async function restoreAndShow(
  slug: string,
  dataset: string,
  version: number,
  navigate: (href: string) => void,
): Promise<string | null> {
  const r = await restoreDatasetVersionAction(slug, { dataset, version });
  if (!r.ok) return r.message;
  const q = new URLSearchParams(window.location.search);
  q.delete("removed");
  q.set("restored", String(r.data.version));
  navigate(`${window.location.pathname}?${q.toString()}`);
  return null;
}
