"use client";

import { useCallback, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Time } from "@/components/ui/time";
import { VariablesTable } from "@/components/ui/variables-table";
import { isPlainObject } from "@/lib/registry/json";
import { addSamplesToDatasetAction, listSamplesAction } from "../_actions";
import { FormError } from "@/components/forms/form-error";
import { Checkbox } from "@/components/forms/checkbox";

type DatasetChoice = { id: string; name: string; prompt: string | null };

type Sample = {
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

/** The scored production outputs of a version, newest first, with each scorer's score and reason. */
/** `datasets`: where outputs can be added (null when the viewer may not add to datasets). */
export function SamplesPanel({
  slug,
  prompt,
  environment,
  versions,
  initialVersion,
  datasets,
}: {
  slug: string;
  prompt: string;
  environment: string;
  versions: number[];
  initialVersion: number;
  datasets: DatasetChoice[] | null;
}) {
  const [version, setVersion] = useState(initialVersion);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [onlyLow, setOnlyLow] = useState(false);
  const [target, setTarget] = useState(datasets?.[0]?.id ?? "");
  const [added, setAdded] = useState<Record<number, string>>({});
  const [addError, setAddError] = useState<string | null>(null);

  const addToDataset = async (sampleId: number) => {
    setAddError(null);
    const r = await addSamplesToDatasetAction(slug, { dataset: target, sampleIds: [sampleId] });
    if (!r.ok) return setAddError(r.message);
    const name = datasets?.find((d) => d.id === target)?.name ?? "the dataset";
    setAdded((cur) => ({ ...cur, [sampleId]: `Added to ${name} (dataset v${r.data.version})` }));
  };

  const apply = useCallback((r: Awaited<ReturnType<typeof listSamplesAction>>, append: boolean) => {
    setLoading(false);
    if (!r.ok) return setError(r.message);
    setError(null);
    setSamples((cur) => (append ? [...cur, ...(r.data.data as Sample[])] : (r.data.data as Sample[])));
    setNext(r.data.next);
  }, []);

  // The first page of the chosen version; a newer choice wins over a late answer for an older one.
  useEffect(() => {
    let current = true;
    void listSamplesAction(slug, { name: prompt, environment, version }).then((r) => current && apply(r, false));
    return () => {
      current = false;
    };
  }, [slug, prompt, environment, version, apply]);

  const load = async (v: number, before: number) => {
    setLoading(true);
    apply(await listSamplesAction(slug, { name: prompt, environment, version: v, before }), true);
  };

  const choose = (v: number) => {
    setLoading(true);
    setVersion(v);
  };

  const shown = onlyLow ? samples.filter((s) => s.score !== null && s.score < 0.5) : samples;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <Select
          label="Version"
          id="samples-version"
          value={String(version)}
          onValue={(v) => choose(Number(v))}
          options={versions.map((v) => ({ value: String(v), label: `v${v}` }))}
        />
        <Checkbox className="flex items-center gap-2 pb-2 text-sm" checked={onlyLow} onCheck={setOnlyLow}>
          Only outputs scoring under 50%
        </Checkbox>
        {datasets && datasets.length ? (
          <Select label="Add outputs to dataset" id="samples-dataset" value={target} onValue={setTarget}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.prompt && d.prompt !== prompt ? ` (${d.prompt})` : ""}
              </option>
            ))}
          </Select>
        ) : null}
      </div>
      {datasets && !datasets.length ? (
        <p className="text-sm text-slate-600">
          To keep an output as a test case,{" "}
          <a className="text-brand-700 underline" href={`/${slug}/datasets`}>
            create a dataset
          </a>{" "}
          first.
        </p>
      ) : null}
      <FormError message={addError} className="text-sm text-red-800" />
      <FormError message={error} className="text-sm text-red-800" />
      {shown.length ? (
        <ul className="flex flex-col gap-3" aria-label={`Sampled outputs of v${version}`}>
          {shown.map((s) => (
            <li key={s.id} className="rounded-md border border-slate-200 p-3" data-testid="online-sample">
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
                  <summary className="cursor-pointer text-slate-700">
                    {isPlainObject(s.input) ? "Variables" : "Input"}
                  </summary>
                  <div className="mt-1">
                    <VariablesTable value={s.input} />
                  </div>
                </details>
              ) : null}
              <pre className="mt-2 max-h-60 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs text-slate-900">
                {s.output.length > 2000 ? `${s.output.slice(0, 2000)}… (${s.output.length} characters)` : s.output}
              </pre>
              {datasets && datasets.length ? (
                <div className="mt-2 flex items-center gap-2 text-xs">
                  {added[s.id] ? (
                    <span role="status" className="text-green-800">
                      {added[s.id]}
                    </span>
                  ) : (
                    <Button variant="secondary" size="sm" onClick={() => void addToDataset(s.id)}>
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
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">
          {loading
            ? "Loading…"
            : onlyLow
              ? "No low-scoring outputs among those loaded."
              : `No sampled outputs of v${version} yet.`}
        </p>
      )}
      {next ? (
        <div>
          <Button variant="secondary" size="sm" disabled={loading} onClick={() => void load(version, next)}>
            Load older outputs
          </Button>
        </div>
      ) : null}
    </div>
  );
}
