"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import { VariablesTable } from "@/components/ui/variables-table";
import { isPlainObject } from "@/lib/registry/json";

export type Sample = {
  id: number;
  eventId: string;
  version: number;
  subject: string | null;
  input: unknown;
  output: string;
  status: "pending" | "scored" | "failed";
  score: number | null;
  at: string;
  scores: { scorer: string; score: number | null; passed: boolean | null; reason: string }[];
};

const pct = (x: number | null) => (x === null ? "–" : `${Math.round(x * 1000) / 10}%`);

/** One scored output: when, its event and subject, its score, its input and output, and each scorer's reason. */
export function SampleItem({
  s,
  canAdd,
  added,
  onAdd,
}: {
  s: Sample;
  /** Whether outputs can be added to a dataset here. */
  canAdd: boolean;
  /** What adding it said, once added. */
  added: string | undefined;
  onAdd: () => void;
}) {
  return (
    <li className="rounded-md border border-slate-200 p-3" data-testid="online-sample">
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600">
        <span>
          <Time value={s.at} /> · event <span className="font-mono">{s.eventId}</span>
          {s.subject ? (
            <>
              {" "}
              · subject <span className="font-mono">{s.subject}</span>
            </>
          ) : null}
        </span>
        {s.status === "scored" ? (
          <Badge tone={s.score! >= 0.5 ? "green" : "red"}>score {pct(s.score)}</Badge>
        ) : (
          <Badge tone={s.status === "failed" ? "red" : "gray"}>
            {s.status === "failed" ? "could not be scored" : "waiting to be scored"}
          </Badge>
        )}
      </div>
      {s.input && Object.keys(s.input).length ? (
        <details className="mt-2 text-xs">
          <summary className="cursor-pointer text-slate-700">{isPlainObject(s.input) ? "Variables" : "Input"}</summary>
          <div className="mt-1">
            <VariablesTable value={s.input} />
          </div>
        </details>
      ) : null}
      <pre className="mt-2 max-h-60 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs text-slate-900">
        {s.output.length > 2000 ? `${s.output.slice(0, 2000)}… (${s.output.length} characters)` : s.output}
      </pre>
      {canAdd ? (
        <div className="mt-2 flex items-center gap-2 text-xs">
          {added ? (
            <span role="status" className="text-green-800">
              {added}
            </span>
          ) : (
            <Button variant="secondary" size="sm" onClick={onAdd}>
              Add to dataset
            </Button>
          )}
        </div>
      ) : null}
      {s.scores.length ? (
        <ul className="mt-2 flex flex-col gap-1 text-xs">
          {s.scores.map((x) => (
            <li key={x.scorer}>
              <Badge tone={x.score === null ? "gray" : x.passed ? "green" : "red"}>
                {x.scorer} {pct(x.score)}
              </Badge>{" "}
              <span className="text-slate-700">{x.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
