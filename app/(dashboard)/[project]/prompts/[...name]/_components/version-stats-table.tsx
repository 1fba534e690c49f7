import type { VersionStats } from "@/lib/experiments/version-stats";
import { Table, Td, Th } from "@/components/ui/table";
import { formatCount, metricValue } from "@/components/experiments/experiment-format";

type Value = VersionStats["metrics"][keyof VersionStats["metrics"]];

/** The mean per call; its count only when some calls did not report this metric; below it, what `extra` says. */
function Cell({
  name,
  kind = "continuous",
  v,
  calls,
  extra,
}: {
  name: string;
  kind?: "binary" | "continuous";
  v: Value;
  calls: number;
  extra?: string | null;
}) {
  return (
    <Td className="whitespace-nowrap text-right tabular-nums">
      {v ? (
        <>
          {metricValue(name, kind, v.mean)}
          {v.n !== calls ? <span className="block text-xs text-slate-500">{formatCount(v.n)} calls</span> : null}
          {extra ? <span className="block text-xs text-slate-500">{extra}</span> : null}
        </>
      ) : (
        <span className="text-slate-400">—</span>
      )}
    </Td>
  );
}

/**
 * Average cost, tokens, latency (with its median and 95th percentile) and time to first token per call, for every
 * version with generation events.
 */
export function VersionStatsTable({ stats }: { stats: VersionStats[] }) {
  if (!stats.length)
    return (
      <p className="text-sm text-slate-600">
        No generation events yet. Applications report them with{" "}
        <code className="text-xs">lectern.track({'{ type: "generation", latencyMs, costUsd, … }'})</code> or{" "}
        <code className="text-xs">POST /api/v1/events</code>, with or without an experiment.
      </p>
    );
  return (
    <Table caption="Cost and latency per version">
      <thead>
        <tr>
          <Th>Version</Th>
          <Th className="text-right">Calls</Th>
          <Th className="text-right">Cost</Th>
          <Th className="text-right">Input tokens</Th>
          <Th className="text-right">Output tokens</Th>
          <Th className="text-right">Latency</Th>
          <Th className="text-right">First token</Th>
          <Th className="text-right">Refusals</Th>
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr key={s.version} data-testid={`version-stats-${s.version}`}>
            <Td>
              <span className="font-medium">v{s.version}</span>
              <span className="block text-xs text-slate-500">{s.environments.join(", ")}</span>
            </Td>
            <Td className="text-right tabular-nums">{formatCount(s.generations)}</Td>
            <Cell name="cost_usd" v={s.metrics.cost_usd} calls={s.generations} />
            <Cell name="input_tokens" v={s.metrics.input_tokens} calls={s.generations} />
            <Cell name="output_tokens" v={s.metrics.output_tokens} calls={s.generations} />
            <Cell
              name="latency_ms"
              v={s.metrics.latency_ms}
              calls={s.generations}
              extra={
                s.latency.p50 !== null && s.latency.p95 !== null
                  ? `p50 ${metricValue("latency_ms", "continuous", s.latency.p50)} · p95 ${metricValue("latency_ms", "continuous", s.latency.p95)}`
                  : null
              }
            />
            <Cell name="ttft_ms" v={s.metrics.ttft_ms} calls={s.generations} />
            <Cell name="refusal" kind="binary" v={s.metrics.refusal} calls={s.generations} />
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
