"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { removeVersionLabelAction, setVersionLabelAction } from "../_actions";

const labelTitle =
  "A version label: an alias of this version that any client can fetch by (resolve's label=, the SDK, Langfuse clients). It moves without release rules and changes what no environment serves.";

/** A version's labels, and for those who may edit the prompt, setting one here (moved from where it was) or removing one. */
export function VersionLabels({
  slug,
  prompt,
  version,
  labels,
  editBlocked,
}: {
  slug: string;
  prompt: string;
  version: number;
  labels: string[];
  editBlocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [label, setLabel] = useState("");
  const [error, setError] = useState<string>();
  async function set() {
    const r = await setVersionLabelAction(slug, { name: prompt, label: label.trim(), version });
    if (!r.ok) return setError(r.message);
    toast.show(
      r.data.previousVersion === null || r.data.status === "unchanged"
        ? `Label ${r.data.label} is on v${version}.`
        : `Label ${r.data.label} moved from v${r.data.previousVersion} to v${version}.`,
    );
    setAdding(false);
    setLabel("");
    setError(undefined);
    router.refresh();
  }
  async function remove(l: string) {
    const r = await removeVersionLabelAction(slug, { name: prompt, label: l });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Label ${l} removed.`);
    router.refresh();
  }
  return (
    <>
      {labels.map((l) => (
        <span key={l} className="inline-flex items-center gap-0.5" data-testid={`version-label-${l}`}>
          <Badge tone="violet" title={labelTitle}>
            {l}
          </Badge>
          {editBlocked ? null : (
            <button
              type="button"
              className="rounded px-1 text-xs text-slate-500 hover:text-red-700"
              aria-label={`Remove version label ${l}`}
              onClick={() => void remove(l)}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {editBlocked ? null : adding ? (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void set();
          }}
        >
          <Input
            id={`${id}-label`}
            label={<span className="sr-only">Version label for v{version}</span>}
            value={label}
            onValue={setLabel}
            placeholder="v1.2"
            maxLength={36}
            error={error}
            className="w-28 py-1"
          />
          <Button size="sm" type="submit" disabled={!label.trim()}>
            Set label
          </Button>
          <Button size="sm" variant="ghost" type="button" onClick={() => setAdding(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Add a version label to v${version}`}
          onClick={() => setAdding(true)}
        >
          + label
        </Button>
      )}
    </>
  );
}
