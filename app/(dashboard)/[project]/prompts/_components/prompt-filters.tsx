import Link from "next/link";
import { PromptSearch } from "./prompt-search";

type Current = { q: string; folder: string; tag: string };

function href(slug: string, current: Current, patch: Partial<Current>) {
  const q = new URLSearchParams(Object.entries({ ...current, ...patch }).filter(([, v]) => v) as [string, string][]);
  const s = q.toString();
  return `/${slug}/prompts${s ? `?${s}` : ""}`;
}

const item = (active: boolean) =>
  `flex items-center justify-between rounded-md px-2 py-1 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`;

/** Search (filters as you type; a plain GET form before JavaScript loads), folders from "/" in names, and tags. */
export function PromptFilters({
  slug,
  folders,
  tags,
  current,
}: {
  slug: string;
  folders: { folder: string; count: number }[];
  tags: string[];
  current: Current;
}) {
  return (
    <aside aria-label="Filters" className="grid grid-cols-1 gap-5 sm:grid-cols-3 lg:flex lg:flex-col">
      <PromptSearch slug={slug} current={current} />
      <nav aria-label="Folders">
        <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Folders</h2>
        <ul className="flex flex-col gap-0.5">
          <li>
            <Link
              href={href(slug, current, { folder: "" })}
              className={item(!current.folder)}
              aria-current={!current.folder ? "page" : undefined}
            >
              All prompts
            </Link>
          </li>
          {folders.map((f) => (
            <li key={f.folder}>
              <Link
                href={href(slug, current, { folder: f.folder })}
                className={item(current.folder === f.folder)}
                aria-current={current.folder === f.folder ? "page" : undefined}
                style={{ paddingLeft: `${0.5 + (f.folder.split("/").length - 1) * 0.75}rem` }}
              >
                <span className="truncate">{f.folder.split("/").at(-1)}/</span>
                <span className="text-xs text-slate-500">{f.count}</span>
              </Link>
            </li>
          ))}
        </ul>
        {folders.length === 0 ? (
          <p className="px-2 text-xs text-slate-500">Name a prompt like support/reply to put it in a folder.</p>
        ) : null}
      </nav>
      {tags.length ? (
        <nav aria-label="Tags">
          <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Tags</h2>
          <ul className="flex flex-wrap gap-1">
            {tags.map((t) => (
              <li key={t}>
                <Link
                  href={href(slug, current, { tag: current.tag === t ? "" : t })}
                  aria-current={current.tag === t ? "page" : undefined}
                  className={`inline-block rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${current.tag === t ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"}`}
                >
                  {t}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </aside>
  );
}
