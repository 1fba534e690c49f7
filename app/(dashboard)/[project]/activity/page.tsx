import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Fragment } from "react";
import { AUDIT_ACTIONS, auditActionInfo, auditAreas, describeAction } from "@/lib/audit/actions";
import { auditDetails, type AuditDetails } from "@/lib/audit/details";
import { getDb } from "@/lib/server/wiring/db";
import { activityOverview, activityPageSize } from "@/lib/views/activity-overview";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Activity" };

type Search = { prompt?: string; user?: string; action?: string; before?: string };

export default async function ActivityPage(props: ProjectPageProps<Search>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const { prompts, members, action, userId, before, filters, rows } = await activityOverview(db, ctx.project.id, sp);
  const anchor: Record<string, string> = { review: "#reviews", draft: "#drafts" };

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Activity"
        description={<>Everything that changed in {ctx.project.name}, who did it and when. The log cannot be edited.</>}
      />
      <form
        action={`/${slug}/activity`}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        aria-label="Filter activity"
      >
        <Select
          label="Prompt"
          name="prompt"
          id="filter-prompt"
          defaultValue={sp.prompt ?? ""}
          options={prompts.map((p) => p.name)}
        >
          <option value="">All prompts</option>
        </Select>
        <Select
          label="User"
          name="user"
          id="filter-user"
          defaultValue={userId ?? ""}
          options={members.map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }))}
        >
          <option value="">Everyone</option>
        </Select>
        <Select label="Action" name="action" id="filter-action" defaultValue={action ?? ""}>
          <option value="">All actions</option>
          {auditAreas.map((area) => (
            <optgroup key={area} label={area}>
              {AUDIT_ACTIONS.filter((a) => auditActionInfo[a].area === area).map((a) => (
                <option key={a} value={a}>
                  {auditActionInfo[a].description}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {Object.keys(filters).length ? (
          <Link href={`/${slug}/activity`} className="pb-2 text-sm text-brand-700 underline">
            Clear
          </Link>
        ) : null}
      </form>
      {rows.length === 0 ? (
        <EmptyState title="No activity matches">
          {Object.keys(filters).length
            ? "Try fewer filters."
            : "Changes to prompts, releases, members and keys appear here."}
        </EmptyState>
      ) : (
        <Table caption="Audit log" stack>
          <TableHead columns={["When", "Who", "What", "On", "Details"]} />
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <Td label="When" className="whitespace-nowrap text-xs text-slate-600">
                  <Time value={r.createdAt} />
                </Td>
                <Td label="Who" className="whitespace-nowrap">
                  {r.actorLabel}{" "}
                  {r.actorType !== "user" ? <Badge>{r.actorType === "api_key" ? "API key" : "system"}</Badge> : null}
                </Td>
                <Td label="What">{describeAction(r.action)}</Td>
                <Td label="On">
                  {r.promptName ? (
                    <Link
                      href={`/${slug}/prompts/${encodePromptName(r.promptName)}${anchor[r.objectType] ?? ""}`}
                      className="text-brand-700 hover:underline"
                    >
                      {r.promptName}
                    </Link>
                  ) : (
                    <span className="text-slate-600">{r.objectType.replace("_", " ")}</span>
                  )}
                </Td>
                <Td label="Details" className="max-w-md break-words text-slate-700">
                  <Details {...auditDetails(r.action, r.before, r.after)} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pagination
        label="Pages"
        size="sm"
        labels={{ previous: "Newest", next: "Older →" }}
        previous={before ? { query: filters } : null}
        next={rows.length === activityPageSize ? { query: { ...filters, before: rows.at(-1)!.id } } : null}
      />
    </div>
  );
}

/** A summary sentence, or the entry's data as label/value lines. */
function Details({ summary, fields }: AuditDetails) {
  if (!fields.length) return summary;
  return (
    <dl className="grid min-w-0 grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
      {fields.map((f) => (
        <Fragment key={f.label}>
          <dt className="text-slate-500">{f.label}</dt>
          {/* Ids, compositions and long values break anywhere rather than widen the page on a phone. */}
          <dd className="min-w-0 [overflow-wrap:anywhere]">{f.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
