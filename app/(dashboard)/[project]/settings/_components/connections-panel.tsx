"use client";

import type { ConnectionSummary } from "@/lib/llm/connections";
import { AddConnection } from "./connection-form";
import { ConnectionItem } from "./connection-item";

/** Model connections: add (the key is stored encrypted and only its mask is ever shown), test, make default, remove. */
export function ConnectionsPanel({
  slug,
  connections,
  fallback,
}: {
  slug: string;
  connections: ConnectionSummary[];
  fallback: string | null;
}) {
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">
        {fallback ? (
          <>
            Without a default connection here, calls go to the server&apos;s{" "}
            <span className="font-mono">{fallback}</span> (LLM_BASE_URL).
          </>
        ) : (
          <>
            The server has no LLM_BASE_URL: the playground, evaluation runs and LLM judges need a connection marked as
            default here, or one they name.
          </>
        )}
      </p>
      {connections.length ? (
        <ul className="flex flex-col gap-3" aria-label="Model connections">
          {connections.map((c) => (
            <ConnectionItem key={c.id} slug={slug} connection={c} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No connections yet.</p>
      )}
      <AddConnection slug={slug} />
    </div>
  );
}
