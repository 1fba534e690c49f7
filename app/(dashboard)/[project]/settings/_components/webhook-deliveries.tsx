"use client";

import { useEffect, useState } from "react";
import type { DeliverySummary } from "@/lib/webhooks/webhooks";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { listDeliveriesAction, redeliverAction } from "../_actions";

const tone: Record<DeliverySummary["status"], BadgeTone> = {
  delivered: "green",
  pending: "gray",
  retrying: "amber",
  failed: "red",
};

/** The newest deliveries of one webhook, with what the receiver answered and a redeliver button. */
export function WebhookDeliveries({ slug, webhookId }: { slug: string; webhookId: string }) {
  const toast = useToast();
  const [rows, setRows] = useState<DeliverySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const load = () => setVersion((v) => v + 1);

  useEffect(() => {
    let live = true;
    listDeliveriesAction(slug, { webhookId })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setRows(r.data.data);
          setError(null);
        } else setError(r.message);
      })
      .catch(() => live && setError("Could not load the deliveries."));
    return () => {
      live = false;
    };
  }, [slug, webhookId, version]);

  async function again(d: DeliverySummary) {
    const r = await redeliverAction(slug, { webhookId, deliveryId: d.id });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Redelivering ${d.eventId}.`);
    load();
  }

  if (error)
    return (
      <p role="alert" className="mt-3 text-sm text-red-800">
        {error}
      </p>
    );
  if (!rows) return <p className="mt-3 text-sm text-slate-600">Loading deliveries…</p>;
  return (
    <div className="mt-3 flex flex-col gap-2">
      <div className="flex items-center justify-between">
        <p className="text-xs text-slate-600">Failed attempts are retried with growing delays for 24 hours.</p>
        <Button size="sm" variant="ghost" onClick={load}>
          Refresh
        </Button>
      </div>
      {rows.length ? (
        <Table caption="Deliveries" stack>
          <TableHead columns={["Event", "Status", "Attempts", "Last answer", "Created"]} actions />
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-testid="delivery">
                <Td label="Event">
                  <span className="font-mono text-xs">{d.type}</span>
                  <br />
                  <span className="font-mono text-xs text-slate-500">
                    {d.eventId}
                    {d.redeliveryOf ? " (redelivery)" : ""}
                  </span>
                </Td>
                <Td label="Status">
                  <Badge tone={tone[d.status]}>{d.status}</Badge>
                  {d.status === "retrying" && d.nextAttemptAt ? (
                    <span className="mt-1 block text-xs text-slate-600">
                      next <Time value={d.nextAttemptAt} />
                    </span>
                  ) : null}
                </Td>
                <Td label="Attempts">{d.attempts}</Td>
                <Td label="Last answer" className="max-w-xs break-words text-xs">
                  {d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—")}
                </Td>
                <Td label="Created" className="whitespace-nowrap text-xs">
                  <Time value={d.createdAt} />
                </Td>
                <Td label="Actions" className="text-right">
                  <Button size="sm" variant="secondary" onClick={() => void again(d)}>
                    Redeliver
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">No deliveries yet: events are sent as they happen.</p>
      )}
    </div>
  );
}
