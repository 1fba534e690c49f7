import { listAlerts } from "@/lib/evaluation/online/alerts";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { FilterLink } from "@/components/ui/filter-link";
import { PageHeader } from "@/components/ui/page-header";
import { AlertList } from "./_components/alert-list";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Alerts" };

/** The alerts inbox: regressions found by online evaluation, automatic rollbacks, and rollbacks withheld. */
export default async function AlertsPage(props: ProjectPageProps<{ show?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const all = sp.show === "all";
  const alerts = await listAlerts(db, ctx.project.id, { open: !all, limit: 200 });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Alerts"
        descriptionClassName="max-w-prose"
        description="Online evaluation compares each live version with the last known-good one on real traffic. It raises an alert when a metric drops past a prompt's alert threshold, and rolls back past its rollback threshold."
      />
      <nav aria-label="Which alerts" className="flex gap-1">
        <FilterLink href={`/${slug}/alerts`} current={!all} className="text-sm">
          Open
        </FilterLink>
        <FilterLink href={`/${slug}/alerts?show=all`} current={all} className="text-sm">
          All
        </FilterLink>
      </nav>
      <Card title={all ? "All alerts" : "Open alerts"}>
        {alerts.length ? (
          <AlertList slug={slug} alerts={alerts} blocked={blockedReason(ctx.actor, "alert.acknowledge")} />
        ) : (
          <p className="text-sm text-slate-600">
            {all
              ? "No alerts yet. Set up online evaluation on a prompt to be told when its quality drops."
              : "Nothing needs your attention."}
          </p>
        )}
      </Card>
    </div>
  );
}
