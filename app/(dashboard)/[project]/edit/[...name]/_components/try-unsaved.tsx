"use client";

import { useState } from "react";
import type { PlaygroundResult } from "@/lib/evaluation/playground";
import type { Content } from "@/lib/registry/content";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { playgroundVariables, values } from "../../../prompts/[...name]/_components/playground-values";
import { PlaygroundRun } from "../../../prompts/[...name]/_components/playground-result";
import { runUnsavedPlaygroundAction } from "../_actions";
import { FormError } from "@/components/forms/form-error";

/** "Try it": runs what is in the editor now, without saving, against the model (or another one). */
export function TryUnsaved({
  slug,
  name,
  content,
  problem,
  candidate,
}: {
  slug: string;
  name: string;
  /** The editor's content as parsed, or null while it has problems. */
  content: Content | null;
  problem: string | undefined;
  /** What saving would send: the content as the editor holds it. */
  candidate: Record<string, unknown>;
}) {
  const [text, setText] = useState<Record<string, string>>({});
  const [model, setModel] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PlaygroundResult | null>(null);
  // The fields exist only while the panel is open: closed, nothing in it competes with the editor's own
  // fields (the preview's sample values have the same variable names).
  const [open, setOpen] = useState(false);
  const variables = content ? playgroundVariables(content) : [];

  async function run(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const v = values(variables, text);
    if (!v.ok) return setError(v.message);
    setBusy(true);
    const r = await runUnsavedPlaygroundAction(slug, {
      name,
      content: candidate,
      variables: v.values,
      ...(model.trim() && { model: model.trim() }),
    });
    setBusy(false);
    if (!r.ok) {
      setResult(null);
      return setError(r.message);
    }
    setResult(r.data);
  }

  return (
    <details
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid="try-unsaved"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="cursor-pointer text-sm font-semibold text-slate-800">Try it without saving</summary>
      <p className="mt-1 text-sm text-slate-600">
        Runs what is in the editor now against its model, through the project&apos;s connection. Nothing is saved; the
        run is in the activity log.
      </p>
      {!open ? null : problem ? (
        <p className="mt-3 text-sm text-amber-900">Fix this first: {problem}</p>
      ) : (
        <div className="mt-3 grid grid-cols-1 gap-4 lg:grid-cols-2">
          <form onSubmit={(e) => void run(e)} className="flex flex-col gap-3" aria-label="Try the unsaved prompt">
            {variables.map((v) => (
              <Textarea
                key={v.name}
                label={`${v.name}${v.required && v.default === undefined ? "" : " (optional)"}`}
                id={`try-${v.name}`}
                rows={v.type === "json" ? 3 : 2}
                value={text[v.name] ?? ""}
                onValue={(value) => setText((t) => ({ ...t, [v.name]: value }))}
                className={v.type === "json" ? "font-mono text-xs" : ""}
              />
            ))}
            <Input
              label="Model"
              id="try-model"
              value={model}
              onValue={setModel}
              placeholder={content?.config.model ?? "the connection's default"}
              maxLength={200}
              hint="Leave empty to use the model in the settings above."
            />
            <div>
              <Button type="submit" disabled={busy}>
                {busy ? "Running…" : "Run unsaved prompt"}
              </Button>
            </div>
            <FormError message={error} className="text-sm text-red-800" />
          </form>
          <div aria-live="polite" className="min-w-0">
            {result ? <PlaygroundRun result={result} testId="try-unsaved" /> : null}
          </div>
        </div>
      )}
    </details>
  );
}
