"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { PriceTable } from "@/lib/llm/pricing";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { AlertLine } from "@/components/ui/alert-line";
import { setPricesAction } from "../_actions";

type Row = { key: number; model: string; input: string; output: string };

/** The two prices of a row: per million input tokens and per million output tokens. */
const priceColumns = [
  ["input", "Input"],
  ["output", "Output"],
] as const;

let seq = 0;
const toRows = (t: PriceTable): Row[] =>
  Object.entries(t).map(([model, p]) => ({
    key: ++seq,
    model,
    input: String(p.inputPerMTok),
    output: String(p.outputPerMTok),
  }));

/** The project's prices per model (USD per million tokens), consulted before the default table. */
export function PricesPanel({
  slug,
  overrides,
  defaults,
  asOf,
  blocked,
}: {
  slug: string;
  overrides: PriceTable;
  defaults: PriceTable;
  asOf: string;
  blocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const [rows, setRows] = useState<Row[]>(() => toRows(overrides));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const prices: PriceTable = {};
    for (const [i, r] of rows.entries()) {
      const model = r.model.trim();
      if (!model) return setError(`Row ${i + 1}: the model name is empty.`);
      if (prices[model]) return setError(`Row ${i + 1}: ${model} is listed twice.`);
      const inputPerMTok = Number(r.input);
      const outputPerMTok = Number(r.output);
      if (r.input.trim() === "" || !Number.isFinite(inputPerMTok))
        return setError(`Row ${i + 1}: the input price of ${model} is not a number.`);
      if (r.output.trim() === "" || !Number.isFinite(outputPerMTok))
        return setError(`Row ${i + 1}: the output price of ${model} is not a number.`);
      prices[model] = { inputPerMTok, outputPerMTok };
    }
    setBusy(true);
    const r = await setPricesAction(slug, { prices });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setRows(toRows(r.data.overrides));
    toast.show("Prices saved.");
    router.refresh();
  }

  return (
    <form onSubmit={(e) => void save(e)} className="flex flex-col gap-3" aria-label="Model prices">
      {rows.length ? (
        <Table caption="Project prices per model" stack>
          <thead>
            <tr>
              <Th>Model</Th>
              {priceColumns.map(([side, Side]) => (
                <Th key={side}>{Side}, USD / 1M tokens</Th>
              ))}
              <Th>
                <span className="sr-only">Remove</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key} data-testid="price-row">
                <Td label="Model">
                  <input
                    aria-label={`Model, row ${i + 1}`}
                    className="w-full rounded-md border border-slate-300 px-2 py-1 font-mono text-xs"
                    value={r.model}
                    disabled={!!blocked}
                    onChange={(e) => update(r.key, { model: e.target.value })}
                  />
                </Td>
                {priceColumns.map(([side, Side]) => (
                  <Td key={side} label={`${Side}, USD / 1M tokens`}>
                    <input
                      aria-label={`${Side} price, row ${i + 1}`}
                      inputMode="decimal"
                      className="w-28 rounded-md border border-slate-300 px-2 py-1 text-sm"
                      value={r[side]}
                      disabled={!!blocked}
                      onChange={(e) => update(r.key, { [side]: e.target.value })}
                    />
                  </Td>
                ))}
                <Td label="Remove">
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    disabled={!!blocked}
                    onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  >
                    Remove
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">
          No project prices: costs use the default table below. Add a price for a model it does not know (a local model
          at 0, a fine-tune, a negotiated rate).
        </p>
      )}
      {blocked ? (
        <p className="text-sm text-slate-600">{blocked}</p>
      ) : (
        <div className="flex gap-2">
          <Button
            type="button"
            variant="secondary"
            onClick={() => setRows((rs) => [...rs, { key: ++seq, model: "", input: "0", output: "0" }])}
          >
            Add a model
          </Button>
          <Button type="submit" disabled={busy}>
            Save prices
          </Button>
        </div>
      )}
      <AlertLine message={error} />
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">Default prices (list prices as of {asOf})</summary>
        <ul className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 font-mono text-xs text-slate-700 sm:grid-cols-2 lg:grid-cols-3">
          {Object.entries(defaults).map(([m, p]) => (
            <li key={m}>
              {m}: ${p.inputPerMTok} / ${p.outputPerMTok}
            </li>
          ))}
        </ul>
      </details>
    </form>
  );
}
