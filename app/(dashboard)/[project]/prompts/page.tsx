import Link from "next/link";
import { lastEdits, listPrompts } from "@/lib/registry/prompts";
import { liveVersionsMany } from "@/lib/release/deployments";
import { getDb } from "@/lib/server/db";
import { requireProject } from "@/lib/server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { blockedReason } from "@/components/permissions";
import { PromptTable, type PromptListItem } from "./_components/prompt-table";
import { PromptFilters } from "./_components/prompt-filters";
import { NewPromptButton } from "./_components/new-prompt-button";

export const metadata = { title: "Prompts" };

const PAGE = 50;

function folderCounts(names: string[]) {
  const counts = new Map<string, number>();
  for (const n of names) {
    const parts = n.split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const f = parts.slice(0, i).join("/");
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([folder, count]) => ({ folder, count }));
}

export default async function PromptsPage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ q?: string; folder?: string; tag?: string; page?: string }>;
}) {
  const { project: slug } = await params;
  const sp = await searchParams;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const page = Math.max(0, Number(sp.page ?? 0) || 0);
  const [all, list] = await Promise.all([
    listPrompts(db, ctx.project.id, { limit: 200 }),
    listPrompts(db, ctx.project.id, {
      search: sp.q || undefined,
      folder: sp.folder || undefined,
      tag: sp.tag || undefined,
      limit: PAGE,
      offset: page * PAGE,
    }),
  ]);
  const ids = list.items.map((p) => p.id);
  const [edits, live] = await Promise.all([lastEdits(db, ids), liveVersionsMany(db, ctx.project.id, ids)]);
  const items: PromptListItem[] = list.items.map((p) => ({
    name: p.name,
    description: p.description,
    tags: p.tags,
    latestVersion: p.latestVersion,
    live: live.get(p.id)!.map((e) => ({ environment: e.environment, version: e.live?.version ?? null })),
    lastEdit: edits.get(p.id) ? { by: edits.get(p.id)!.by, at: edits.get(p.id)!.at.toISOString() } : null,
  }));
  const tags = [...new Set(all.items.flatMap((p) => p.tags))].sort();
  const filtered = Boolean(sp.q || sp.folder || sp.tag);
  const createBlocked = blockedReason(ctx.actor, "prompt.create");

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Prompts</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every prompt in {ctx.project.name}, with the version each environment serves.
          </p>
        </div>
        <NewPromptButton slug={slug} blockedReason={createBlocked} />
      </div>
      {all.total === 0 ? (
        <EmptyState
          title="No prompts yet"
          action={
            createBlocked ? null : (
              <LinkButton href={`/${slug}/new`} variant="primary">
                Create your first prompt
              </LinkButton>
            )
          }
        >
          <p>
            A prompt is a template your application asks Lectern for at run time. Create one, save versions as you
            improve it, and promote a version to staging and production when it is ready.
          </p>
          {createBlocked ? <p className="mt-2">{createBlocked}</p> : null}
        </EmptyState>
      ) : (
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-[13rem_1fr]">
          <PromptFilters
            slug={slug}
            folders={folderCounts(all.items.map((p) => p.name))}
            tags={tags}
            current={{ q: sp.q ?? "", folder: sp.folder ?? "", tag: sp.tag ?? "" }}
          />
          <div className="flex min-w-0 flex-col gap-3">
            <p className="text-sm text-slate-600" aria-live="polite">
              {list.total} prompt{list.total === 1 ? "" : "s"}
              {filtered ? " match" : ""}
              {filtered ? (
                <>
                  {" · "}
                  <Link href={`/${slug}/prompts`} className="text-brand-700 underline">
                    Clear filters
                  </Link>
                </>
              ) : null}
            </p>
            {items.length ? (
              <PromptTable slug={slug} items={items} />
            ) : (
              <EmptyState title="Nothing matches">Try another search, folder or tag.</EmptyState>
            )}
            {list.total > PAGE ? (
              <nav aria-label="Pages" className="flex gap-2">
                {page > 0 ? (
                  <LinkButton size="sm" href={{ query: { ...sp, page: page - 1 } }}>
                    ← Previous
                  </LinkButton>
                ) : null}
                {(page + 1) * PAGE < list.total ? (
                  <LinkButton size="sm" href={{ query: { ...sp, page: page + 1 } }}>
                    Next →
                  </LinkButton>
                ) : null}
              </nav>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
