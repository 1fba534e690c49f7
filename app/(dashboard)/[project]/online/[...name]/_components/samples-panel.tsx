"use client";

import { useCallback, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { addSamplesToDatasetAction, listSamplesAction } from "../_actions";
import { FormError } from "@/components/forms/form-error";
import { SampleItem, type Sample } from "./sample-item";
import { Checkbox } from "@/components/forms/checkbox";

type DatasetChoice = { id: string; name: string; prompt: string | null };

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
            <SampleItem
              key={s.id}
              s={s}
              canAdd={Boolean(datasets && datasets.length)}
              added={added[s.id]}
              onAdd={() => void addToDataset(s.id)}
            />
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
