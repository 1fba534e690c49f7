"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ImportReport } from "@/lib/langfuse/import";
import { encodePromptName } from "@/lib/registry/name-rules";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import { importLangfuseAction } from "../_actions";

const outcomeTone = { created: "green", updated: "blue", unchanged: "gray", skipped: "red" } as const;

/** Settings → Import from Langfuse: preview (a dry run) first, then import; the report says what happened. */
export function ImportPanel({ slug, blocked }: { slug: string; blocked: string | null }) {
  const router = useRouter();
  const [url, setUrl] = useState("https://cloud.langfuse.com");
  const [publicKey, setPublicKey] = useState("");
  const [secretKey, setSecretKey] = useState("");
  const [folder, setFolder] = useState("");
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  async function run(dryRun: boolean) {
    setBusy(dryRun ? "preview" : "import");
    setError(null);
    const r = await importLangfuseAction(slug, { url, publicKey, secretKey, folder: folder || undefined, dryRun });
    setBusy(null);
    if (!r.ok) return setError(r.message);
    setReport(r.data);
    if (!dryRun) router.refresh();
  }

  if (blocked) return <p className="text-sm text-slate-600">{blocked}</p>;
  const ready = Boolean(url && publicKey && secretKey) && !busy;
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
        <Input label="Langfuse URL" id="lf-url" value={url} onValue={setUrl} />
        <Input
          label="Folder (optional)"
          id="lf-folder"
          value={folder}
          onValue={setFolder}
          hint="Only prompts in this folder."
        />
        <Input
          label="Public key"
          id="lf-public-key"
          value={publicKey}
          onValue={setPublicKey}
          placeholder="pk-lf-…"
          autoComplete="off"
        />
        <Input
          label="Secret key"
          id="lf-secret-key"
          type="password"
          value={secretKey}
          onValue={setSecretKey}
          placeholder="sk-lf-…"
          autoComplete="off"
          hint="Used for this import only; not stored."
        />
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
        {error ? (
          <p role="alert" className="text-sm text-red-700 md:col-span-2">
            {error}
          </p>
        ) : null}
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
        {report.environmentsCreated.length
          ? ` Environments ${report.dryRun ? "to create" : "created"} for labels: ${report.environmentsCreated.join(", ")}.`
          : ""}
      </p>
      <Table caption="What the import does for each prompt" stack>
        <thead>
          <tr>
            <Th>Prompt</Th>
            <Th>Outcome</Th>
            <Th>Versions</Th>
            <Th>Labels</Th>
            <Th>Notes</Th>
          </tr>
        </thead>
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
              <Td label="Labels">{p.labels.map((l) => `${l.label} → v${l.version}`).join(", ") || "—"}</Td>
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
