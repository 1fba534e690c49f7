"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { AlertLine } from "@/components/ui/alert-line";
import { errorAt, FormAlert, type FormError } from "@/components/ui/password-fields";
import { createBundleAction } from "../_actions";

/** Names a bundle and picks its prompts (checkboxes, filtered by a search), then creates it. */
export function NewBundleForm({ slug, prompts, blocked }: { slug: string; prompts: string[]; blocked: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState("");
  const [filter, setFilter] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);
  const shown = prompts.filter((p) => p.includes(filter.trim()));

  async function create() {
    setBusy(true);
    setError(null);
    const r = await createBundleAction(slug, { name, prompts: chosen });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    toast.show(`Bundle ${r.data.bundle.name} created.`);
    router.push(`/${slug}/bundles/${r.data.bundle.name}`);
  }

  return (
    <section
      aria-labelledby="new-bundle"
      className="flex max-w-2xl flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="new-bundle" className="text-lg font-semibold">
        New bundle
      </h2>
      <Input
        label="Bundle name"
        name="bundle-name"
        value={name}
        onValue={setName}
        hint="Lowercase letters, digits, '.', '_', '-' and '/', e.g. support-agent."
        error={errorAt(error, "name")}
      />
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium text-slate-700">Prompts in it ({chosen.length} chosen)</legend>
        <Input label="Filter prompts" name="bundle-filter" value={filter} onValue={setFilter} />
        <ul className="flex max-h-56 flex-col gap-1 overflow-y-auto rounded border border-slate-200 p-2 text-sm">
          {shown.map((p) => (
            <li key={p}>
              <label className="flex items-center gap-2">
                <input
                  type="checkbox"
                  className="size-4"
                  checked={chosen.includes(p)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))}
                />
                {p}
              </label>
            </li>
          ))}
          {shown.length === 0 ? <li className="text-slate-500">No prompt matches.</li> : null}
        </ul>
        <AlertLine message={errorAt(error, "prompts")} />
      </fieldset>
      <FormAlert error={error} fields={["name", "prompts"]} />
      <div>
        <GatedButton onClick={() => void create()} disabled={busy} blockedReason={blocked}>
          {busy ? "Creating…" : "Create bundle"}
        </GatedButton>
      </div>
    </section>
  );
}
