"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { WebhookSummary } from "@/lib/webhooks/webhooks";
import { webhookEvents, type WebhookEventType } from "@/lib/webhooks/events";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Time } from "@/components/ui/time";
import { useConfirmedMove } from "@/components/forms/use-confirmed-move";
import { useField } from "@/components/forms/use-field";
import { AlertLine } from "@/components/ui/alert-line";
import { createWebhookAction, deleteWebhookAction } from "../_actions";
import { CopyField, ShownOnceDialog } from "./copy-button";
import { WebhookDeliveries } from "./webhook-deliveries";

/** Project webhooks: add (the signing secret is shown once), list, delete, and each one's delivery log. */
export function WebhooksPanel({ slug, webhooks }: { slug: string; webhooks: WebhookSummary[] }) {
  const router = useRouter();
  const { move, dialog } = useConfirmedMove();
  const url = useField();
  const description = useField();
  const [format, setFormat] = useState<"json" | "slack">("json");
  const [events, setEvents] = useState<WebhookEventType[]>(["prompt.deployed", "prompt.rolled_back"]);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const toggle = (e: WebhookEventType) =>
    setEvents((cur) => (cur.includes(e) ? cur.filter((x) => x !== e) : [...cur, e]));

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await createWebhookAction(slug, { url: url.value, events, description: description.value, format });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setCreated({ url: r.data.url, secret: r.data.secret });
    url.onValue("");
    description.onValue("");
    router.refresh();
  }

  const remove = (w: WebhookSummary) =>
    move(
      { title: "Delete this webhook?", body: `Nothing more is sent to ${w.url}.`, confirmLabel: "Delete webhook" },
      () => deleteWebhookAction(slug, { id: w.id }),
      "Webhook deleted.",
    );

  return (
    <div className="flex flex-col gap-4">
      {webhooks.length ? (
        <ul className="flex flex-col gap-3" aria-label="Webhooks">
          {webhooks.map((w) => (
            <WebhookItem
              key={w.id}
              slug={slug}
              w={w}
              open={open === w.id}
              onToggle={() => setOpen(open === w.id ? null : w.id)}
              onDelete={() => void remove(w)}
            />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">
          No webhooks yet. Add one to be told when versions are created, deployed or rolled back, and when reviews need
          you.
        </p>
      )}
      <form
        onSubmit={(e) => void create(e)}
        className="flex flex-col gap-3 rounded-md border border-slate-200 p-4"
        aria-label="Add a webhook"
      >
        <div className="grid grid-cols-1 gap-3 md:grid-cols-[1fr_12rem]">
          <Input
            label="Payload URL"
            id="webhook-url"
            type="url"
            {...url}
            required
            maxLength={2000}
            placeholder="https://example.com/hooks/lectern"
            hint="A public http(s) address; redirects are not followed."
          />
          <Select label="Format" id="webhook-format" value={format} onValue={(v) => setFormat(v as "json" | "slack")}>
            <option value="json">JSON event</option>
            <option value="slack">Slack message</option>
          </Select>
        </div>
        <Input label="Description (optional)" id="webhook-description" {...description} maxLength={500} />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2 md:grid-cols-3">
            {webhookEvents.map((e) => (
              <label key={e} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} />
                <span className="font-mono text-xs">{e}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <Button type="submit" disabled={busy || !url.value.trim() || events.length === 0}>
            Add webhook
          </Button>
        </div>
        <AlertLine message={error} />
      </form>
      <ShownOnceDialog
        shown={created}
        onClose={() => setCreated(null)}
        title="Webhook added"
        description="Copy the signing secret now: this is the only time Lectern shows it."
      >
        {(created) => (
          <>
            <CopyField id="new-webhook-secret" label={<>Signing secret for {created.url}</>} value={created.secret} />
            <p className="text-xs text-slate-600">
              Each delivery carries{" "}
              <code>Lectern-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of &quot;t.body&quot;&gt;</code>.
              Verify it with this secret and reject old timestamps.
            </p>
          </>
        )}
      </ShownOnceDialog>
      {dialog}
    </div>
  );
}

/** One webhook: its address, format, events and secret hint; its deliveries on demand; deletable. */
function WebhookItem({
  slug,
  w,
  open,
  onToggle,
  onDelete,
}: {
  slug: string;
  w: WebhookSummary;
  open: boolean;
  onToggle: () => void;
  onDelete: () => void;
}) {
  return (
    <li className="rounded-md border border-slate-200 p-3" data-testid="webhook">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="break-all font-mono text-sm text-slate-900">{w.url}</p>
          {w.description ? <p className="mt-0.5 text-sm text-slate-600">{w.description}</p> : null}
          <p className="mt-1 flex flex-wrap gap-1">
            {w.format === "slack" ? <Badge tone="violet">Slack format</Badge> : null}
            {w.events.map((e) => (
              <Badge key={e} tone="blue">
                {e}
              </Badge>
            ))}
          </p>
          <p className="mt-1 text-xs text-slate-600">
            Secret <span className="font-mono">{w.secretHint}</span> · added by {w.createdBy} on{" "}
            <Time value={w.createdAt} />
          </p>
        </div>
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" aria-expanded={open} onClick={onToggle}>
            {open ? "Hide deliveries" : "Deliveries"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onDelete}>
            Delete
          </Button>
        </div>
      </div>
      {open ? <WebhookDeliveries slug={slug} webhookId={w.id} /> : null}
    </li>
  );
}
