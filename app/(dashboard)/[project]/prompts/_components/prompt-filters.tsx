import Link from "next/link";
import type { PromptFacets } from "@/lib/registry/prompt-list";
import { PromptSearch } from "./prompt-search";

// Every filter lives in the URL (shareable, Back works, no JavaScript needed): links that set or clear
// one parameter and keep the others; the page goes back to the first.
export const filterKeys = ["q", "folder", "tag", "env", "status", "owner", "experiment", "alert", "sort"] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Current = Record<FilterKey, string>;

export function currentFilters(sp: Partial<Record<string, string | string[]>>): Current {
  return Object.fromEntries(
    filterKeys.map((k) => {
      const v = sp[k];
      return [k, typeof v === "string" ? v : ""];
    }),
  ) as Current;
}

export function filterHref(slug: string, current: Current, patch: Partial<Current>) {
  const q = new URLSearchParams(Object.entries({ ...current, ...patch }).filter(([, v]) => v) as [string, string][]);
  const s = q.toString();
  return `/${slug}/prompts${s ? `?${s}` : ""}`;
}

const item = (active: boolean) =>
  `flex items-center justify-between gap-2 rounded-md px-2 py-1 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`;

function Heading({ children }: { children: React.ReactNode }) {
  return <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{children}</h2>;
}

/** A link that turns one filter on (or off, when it is the current value). */
function Toggle({
  slug,
  current,
  k,
  value,
  children,
  count,
}: {
  slug: string;
  current: Current;
  k: FilterKey;
  value: string;
  children: React.ReactNode;
  count?: number;
}) {
  const on = current[k] === value;
  return (
    <li>
      <Link
        href={filterHref(slug, current, { [k]: on ? "" : value })}
        className={item(on)}
        aria-current={on ? "true" : undefined}
      >
        <span className="truncate">{children}</span>
        {count !== undefined ? <span className="text-xs text-slate-500">{count}</span> : null}
      </Link>
    </li>
  );
}

type Folder = { folder: string; count: number };

/** Folders as a tree: a folder with subfolders folds, open while the current folder is inside it. */
function FolderTree({
  slug,
  current,
  folders,
  parent,
}: {
  slug: string;
  current: Current;
  folders: Folder[];
  parent: string;
}) {
  const depth = parent ? parent.split("/").length : 0;
  const children = folders.filter(
    (f) => f.folder.split("/").length === depth + 1 && (!parent || f.folder.startsWith(`${parent}/`)),
  );
  if (!children.length) return null;
  return (
    <ul className={`flex flex-col gap-0.5 ${depth ? "ml-3 border-l border-slate-200 pl-1" : ""}`}>
      {children.map((f) => {
        const hasSub = folders.some((g) => g.folder.startsWith(`${f.folder}/`));
        const link = (
          <Link
            href={filterHref(slug, current, { folder: f.folder })}
            className={item(current.folder === f.folder)}
            aria-current={current.folder === f.folder ? "page" : undefined}
          >
            <span className="truncate">{f.folder.split("/").at(-1)}/</span>
            <span className="text-xs text-slate-500">{f.count}</span>
          </Link>
        );
        if (!hasSub) return <li key={f.folder}>{link}</li>;
        const open = current.folder === f.folder || current.folder.startsWith(`${f.folder}/`);
        const subfolders = folders.filter(
          (g) => g.folder.split("/").length === f.folder.split("/").length + 1 && g.folder.startsWith(`${f.folder}/`),
        ).length;
        return (
          <li key={f.folder}>
            {link}
            <details open={open} className="ml-2">
              <summary className="cursor-pointer rounded px-1 text-xs text-slate-500 hover:text-slate-800">
                {subfolders} subfolder{subfolders === 1 ? "" : "s"}
              </summary>
              <FolderTree slug={slug} current={current} folders={folders} parent={f.folder} />
            </details>
          </li>
        );
      })}
    </ul>
  );
}

/** Search (filters as you type), folders, status, tags and owners. */
export function PromptFilters({
  slug,
  facets,
  environments,
  current,
}: {
  slug: string;
  facets: PromptFacets;
  environments: string[];
  current: Current;
}) {
  return (
    <aside aria-label="Filters" className="grid grid-cols-1 gap-5 sm:grid-cols-3 lg:flex lg:flex-col">
      <PromptSearch slug={slug} current={current} />
      <nav aria-label="Folders">
        <Heading>Folders</Heading>
        <ul className="mb-0.5 flex flex-col">
          <li>
            <Link
              href={filterHref(slug, current, { folder: "" })}
              className={item(!current.folder)}
              aria-current={!current.folder ? "page" : undefined}
            >
              All prompts <span className="text-xs text-slate-500">{facets.total}</span>
            </Link>
          </li>
        </ul>
        <FolderTree slug={slug} current={current} folders={facets.folders} parent="" />
        {facets.folders.length === 0 ? (
          <p className="px-2 text-xs text-slate-500">Name a prompt like support/reply to put it in a folder.</p>
        ) : null}
      </nav>
      <nav aria-label="Status">
        <Heading>Status</Heading>
        <ul className="flex flex-col gap-0.5">
          {environments.map((e) => (
            <Toggle key={e} slug={slug} current={current} k="env" value={e}>
              Live in {e}
            </Toggle>
          ))}
          <Toggle slug={slug} current={current} k="status" value="not_live">
            Not live anywhere
          </Toggle>
          <Toggle slug={slug} current={current} k="experiment" value="1">
            Experiment running
          </Toggle>
          <Toggle slug={slug} current={current} k="alert" value="1">
            Open alert
          </Toggle>
        </ul>
      </nav>
      {facets.tags.length ? (
        <nav aria-label="Tags">
          <Heading>Tags</Heading>
          <ul className="flex flex-wrap gap-1">
            {facets.tags.map(({ tag, count }) => (
              <li key={tag}>
                <Link
                  href={filterHref(slug, current, { tag: current.tag === tag ? "" : tag })}
                  aria-current={current.tag === tag ? "page" : undefined}
                  title={`${count} prompt${count === 1 ? "" : "s"}`}
                  className={`inline-block rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${current.tag === tag ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"}`}
                >
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {facets.owners.length ? (
        <nav aria-label="Owners">
          <Heading>Owners</Heading>
          <ul className="flex flex-col gap-0.5">
            {facets.owners.map((o) => (
              <Toggle key={o.id} slug={slug} current={current} k="owner" value={o.id} count={o.count}>
                {o.name || o.email}
              </Toggle>
            ))}
          </ul>
        </nav>
      ) : null}
    </aside>
  );
}

const sorts = [
  ["name", "Name"],
  ["updated", "Recently changed"],
  ["created", "Newest"],
] as const;

/** The list's order, as links (the current one marked). */
export function SortLinks({ slug, current }: { slug: string; current: Current }) {
  const active = current.sort || "name";
  return (
    <nav aria-label="Sort" className="flex flex-wrap items-center gap-1 text-xs text-slate-600">
      Sort by
      {sorts.map(([value, label]) => (
        <Link
          key={value}
          href={filterHref(slug, current, { sort: value === "name" ? "" : value })}
          aria-current={active === value ? "true" : undefined}
          className={`rounded px-2 py-1 ${active === value ? "bg-brand-50 font-medium text-brand-700" : "hover:bg-slate-100"}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
