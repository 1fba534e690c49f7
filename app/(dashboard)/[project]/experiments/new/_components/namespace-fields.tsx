"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { shareRange } from "@/components/experiments/experiment-format";
import { fieldBinder, type FormState, type SectionProps } from "./form-state";

/** A namespace in use, as lib/experiments/namespaces.ts reads it (plain data for the browser). */
export type NamespaceUsageView = {
  name: string;
  experiments: {
    id: string;
    name: string;
    prompt: string;
    environment: string;
    status: string;
    range: [number, number];
  }[];
  free: [number, number][];
};

const pct = (x: number) => Number((x * 100).toFixed(1));
const share = shareRange;

/** The share of users the namespace leaves to this experiment (1 without a namespace), for the traffic estimate. */
export function namespaceShare(s: FormState): number {
  if (!s.namespace.trim()) return 1;
  const width = (Number(s.namespaceEnd) - Number(s.namespaceStart)) / 100;
  return Number.isFinite(width) && width > 0 && width <= 1 ? width : 1;
}

/**
 * Mutually exclusive experiments: a namespace, and the share of its users this experiment takes. Shows who
 * holds which share now and offers the free ones; the server refuses an overlap with a running experiment.
 */
export function NamespaceFields({
  s,
  set,
  namespaces,
  readOnly,
  error,
}: SectionProps & { namespaces: NamespaceUsageView[] }) {
  const field = fieldBinder({ s, set, readOnly });
  const name = s.namespace.trim();
  const usage = namespaces.find((n) => n.name === name);
  const free = usage ? usage.free : [[0, 1] as [number, number]];
  const rangeError = error("namespace.range");
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby="namespace-hint">
      <legend className="text-sm font-medium text-slate-700">Mutually exclusive with (optional)</legend>
      <datalist id="namespace-names">
        {namespaces.map((n) => (
          <option key={n.name} value={n.name} />
        ))}
      </datalist>
      <div className="grid gap-3 sm:grid-cols-3">
        <Input
          label="Namespace"
          id="namespace-name"
          list="namespace-names"
          {...field("namespace")}
          placeholder="checkout"
          error={error("namespace.name") ?? (error("namespace") && !rangeError ? error("namespace") : undefined)}
        />
        {name ? (
          <>
            <Input
              label="From (%)"
              id="namespace-start"
              {...field.number("namespaceStart", { min: 0, max: 100 })}
              error={rangeError}
            />
            <Input label="To (%)" id="namespace-end" {...field.number("namespaceEnd", { min: 0, max: 100 })} />
          </>
        ) : null}
      </div>
      {name ? (
        <div className="flex flex-col gap-1.5 text-sm text-slate-700" data-testid="namespace-usage">
          {usage?.experiments.length ? (
            <ul className="list-inside list-disc text-xs text-slate-600">
              {usage.experiments.map((x) => (
                <li key={x.id}>
                  {share(x.range)}: “{x.name}” on {x.prompt} in {x.environment} (
                  {x.status === "running" ? "running" : "draft, holds nothing until it starts"})
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-xs text-slate-600">A new namespace: every share is free.</p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-xs text-slate-600">
              Free: {free.length ? free.map(share).join(", ") : "nothing (stop an experiment to free its share)"}
            </span>
            {free.map((r) => (
              <Button
                key={r[0]}
                type="button"
                variant="secondary"
                size="sm"
                disabled={readOnly}
                onClick={() => set({ namespaceStart: String(pct(r[0])), namespaceEnd: String(pct(r[1])) })}
              >
                Use {share(r)}
              </Button>
            ))}
          </div>
        </div>
      ) : null}
      <p id="namespace-hint" className="text-xs text-slate-500">
        Experiments in one namespace never share a user, on any prompt: each takes a share of the namespace&apos;s
        users, and users outside this one&apos;s share get the control.
      </p>
    </fieldset>
  );
}
