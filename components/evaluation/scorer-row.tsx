"use client";

import {
  changeType,
  defaultPassMarks,
  fromExpected,
  isScorerType,
  scorerTypeList,
  setOption,
  typeInfo,
  type OptionField,
  type UncheckedSpec,
} from "@/lib/scorers/form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { JsonField, LinesField, NumberField } from "./typed-text-fields";

type Connection = { id: string; name: string };

/** One option of a scorer, as the field its kind calls for. */
function OptionInput({
  id,
  option,
  spec,
  onChange,
  error,
  connections,
  withExpected,
}: {
  id: string;
  option: OptionField;
  spec: UncheckedSpec;
  onChange: (value: unknown) => void;
  error?: string;
  connections: Connection[];
  withExpected: boolean;
}) {
  const value = spec[option.key];
  // Online answers have no expected answer to fall back to: the option must be filled in there.
  const hint =
    option.hint === fromExpected && !withExpected ? "Required: online answers have no expected answer." : option.hint;
  const common = { id, label: option.label, hint, error };
  switch (option.kind) {
    case "boolean":
      return (
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-2 text-sm text-slate-700" htmlFor={id}>
            <input
              id={id}
              type="checkbox"
              className="size-4"
              checked={typeof value === "boolean" ? value : Boolean(option.fallback)}
              onChange={(e) => onChange(e.target.checked)}
            />
            {option.label}
          </label>
          {error ? <p className="text-xs text-red-700">{error}</p> : null}
        </div>
      );
    case "choice":
      return (
        <Select {...common} className="w-full" value={String(value ?? option.fallback)} onValue={onChange}>
          {option.choices!.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </Select>
      );
    case "connection": {
      const known = typeof value !== "string" || connections.some((c) => c.id === value || c.name === value);
      return (
        <Select {...common} className="w-full" value={String(value ?? "")} onValue={(v) => onChange(v || undefined)}>
          <option value="">Project default</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {known ? null : <option value={String(value)}>{String(value)}</option>}
        </Select>
      );
    }
    case "number":
    case "integer":
      return (
        <NumberField
          {...common}
          value={value}
          onChange={onChange}
          placeholder={option.fallback === undefined ? undefined : String(option.fallback)}
        />
      );
    case "lines":
      return <LinesField {...common} value={value} onChange={onChange} keepEmpty={option.key === "fields"} />;
    case "json":
      return <JsonField {...common} value={value} onChange={onChange} />;
    case "textarea":
      return <Textarea {...common} rows={4} value={typeof value === "string" ? value : ""} onValue={onChange} />;
    default:
      // A value that is not text (exact_match can compare with a JSON value) is left to the JSON view.
      return value !== undefined && typeof value !== "string" ? (
        <Input {...common} value={JSON.stringify(value)} readOnly hint="Not text: change it in “Edit as JSON”." />
      ) : (
        <Input {...common} value={value ?? ""} onValue={(v) => onChange(v || undefined)} />
      );
  }
}

/** One scorer of the list: its type, name, weight, pass mark and the type's options. */
export function ScorerRow({
  id,
  index,
  count,
  spec,
  onChange,
  onMove,
  onRemove,
  fieldError,
  rowErrors,
  connections,
  judgeModel,
  withExpected = true,
}: {
  id: string;
  index: number;
  count: number;
  spec: UncheckedSpec;
  onChange: (spec: UncheckedSpec) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
  fieldError: (key: string) => string | undefined;
  rowErrors: string[];
  connections: Connection[];
  judgeModel: string;
  /** Whether answers come with an expected answer (dataset items do; online answers do not). */
  withExpected?: boolean;
}) {
  const n = index + 1;
  const known = isScorerType(spec.type);
  const info = known ? typeInfo[spec.type as keyof typeof typeInfo] : null;
  const set = (key: string) => (value: unknown) => onChange(setOption(spec, key, value));
  const wide = (o: OptionField) => ["textarea", "json", "lines"].includes(o.kind);
  return (
    <li>
      <fieldset className="min-w-0 rounded-md border border-slate-200 p-3" data-testid="scorer-row">
        <legend className="float-left pt-1 text-sm font-semibold text-slate-800">Scorer {n}</legend>
        <div className="flex flex-wrap justify-end gap-1">
          <Button type="button" size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(-1)}>
            <span aria-hidden>↑</span>
            <span className="sr-only">Move scorer {n} up</span>
          </Button>
          <Button type="button" size="sm" variant="ghost" disabled={index === count - 1} onClick={() => onMove(1)}>
            <span aria-hidden>↓</span>
            <span className="sr-only">Move scorer {n} down</span>
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={onRemove}>
            Remove<span className="sr-only"> scorer {n}</span>
          </Button>
        </div>
        <div className="clear-both mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Select
            label="Type"
            id={`${id}-type`}
            className="w-full"
            value={spec.type}
            error={fieldError("type")}
            hint={info?.description}
            onValue={(v) => onChange(changeType(spec, v as keyof typeof typeInfo, judgeModel))}
          >
            {known ? null : <option value={spec.type}>{spec.type} (unknown)</option>}
            {scorerTypeList.map((t) => (
              <option key={t} value={t}>
                {typeInfo[t].label}
              </option>
            ))}
          </Select>
          <Input
            label="Name (optional)"
            id={`${id}-name`}
            value={typeof spec.name === "string" ? spec.name : ""}
            placeholder={spec.type}
            error={fieldError("name")}
            hint="Shown in the results."
            onValue={(v) => set("name")(v || undefined)}
          />
          <NumberField
            label="Weight"
            id={`${id}-weight`}
            value={spec.weight}
            placeholder="1"
            error={fieldError("weight")}
            hint="0 to 100; 0 shows the score without counting it."
            onChange={set("weight")}
          />
          <NumberField
            label="Pass mark"
            id={`${id}-threshold`}
            value={spec.threshold}
            placeholder={known ? String(defaultPassMarks[spec.type as keyof typeof defaultPassMarks]) : ""}
            error={fieldError("threshold")}
            hint="0 to 1: the lowest score that passes."
            onChange={set("threshold")}
          />
        </div>
        {info?.options.length ? (
          <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
            {info.options.map((o) => (
              <div key={o.key} className={wide(o) ? "sm:col-span-2" : undefined}>
                <OptionInput
                  id={`${id}-${o.key}`}
                  option={o}
                  spec={spec}
                  onChange={set(o.key)}
                  error={fieldError(o.key)}
                  connections={connections}
                  withExpected={withExpected}
                />
              </div>
            ))}
          </div>
        ) : null}
        {rowErrors.length ? (
          <ul className="mt-2 text-xs text-red-700" role="alert">
            {rowErrors.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        ) : null}
      </fieldset>
    </li>
  );
}
