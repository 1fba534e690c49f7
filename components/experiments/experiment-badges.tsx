import { Badge } from "@/components/ui/badge";
import { Term } from "@/components/glossary/term";
import { modeLabel } from "./experiment-format";

const statusTone = { draft: "gray", running: "blue", stopped: "violet" } as const;
const statusText = { draft: "draft", running: "running", stopped: "stopped" } as const;

export function ExperimentStatusBadge({ status }: { status: "draft" | "running" | "stopped" }) {
  return <Badge tone={statusTone[status]}>{statusText[status]}</Badge>;
}

export function ModeBadge({ mode }: { mode: "fixed" | "sequential" | "bandit" }) {
  return (
    <Badge tone="gray">
      <Term k={mode}>{modeLabel[mode]}</Term>
    </Badge>
  );
}

/** A thin bar showing a share from 0 to 1, with its meaning for screen readers. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full ${pct >= 100 ? "bg-emerald-600" : "bg-brand-600"}`}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
