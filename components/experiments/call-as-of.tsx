import { callAge } from "./experiment-format";

/** Why a list's call may differ from the experiment's page: it is the same computation, read earlier. */
export const storedCallNote =
  "Lists show each experiment's call as last computed: every 5 minutes by default, and whenever the " +
  "experiment's page is opened. The experiment's page computes it live from the data as it is now; if the two " +
  "differ, the list's is only older.";

/** "as of 3 min ago", explained on hover; or, before the first computation, that it is coming. */
export function CallAsOf({ computedAt, ageSeconds }: { computedAt: string | null; ageSeconds: number | null }) {
  if (computedAt === null || ageSeconds === null)
    return (
      <span className="text-slate-600" title={storedCallNote}>
        Not computed yet: shown here within minutes, and now on the experiment&apos;s page.
      </span>
    );
  return (
    <span className="text-slate-500" title={`${storedCallNote} This one: ${computedAt}.`}>
      as of {callAge(ageSeconds)}
    </span>
  );
}
