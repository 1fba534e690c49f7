"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ConnectionSummary } from "@/lib/llm/connections";
import { providerLabels } from "@/lib/llm/provider-labels";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { AlertLine } from "@/components/ui/alert-line";
import { errorAt, type FormError } from "@/components/ui/password-fields";
import { createConnectionAction } from "../_actions";

type Provider = ConnectionSummary["provider"];

const blank = {
  name: "",
  provider: "openai-compatible" as Provider,
  baseUrl: "",
  apiKey: "",
  apiKeyHeader: "authorization" as const,
  defaultModel: "",
  isDefault: false,
  concurrency: "4",
  timeoutS: "60",
  maxRetries: "3",
};

/** The number fields: how many calls at once, how long one may take, how often it is retried. */
const limits = [
  { key: "concurrency", label: "Calls at once", id: "conn-concurrency", min: 1, max: 256, field: "concurrency" },
  { key: "timeoutS", label: "Timeout (seconds)", id: "conn-timeout", min: 1, max: 3600, field: "timeoutMs" },
  { key: "maxRetries", label: "Retries", id: "conn-retries", min: 0, max: 10, field: "maxRetries" },
] as const;

/** Adds a model connection; its key is stored encrypted, and from then on only its mask is shown. */
export function AddConnection({ slug }: { slug: string }) {
  const router = useRouter();
  const [form, setForm] = useState(blank);
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<ConnectionSummary | null>(null);
  const set = <K extends keyof typeof blank>(k: K, v: (typeof blank)[K]) => setForm((f) => ({ ...f, [k]: v }));
  const scripted = form.provider === "scripted";

  async function add(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await createConnectionAction(slug, {
      name: form.name,
      provider: form.provider,
      // The scripted model calls no endpoint and needs no key.
      baseUrl: scripted ? undefined : form.baseUrl.trim() || undefined,
      apiKey: scripted ? undefined : form.apiKey || undefined,
      apiKeyHeader: form.apiKeyHeader,
      defaultModel: form.defaultModel.trim() || undefined,
      isDefault: form.isDefault,
      concurrency: Number(form.concurrency),
      timeoutMs: Math.round(Number(form.timeoutS) * 1000),
      maxRetries: Number(form.maxRetries),
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    setAdded(r.data);
    setForm(blank);
    router.refresh();
  }

  return (
    <>
      {added ? (
        <p
          role="status"
          className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900"
          data-testid="connection-added"
        >
          Added {added.name}.{" "}
          {added.apiKeyHint
            ? `Its key is stored encrypted and shown from now on only as ${added.apiKeyHint}.`
            : "It has no key."}
        </p>
      ) : null}
      <form
        onSubmit={(e) => void add(e)}
        className="flex flex-col gap-3 rounded-md border border-slate-200 p-4"
        aria-label="Add a model connection"
      >
        <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
          <Input
            label="Name"
            id="conn-name"
            value={form.name}
            onValue={(v) => set("name", v)}
            required
            maxLength={100}
            error={errorAt(error, "name")}
          />
          <Select
            label="Provider"
            id="conn-provider"
            value={form.provider}
            onValue={(v) => set("provider", v as Provider)}
            error={errorAt(error, "provider")}
            options={(Object.keys(providerLabels) as Provider[]).map((p) => ({ value: p, label: providerLabels[p] }))}
          />
          {scripted ? (
            <p className="text-sm text-slate-600 md:col-span-2" data-testid="scripted-note">
              Answers deterministically from each prompt, in Lectern itself: no network, no key, no cost. For demos and
              trying things out; its answers are not a real model&apos;s.
            </p>
          ) : null}
          {scripted ? null : (
            <>
              <Input
                label={form.provider === "openai-compatible" ? "Base URL" : "Base URL (optional)"}
                id="conn-base-url"
                type="url"
                value={form.baseUrl}
                onValue={(v) => set("baseUrl", v)}
                required={form.provider === "openai-compatible"}
                placeholder="http://localhost:11434/v1"
                error={errorAt(error, "baseUrl")}
              />
              <Input
                label="API key (optional)"
                id="conn-api-key"
                type="password"
                autoComplete="off"
                value={form.apiKey}
                onValue={(v) => set("apiKey", v)}
                hint="Stored encrypted; never shown again."
                error={errorAt(error, "apiKey")}
              />
            </>
          )}
          {form.provider === "openai-compatible" ? (
            <Select
              label="Key header"
              id="conn-key-header"
              value={form.apiKeyHeader}
              onValue={(v) => set("apiKeyHeader", v as typeof blank.apiKeyHeader)}
            >
              <option value="authorization">Authorization: Bearer</option>
              <option value="api-key">api-key (Azure)</option>
              <option value="x-api-key">x-api-key</option>
            </Select>
          ) : null}
          <Input
            label="Default model (optional)"
            id="conn-model"
            value={form.defaultModel}
            onValue={(v) => set("defaultModel", v)}
            maxLength={200}
            hint="For versions whose config names no model, and for Test."
            error={errorAt(error, "defaultModel")}
          />
        </div>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {limits.map(({ key, field, ...l }) => (
            <Input
              key={key}
              {...l}
              type="number"
              value={form[key]}
              onValue={(v) => set(key, v)}
              error={errorAt(error, field)}
            />
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={form.isDefault} onChange={(e) => set("isDefault", e.target.checked)} />
          The project&apos;s default connection
        </label>
        <div>
          <Button type="submit" disabled={busy || !form.name.trim()}>
            Add connection
          </Button>
        </div>
        <AlertLine message={error?.field ? undefined : error?.message} />
      </form>
    </>
  );
}
