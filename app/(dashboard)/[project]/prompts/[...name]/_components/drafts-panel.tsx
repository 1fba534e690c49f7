"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Time } from "@/components/ui/time";
import { statusLabel } from "@/components/release/release-badges";
import { createDraftAction } from "../_actions";
import type { VersionOption } from "./types";

export type DraftView = { id: string; name: string; owner: string; baseVersion: number; updatedAt: string };

/** Open draft copies of the prompt, and a form to start one from any version (the version in view by default). */
export function DraftsPanel({
  slug,
  prompt,
  drafts,
  versions,
  blocked,
  initialFrom,
  inView,
}: {
  slug: string;
  prompt: string;
  drafts: DraftView[];
  versions: VersionOption[];
  blocked: string | null;
  initialFrom?: number;
  /** The version the page shows (?version=): a new draft starts from it unless another is chosen. */
  inView?: number;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(initialFrom !== undefined);
  const [name, setName] = useState("");
  const [from, setFrom] = useState(initialFrom ?? inView ?? versions[0]?.version ?? 1);
  // The version in view changed (the prompt card's picker, the Playground's): a closed form follows it.
  const [seen, setSeen] = useState(inView);
  if (seen !== inView) {
    setSeen(inView);
    if (!open && inView !== undefined) setFrom(inView);
  }
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await createDraftAction(slug, { prompt, name, fromVersion: from });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    router.push(`/${slug}/drafts/${r.data.id}`);
  }

  return (
    <div className="flex flex-col gap-3">
      {drafts.length ? (
        <ul className="flex flex-col divide-y divide-slate-100">
          {drafts.map((d) => (
            <li key={d.id} className="py-2 text-sm">
              <Link href={`/${slug}/drafts/${d.id}`} className="font-medium text-brand-700 hover:underline">
                {d.name}
              </Link>
              <p className="text-xs text-slate-600">
                {d.owner} · from v{d.baseVersion} · edited <Time value={d.updatedAt} />
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">
          No open drafts. A draft copy lets you try changes freely and merge them back as a new version later.
        </p>
      )}
      <div>
        <GatedButton size="sm" variant="secondary" blockedReason={blocked} onClick={() => setOpen(true)}>
          New draft copy…
        </GatedButton>
      </div>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="New draft copy"
        description="Copy a version into a draft that only you edit; merge it back when it is ready."
      >
        <form onSubmit={(e) => void create(e)} className="flex flex-col gap-3">
          <Input
            label="Draft name"
            id="draft-name"
            value={name}
            onValue={setName}
            required
            maxLength={100}
            placeholder="e.g. shorter-greeting"
            error={error?.field === "name" ? error.message : undefined}
          />
          <Select
            label="Start from version"
            id="draft-from"
            value={from}
            onValue={(v) => setFrom(Number(v))}
            options={versions.map((v) => ({
              value: String(v.version),
              label: `v${v.version} · ${statusLabel(v.status, v.liveIn)} — ${v.commitMessage.slice(0, 50) || "no message"}`,
            }))}
          />
          {error && error.field !== "name" ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy || !name.trim()}>
              {busy ? "Creating…" : "Create draft"}
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
