import Link from "next/link";
import type { RolloutsOverview } from "@/lib/views/rollouts-overview";
import { encodePromptName } from "@/lib/registry/name-rules";
import { Badge } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { envTone } from "@/components/release/release-badges";
import { RolloutStatusBadge } from "@/components/rollouts/rollout-log";

type Row = RolloutsOverview["rollouts"][number];

/** The share in a few words: where it stands now, or where it ended. */
function share(r: Row): string {
  if (r.status === "completed") return `version ${r.version} serves everyone`;
  if (r.status === "rolled_back" || r.status === "stopped") return `back on version ${r.liveVersion ?? "live"}`;
  return `${r.percent} % on version ${r.version} (step ${r.step + 1} of ${r.steps.length})`;
}

/** The project's rollouts, newest first: what goes where, its status and share, and what it does now or did last. */
export function RolloutTable({ slug, rollouts }: { slug: string; rollouts: Row[] }) {
  return (
    <Table caption="Guarded rollouts" stack>
      <TableHead columns={["Rollout", "Status", "Share", "Now, or last"]} />
      <tbody>
        {rollouts.map((r) => (
          <tr key={r.id} data-testid="rollout-row" data-status={r.status}>
            <Td label="Rollout" className="min-w-0">
              <Link href={`/${slug}/rollouts/${r.id}`} className="font-medium text-brand-700 hover:underline">
                Version {r.version} of {r.title}
              </Link>
              <span className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-slate-600">
                to <Badge tone={envTone(r.environment)}>{r.environment}</Badge>
                {r.startedAt ? (
                  <span>
                    · started <Time value={r.startedAt} />
                  </span>
                ) : null}
                ·{" "}
                <Link href={`/${slug}/prompts/${encodePromptName(r.prompt)}#rollouts`} className="hover:underline">
                  prompt
                </Link>
              </span>
            </Td>
            <Td label="Status">
              <RolloutStatusBadge status={r.status} />
            </Td>
            <Td label="Share" className="text-slate-800">
              {share(r)}
            </Td>
            <Td label="Now, or last" className="break-words text-sm text-slate-700">
              {r.now}
              <span className="block text-xs text-slate-600">
                <Time value={r.nowAt} />
              </span>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
