"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ImportReport } from "@/lib/langfuse/import";
import { encodePromptName } from "@/lib/registry/name-rules";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { AlertLine } from "@/components/ui/alert-line";
import { importLangfuseAction } from "../_actions";

/** Where to read from and with which keys (the secret one is used for this import only). */
const fields = [
  { key: "url", label: "Langfuse URL", id: "lf-url" },
  { key: "folder", label: "Folder (optional)", id: "lf-folder", hint: "Only prompts in this folder." },
  { key: "publicKey", label: "Public key", id: "lf-public-key", placeholder: "pk-lf-…", autoComplete: "off" },
  {
    key: "secretKey",
    label: "Secret key",
    id: "lf-secret-key",
    type: "password",
    placeholder: "sk-lf-…",
    autoComplete: "off",
    hint: "Used for this import only; not stored.",
  },
] as const;

const outcomeTone = { created: "green", updated: "blue", unchanged: "gray", skipped: "red" } as const;

/** Settings → Import from Langfuse: preview (a dry run) first, then import; the report says what happened. */
export function ImportPanel({ slug, blocked }: { slug: string; blocked: string | null }) {
  const router = useRouter();
  const [form, setForm] = useState({ url: "https://cloud.langfuse.com", folder: "", publicKey: "", secretKey: "" });
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  async function run(dryRun: boolean) {
    setBusy(dryRun ? "preview" : "import");
    setError(null);
    const r = await importLangfuseAction(slug, { ...form, folder: form.folder || undefined, dryRun });
    setBusy(null);
    if (!r.ok) return setError(r.message);
    setReport(r.data);
    if (!dryRun) router.refresh();
  }

  if (blocked) return <p className="text-sm text-slate-600">{blocked}</p>;
  const ready = Boolean(form.url && form.publicKey && form.secretKey) && !busy;
  return (
    <div className="flex flex-col gap-4">
      <form
        className="grid grid-cols-1 gap-3 md:grid-cols-2"
        aria-label="Import from Langfuse"
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
      >
        {fields.map(({ key, ...f }) => (
          <Input key={key} {...f} value={form[key]} onValue={(v) => setForm((cur) => ({ ...cur, [key]: v }))} />
        ))}
        <div className="flex flex-wrap items-center gap-2 md:col-span-2">
          <Button type="submit" variant="secondary" disabled={!ready}>
            {busy === "preview" ? "Reading Langfuse…" : "Preview"}
          </Button>
          <Button type="button" variant="primary" disabled={!ready || !report?.dryRun} onClick={() => void run(false)}>
            {busy === "import" ? "Importing…" : "Import"}
          </Button>
          <span className="text-xs text-slate-600">
            Preview first: it writes nothing and shows what Import would do.
          </span>
        </div>
        <AlertLine message={error} className="md:col-span-2" />
      </form>
      {report ? <ReportView slug={slug} report={report} /> : null}
    </div>
  );
}

function ReportView({ slug, report }: { slug: string; report: ImportReport }) {
  const t = report.totals;
  return (
    <section aria-label="Import report" className="flex flex-col gap-3" data-testid="import-report">
      <p className="text-sm text-slate-800">
        {report.dryRun ? "Preview: " : "Imported: "}
        {t.imported} of {t.prompts} prompts {report.dryRun ? "would be imported" : "imported"} ({t.versions} versions,{" "}
        {t.labels} label moves); {t.skipped} not imported.
      </p>
      <Table caption="What the import does for each prompt" stack>
        <TableHead columns={["Prompt", "Outcome", "Versions", "Labels", "Notes"]} />
        <tbody>
          {report.prompts.map((p) => (
            <tr key={p.name}>
              <Td label="Prompt">
                {report.dryRun || p.outcome === "skipped" ? (
                  p.name
                ) : (
                  <a className="text-brand-700 hover:underline" href={`/${slug}/prompts/${encodePromptName(p.name)}`}>
                    {p.name}
                  </a>
                )}
              </Td>
              <Td label="Outcome">
                <Badge tone={outcomeTone[p.outcome]}>{p.outcome}</Badge>
              </Td>
              <Td label="Versions">
                {p.versions.join(", ") || "—"}
                {p.filled.length ? ` (${p.filled.join(", ")} deleted in Langfuse: kept archived)` : ""}
              </Td>
              <Td label="Labels">
                {p.labels
                  .map((l) => `${l.label}${l.kind === "version" ? " (version label)" : ""} → v${l.version}`)
                  .join(", ") || "—"}
              </Td>
              <Td label="Notes" className="text-xs text-slate-700">
                {[p.error, ...p.unmapped].filter(Boolean).join(" ")}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
