"use client";

import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import type { AlertKind } from "@/db/schema";
import { acknowledgeAlertsAction } from "../_actions";

export type AlertView = {
  id: string;
  kind: AlertKind;
  severity: "info" | "warning" | "critical";
  message: string;
  prompt: string | null;
  environment: string | null;
  link: string;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
};

// Every kind has words (a new kind without them does not compile).
const kindLabel: Record<AlertKind, string> = {
  regression: "Regression",
  auto_rollback: "Rolled back automatically",
  rollback_withheld: "Rollback withheld",
  experiment_regression: "Experiment stopped: a variant did worse than the control",
  rollout_regression: "Guarded rollout rolled back: a guardrail regressed",
};

/** Alerts with what happened, where to look, and (for editors and above) acknowledge. */
export function AlertList({
  slug,
  alerts,
  blocked,
  compact = false,
}: {
  slug: string;
  alerts: AlertView[];
  blocked: string | null;
  compact?: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const open = alerts.filter((a) => !a.acknowledgedAt);

  async function acknowledge(ids: string[]) {
    setBusy(true);
    const r = await acknowledgeAlertsAction(slug, { ids });
    setBusy(false);
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(ids.length === 1 ? "Alert acknowledged." : `${ids.length} alerts acknowledged.`);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-3">
      {!compact && open.length > 1 && !blocked ? (
        <div>
          <Button size="sm" variant="secondary" disabled={busy} onClick={() => void acknowledge(open.map((a) => a.id))}>
            Acknowledge all {open.length}
          </Button>
        </div>
      ) : null}
      <ul className="flex flex-col gap-2" aria-label="Alerts">
        {alerts.map((a) => (
          <li
            key={a.id}
            data-testid="alert"
            className={`rounded-md border p-3 text-sm ${a.acknowledgedAt ? "border-slate-200 bg-white" : a.severity === "critical" ? "border-red-300 bg-red-50" : "border-amber-300 bg-amber-50"}`}
          >
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-1.5">
                  <Badge tone={a.severity === "critical" ? "red" : a.severity === "warning" ? "amber" : "gray"}>
                    {a.severity}
                  </Badge>
                  <span className="font-medium text-slate-900">{kindLabel[a.kind]}</span>
                  {a.environment ? <Badge tone="blue">{a.environment}</Badge> : null}
                </p>
                <p className="mt-1 break-words text-slate-800">{a.message}</p>
                <p className="mt-1 text-xs text-slate-600">
                  <Time value={a.createdAt} />
                  {a.acknowledgedAt ? (
                    <>
                      {" "}
                      · acknowledged {a.acknowledgedBy ? `by ${a.acknowledgedBy} ` : ""}
                      <Time value={a.acknowledgedAt} />
                    </>
                  ) : null}
                </p>
              </div>
              <div className="flex gap-2">
                {!compact ? (
                  <Link
                    href={a.link}
                    className="rounded-md px-2.5 py-1 text-xs font-medium text-brand-700 hover:bg-brand-50"
                  >
                    Open
                  </Link>
                ) : null}
                {!a.acknowledgedAt && !blocked ? (
                  <Button size="sm" variant="secondary" disabled={busy} onClick={() => void acknowledge([a.id])}>
                    Acknowledge
                  </Button>
                ) : null}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
