"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ConnectionSummary } from "@/lib/llm/connections";
import type { ConnectionTest } from "@/lib/llm/connection-test";
import { providerLabels } from "@/lib/llm/provider-labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useConfirmedMove } from "@/components/forms/use-confirmed-move";
import { useToast } from "@/components/ui/toast";
import { deleteConnectionAction, testConnectionAction, updateConnectionAction } from "../_actions";

/** One model connection: what it points at (its key only as a mask), and test, make default, remove. */
export function ConnectionItem({ slug, connection: c }: { slug: string; connection: ConnectionSummary }) {
  const router = useRouter();
  const toast = useToast();
  const { move, dialog } = useConfirmedMove();
  const [t, setTest] = useState<ConnectionTest | { pending: true } | { failed: string } | undefined>(undefined);

  async function test() {
    setTest({ pending: true });
    const r = await testConnectionAction(slug, { id: c.id });
    setTest(r.ok ? r.data : { failed: r.message });
  }

  async function makeDefault(c: ConnectionSummary) {
    const r = await updateConnectionAction(slug, { id: c.id, isDefault: !c.isDefault });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(r.data.isDefault ? `${c.name} is now the default connection.` : `${c.name} is no longer the default.`);
    router.refresh();
  }

  const remove = (c: ConnectionSummary) =>
    move(
      {
        title: `Remove the connection ${c.name}?`,
        body: "Scorers and runs that name it will fail until you add it again.",
        confirmLabel: "Remove connection",
      },
      () => deleteConnectionAction(slug, { id: c.id }),
      "Connection removed.",
    );

  return (
    <li className="rounded-md border border-slate-200 p-3" data-testid="connection">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
            {c.name}
            <Badge tone={c.provider === "scripted" ? "amber" : "blue"}>
              {c.provider === "scripted" ? providerLabels.scripted : c.provider}
            </Badge>
            {c.isDefault ? <Badge tone="green">default</Badge> : null}
          </p>
          {c.provider === "scripted" ? (
            <p className="mt-1 text-xs text-slate-600" data-testid="scripted-connection">
              Answers deterministically from each prompt, in Lectern itself: it calls no endpoint, needs no key and
              costs nothing. Add a real connection and make it the default to use a model.
            </p>
          ) : (
            <p className="mt-1 break-all font-mono text-xs text-slate-600">{c.baseUrl ?? "provider's own endpoint"}</p>
          )}
          <p className="mt-1 text-xs text-slate-600">
            Key{" "}
            <span className="font-mono" data-testid="key-hint">
              {c.apiKeyHint ?? "none"}
            </span>{" "}
            · model {c.defaultModel ?? "from each version"} · {c.concurrency} at once · {c.timeoutMs / 1000} s timeout ·{" "}
            {c.maxRetries} retries
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="secondary"
            onClick={() => void test()}
            disabled={t !== undefined && "pending" in t}
          >
            Test
          </Button>
          <Button size="sm" variant="secondary" onClick={() => void makeDefault(c)}>
            {c.isDefault ? "Unset default" : "Make default"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => void remove(c)}>
            Remove
          </Button>
        </div>
      </div>
      {t ? (
        <p
          role="status"
          className={`mt-2 text-sm ${"ok" in t && t.ok ? "text-green-800" : "pending" in t ? "text-slate-600" : "text-red-800"}`}
          data-testid="connection-test"
        >
          {"pending" in t
            ? "Testing…"
            : "failed" in t
              ? t.failed
              : t.ok
                ? `Works: ${t.model} answered “${t.reply}” in ${t.latencyMs} ms.`
                : `Failed (${t.error?.kind}${t.error?.status ? ` ${t.error.status}` : ""}): ${t.error?.message}`}
        </p>
      ) : null}
      {dialog}
    </li>
  );
}
