"use client";

import type { PromptChoices } from "@/lib/views/prompt-choices";
import { Button } from "@/components/ui/button";
import { equalShare, nextKey, type VariantRow } from "./form-state";

const cell = (error?: boolean) =>
  `w-full rounded-md border px-2.5 py-2 text-sm shadow-sm ${error ? "border-red-500" : "border-slate-300"} focus:border-brand-600`;

/** Key, version and weight of each variant; the first row is the control. */
export function VariantsEditor({
  rows,
  equal,
  choices,
  environment,
  readOnly,
  error,
  onChange,
}: {
  rows: VariantRow[];
  equal: boolean;
  choices: PromptChoices;
  environment: string;
  readOnly: boolean;
  error?: string;
  onChange: (rows: VariantRow[], equal: boolean) => void;
}) {
  const live = choices.live[environment];
  const total = rows.reduce((s, r) => s + Number(r.weight), 0);
  const split = (list: VariantRow[]) => list.map((r) => ({ ...r, weight: equalShare(list.length) }));
  const set = (i: number, patch: Partial<VariantRow>, typedWeight = false) => {
    const next = rows.map((r, j) => (j === i ? { ...r, ...patch } : r));
    onChange(next, equal && !typedWeight);
  };
  const add = () => {
    const used = new Set(rows.map((r) => r.version));
    const version = choices.versions.find((v) => !used.has(v.version))?.version ?? choices.versions[0]!.version;
    const next = [...rows, { key: nextKey(rows), version, weight: "0" }];
    onChange(equal ? split(next) : next, equal);
  };
  const remove = (i: number) => {
    const next = rows.filter((_, j) => j !== i);
    onChange(equal ? split(next) : next, equal);
  };
  return (
    <fieldset className="flex min-w-0 flex-col gap-2" aria-describedby={error ? "variants-error" : "variants-hint"}>
      <legend className="text-sm font-medium text-slate-700">Variants</legend>
      {/* On a phone each variant is a small card (key and weight, then the version); wider, a table. */}
      <div className="sm:overflow-x-auto">
        <table className="w-full text-sm max-sm:block sm:min-w-[36rem]">
          <VariantsHead />
          <tbody className="max-sm:flex max-sm:flex-col max-sm:gap-2">
            {rows.map((r, i) => (
              <tr
                key={i}
                className="max-sm:grid max-sm:grid-cols-2 max-sm:gap-2 max-sm:rounded-md max-sm:border max-sm:border-slate-200 max-sm:p-2"
              >
                <td className="py-1 pr-2 align-top max-sm:order-1 max-sm:p-0">
                  <input
                    aria-label={`Variant ${i + 1} key`}
                    aria-invalid={error ? true : undefined}
                    className={cell(Boolean(error))}
                    value={r.key}
                    readOnly={readOnly}
                    onChange={(e) => set(i, { key: e.target.value })}
                  />
                  {i === 0 ? <span className="mt-0.5 block text-xs text-slate-500">control</span> : null}
                </td>
                <td className="py-1 pr-2 align-top max-sm:order-3 max-sm:col-span-2 max-sm:p-0">
                  <select
                    aria-label={`Variant ${i + 1} version`}
                    aria-invalid={error ? true : undefined}
                    className={`${cell(Boolean(error))} bg-white`}
                    value={r.version}
                    disabled={readOnly}
                    onChange={(e) => set(i, { version: Number(e.target.value) })}
                  >
                    {choices.versions.map((v) => (
                      <option key={v.version} value={v.version}>
                        v{v.version}
                        {v.version === live ? ` · live in ${environment}` : ""} —{" "}
                        {v.commitMessage.slice(0, 50) || "no message"}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-1 pr-2 align-top max-sm:order-2 max-sm:p-0">
                  <input
                    aria-label={`Variant ${i + 1} weight, percent`}
                    aria-invalid={error ? true : undefined}
                    type="number"
                    min={0}
                    max={100}
                    step="any"
                    className={cell(Boolean(error))}
                    value={r.weight}
                    readOnly={readOnly}
                    onChange={(e) => set(i, { weight: e.target.value }, true)}
                  />
                </td>
                <td className="py-1 align-top max-sm:order-4 max-sm:col-span-2 max-sm:p-0 max-sm:empty:hidden">
                  {i >= 2 && !readOnly ? (
                    <Button
                      type="button"
                      variant="ghost"
                      size="sm"
                      onClick={() => remove(i)}
                      aria-label={`Remove variant ${r.key || i + 1}`}
                    >
                      Remove
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {!readOnly && rows.length < 10 ? (
          <Button type="button" variant="secondary" size="sm" onClick={add}>
            Add variant
          </Button>
        ) : null}
        {!readOnly && !equal ? (
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange(split(rows), true)}>
            Split equally
          </Button>
        ) : null}
        <span className={`text-xs ${Math.abs(total - 100) > 0.05 ? "text-red-700" : "text-slate-500"}`}>
          Weights add up to {Math.round(total * 100) / 100}%.
        </span>
      </div>
      {error ? (
        <p id="variants-error" role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : (
        <p id="variants-hint" className="text-xs text-slate-500">
          The control is what {environment} serves now{live ? ` (v${live})` : ""}; users outside the experiment keep
          getting it. Each variant must use a different version.
        </p>
      )}
    </fieldset>
  );
}

/** The table's column headings, read by screen readers only on a phone (each variant is a card there). */
function VariantsHead() {
  return (
    <thead className="max-sm:sr-only">
      <tr className="text-left text-xs text-slate-600">
        <th scope="col" className="pb-1 pr-2 font-medium">
          Key
        </th>
        <th scope="col" className="pb-1 pr-2 font-medium">
          Version
        </th>
        <th scope="col" className="w-28 pb-1 pr-2 font-medium">
          Weight (%)
        </th>
        <th scope="col" className="w-20 pb-1">
          <span className="sr-only">Remove</span>
        </th>
      </tr>
    </thead>
  );
}
