"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { RowError } from "@/lib/evaluation/datasets/parse";
import { useField } from "@/components/forms/use-field";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { importItemsAction } from "../../_actions";

type Format = "csv" | "jsonl";

/** Upload a CSV or JSONL file (or paste its text); every bad row is listed and nothing is stored. */
export function UploadForm({ slug, dataset }: { slug: string; dataset: string }) {
  const router = useRouter();
  const [format, setFormat] = useState<Format>("csv");
  const text = useField();
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ message: string; errors: RowError[]; total: number } | null>(null);

  async function pick(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    if (/\.jsonl$|\.ndjson$/i.test(file.name)) setFormat("jsonl");
    else if (/\.csv$/i.test(file.name)) setFormat("csv");
    text.onValue(await file.text());
  }

  async function upload(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setDone(null);
    setFailed(null);
    const r = await importItemsAction(slug, { dataset, format, text: text.value });
    setBusy(false);
    if (!r.ok) return setFailed({ message: r.message, errors: [], total: 0 });
    if (r.data.kind === "invalid")
      return setFailed({ message: r.data.message, errors: r.data.errors, total: r.data.totalErrors });
    setDone(`Added ${r.data.added} items; the dataset is now at version ${r.data.version}.`);
    text.onValue("");
    setFileName(null);
    router.refresh();
  }

  return (
    <form onSubmit={(e) => void upload(e)} className="flex flex-col gap-3" aria-label="Upload items">
      <div className="grid grid-cols-1 gap-3 md:grid-cols-[1fr_12rem]">
        <div className="flex flex-col gap-1">
          <label htmlFor="ds-file" className="text-sm font-medium text-slate-700">
            File
          </label>
          <input
            id="ds-file"
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
            onChange={(e) => void pick(e)}
            className="text-sm"
          />
          {fileName ? <span className="text-xs text-slate-600">{fileName}</span> : null}
        </div>
        <Select label="Format" id="ds-format" value={format} onValue={(v) => setFormat(v as Format)}>
          <option value="csv">CSV</option>
          <option value="jsonl">JSONL</option>
        </Select>
      </div>
      <Textarea
        label="Or paste the rows"
        id="ds-text"
        rows={5}
        {...text}
        className="font-mono text-xs"
        placeholder={
          format === "csv"
            ? "question,expected,tags\nWhat is 2+2?,4,math;easy"
            : '{"input": {"question": "What is 2+2?"}, "expected": "4"}'
        }
      />
      <div>
        <Button type="submit" disabled={busy || !text.value.trim()}>
          {busy ? "Uploading…" : "Upload"}
        </Button>
      </div>
      {done ? (
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
      ) : null}
      {failed ? (
        <div
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900"
          data-testid="upload-errors"
        >
          <p className="font-medium">{failed.message}</p>
          {failed.errors.length ? (
            <ul className="mt-2 max-h-64 list-disc overflow-auto pl-5">
              {failed.errors.slice(0, 200).map((e, i) => (
                <li key={i}>
                  {e.row ? `Row ${e.row}` : "File"}
                  {e.field ? ` (${e.field})` : ""}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {failed.total > 200 ? <p className="mt-1">…and {failed.total - 200} more.</p> : null}
        </div>
      ) : null}
    </form>
  );
}
