import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { EnvBadge } from "@/components/release/release-badges";
import { LiveAtPicker } from "./live-at-picker";

/** Which version each environment served at a chosen moment. */
export function LiveAtCard({
  at,
  query,
  rows,
}: {
  at?: string;
  query: Record<string, string>;
  rows: { environment: string; live: { version: number; createdAt: Date } | null }[] | null;
}) {
  return (
    <Card
      title="What was live at…"
      description="Pick a moment to see which version each environment served."
      id="live-at"
    >
      <LiveAtPicker at={at} query={query} />
      {at && rows ? (
        <ul className="mt-3 flex flex-col gap-1.5 text-sm" aria-label={`Live at ${at}`} data-testid="live-at-result">
          {rows.map((r) => (
            <li key={r.environment} className="flex items-center gap-2">
              <EnvBadge environment={r.environment} version={r.live?.version ?? null} />
              <span className="text-xs text-slate-600">
                {r.live ? (
                  <>
                    since <Time value={r.live.createdAt} />
                  </>
                ) : (
                  "nothing live"
                )}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
