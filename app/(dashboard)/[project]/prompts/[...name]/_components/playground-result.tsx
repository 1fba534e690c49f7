import type { PlaygroundResult } from "@/lib/evaluation/playground";
import { Badge } from "@/components/ui/badge";
import { metricValue } from "@/components/experiments/experiment-format";

// A fraction of a cent in two significant digits, as every cost on the experiment pages ("$0", not "$0.0").
const usd = (x: number | null) =>
  x === null ? "unknown (no price for this model)" : metricValue("cost_usd", "continuous", x);

/** One playground run: its output, with the model, tokens, cost, latency and attempts. */
export function PlaygroundRun({
  result,
  title,
  testId = "playground",
}: {
  result: PlaygroundResult;
  title?: string;
  testId?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-2" data-testid={`${testId}-result`}>
      {title ? <p className="text-sm font-semibold text-slate-800">{title}</p> : null}
      <div className="flex flex-wrap items-center gap-1.5 text-xs">
        <Badge tone={result.error ? "red" : "green"}>
          {result.error ? `failed: ${result.error.kind}` : result.finishReason}
        </Badge>
        <Badge tone={result.unsaved ? "violet" : undefined}>{result.unsaved ? "unsaved" : `v${result.version}`}</Badge>
        <Badge>{result.model}</Badge>
        <Badge tone="blue">{result.connection.name}</Badge>
      </div>
      {result.error ? (
        <p className="text-sm text-red-800" role="alert">
          {result.error.message}
        </p>
      ) : null}
      <pre
        className="max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
        data-testid={`${testId}-output`}
      >
        {result.output || (result.toolCalls ? JSON.stringify(result.toolCalls, null, 2) : "(no text)")}
      </pre>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid={`${testId}-stats`}>
        <div>
          <dt className="text-xs text-slate-600">Tokens in / out</dt>
          <dd>
            {result.usage.inputTokens} / {result.usage.outputTokens}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Cost</dt>
          <dd>{usd(result.costUsd)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Latency</dt>
          <dd>{result.latencyMs} ms</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Attempts</dt>
          <dd>{result.attempts}</dd>
        </div>
      </dl>
      {result.warnings.length ? <p className="text-xs text-amber-900">{result.warnings.join(" ")}</p> : null}
    </div>
  );
}
