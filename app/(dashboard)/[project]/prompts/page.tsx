import Link from "next/link";
import { promptLibrary } from "@/lib/views/prompt-library";
import { getDb } from "@/lib/server/wiring/db";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { blockedReason } from "@/components/blocked-reasons";
import { PromptTable } from "./_components/prompt-table";
import { currentFilters, PromptFilters, SortLinks, type FilterKey } from "./_components/prompt-filters";
import { NewPromptButton } from "./_components/new-prompt-button";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Prompts" };

const PAGE = 50;

export default async function PromptsPage(props: ProjectPageProps<Partial<Record<FilterKey | "page", string>>>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const page = Math.max(0, Number(sp.page ?? 0) || 0);
  const current = currentFilters(sp);
  const lib = await promptLibrary(db, ctx.project.id, {
    search: current.q || undefined,
    folder: current.folder || undefined,
    tag: current.tag || undefined,
    environment: current.env || undefined,
    status: current.status === "live" || current.status === "not_live" ? current.status : undefined,
    owner: current.owner || undefined,
    hasExperiment: current.experiment === "1" ? true : undefined,
    hasAlert: current.alert === "1" ? true : undefined,
    sort: current.sort === "updated" || current.sort === "created" ? current.sort : "name",
    limit: PAGE,
    offset: page * PAGE,
  });
  const filtered = Object.entries(current).some(([k, v]) => v && k !== "sort");
  const createBlocked = blockedReason(ctx.actor, "prompt.create");

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Prompts"
        description={<>Every prompt in {ctx.project.name}, with the version each environment serves.</>}
        actions={
          <div className="flex gap-2">
            <LinkButton href={`/${slug}/bundles`}>Bundles</LinkButton>
            <NewPromptButton slug={slug} blockedReason={createBlocked} />
          </div>
        }
      />
      {lib.facets.total === 0 ? (
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
          <PromptFilters slug={slug} facets={lib.facets} environments={lib.environments} current={current} />
          <div className="flex min-w-0 flex-col gap-3">
            <p className="text-sm text-slate-600" aria-live="polite">
              {lib.total} prompt{lib.total === 1 ? "" : "s"}
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
            <SortLinks slug={slug} current={current} />
            {lib.items.length ? (
              <PromptTable slug={slug} items={lib.items} />
            ) : (
              <EmptyState title="Nothing matches">Try another search, folder, tag or filter.</EmptyState>
            )}
            {lib.total > PAGE ? (
              <Pagination
                label="Pages"
                size="sm"
                labels={{ previous: "← Previous", next: "Next →" }}
                previous={page > 0 ? { query: { ...sp, page: page - 1 } } : null}
                next={(page + 1) * PAGE < lib.total ? { query: { ...sp, page: page + 1 } } : null}
              />
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
