// The online evaluation page's navigation and versions table, rendered on the server like the page.
import Link from "next/link";
import type { onlineOverview } from "@/lib/evaluation/online/overview";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

type Overview = Awaited<ReturnType<typeof onlineOverview>>;

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

/** One link per environment, saying where the rule is on. */
export function EnvironmentNav({
  base,
  environments,
  current: environment,
}: {
  base: string;
  environments: Overview["environments"];
  current: string;
}) {
  return (
    <nav aria-label="Environment" className="flex flex-wrap gap-1">
      {environments.map((e) => {
        const on = e.evaluated;
        const current = e.name === environment;
        return (
          <Link
            key={e.name}
            href={`${base}?environment=${encodeURIComponent(e.name)}`}
            aria-current={current ? "page" : undefined}
            className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {e.name}
            {on ? <Badge tone="green">on</Badge> : null}
          </Link>
        );
      })}
    </nav>
  );
}

/** The chart's time bucket: per hour or per day. */
export function BucketNav({
  base,
  environment,
  bucket,
}: {
  base: string;
  environment: string;
  bucket: Overview["bucket"];
}) {
  return (
    <nav aria-label="Time bucket" className="flex gap-1 text-xs">
      {(["hour", "day"] as const).map((b) => (
        <Link
          key={b}
          href={`${base}?environment=${encodeURIComponent(environment)}&bucket=${b}#chart`}
          aria-current={b === bucket ? "page" : undefined}
          className={`rounded px-2 py-1 ${b === bucket ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
        >
          per {b}
        </Link>
      ))}
    </nav>
  );
}

/** Sampled outputs per version in the environment: mean score, scored, waiting, failed, last output. */
export function VersionsCard({
  environment,
  versions,
  liveHere,
}: {
  environment: string;
  versions: Overview["versions"];
  liveHere: Overview["liveHere"];
}) {
  return (
    <Card title="Versions" id="versions" description={`Sampled outputs per version in ${environment}.`}>
      {versions.length ? (
        <Table caption="Sampled outputs per version" stack>
          <thead>
            <tr>
              <Th>Version</Th>
              <Th className="text-right">Mean score</Th>
              <Th className="text-right">Scored</Th>
              <Th className="text-right">Waiting</Th>
              <Th className="text-right">Failed</Th>
              <Th>Last output</Th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <Td label="Version">
                  v{v.version} {v.version === liveHere ? <Badge tone="green">live</Badge> : null}
                </Td>
                <Td label="Mean score" className="text-right tabular-nums">
                  {pct(v.mean)}
                </Td>
                <Td label="Scored" className="text-right tabular-nums">
                  {v.scored}
                </Td>
                <Td label="Waiting" className="text-right tabular-nums">
                  {v.pending}
                </Td>
                <Td label="Failed" className="text-right tabular-nums">
                  {v.failed}
                </Td>
                <Td label="Last output" className="text-xs">
                  {v.lastAt ? <Time value={v.lastAt} /> : "–"}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">
          No outputs sampled yet. Report generations with their output (<code>POST /api/v1/events</code>, or the
          SDK&apos;s <code>track()</code>) from {environment}.
        </p>
      )}
    </Card>
  );
}
