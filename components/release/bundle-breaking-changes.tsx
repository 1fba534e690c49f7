"use client";

import { BreakingConfirm } from "./breaking-changes";

export type MemberBreakingView = { prompt: string; version: number; changes: { key: string; message: string }[] };

/**
 * A bundle release's changes that break the applications calling its members, member by member (as each
 * member's release plan names them), and the one confirmation its release to a protected environment needs.
 */
export function BundleBreakingChanges({
  bundle,
  members,
  confirm,
}: {
  bundle: string;
  members: MemberBreakingView[];
  confirm?: { environment: string; checked: boolean; onChange: (checked: boolean) => void; error?: string };
}) {
  if (!members.length) return null;
  const n = members.reduce((sum, m) => sum + m.changes.length, 0);
  return (
    <section
      aria-label="Changes that break applications"
      data-testid="bundle-breaking-changes"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950"
    >
      <p className="font-semibold">
        <span aria-hidden>⚠ </span>
        {n === 1 ? "One change breaks" : `${n} changes break`} applications that call{" "}
        {members.length === 1 ? "a member" : `${members.length} members`} of bundle {bundle}
      </p>
      <ul className="mt-1.5 flex flex-col gap-1.5">
        {members.map((m) => (
          <li key={m.prompt} data-member={m.prompt}>
            <span className="font-medium">
              {m.prompt} v{m.version}
            </span>
            <ul className="list-disc pl-5">
              {m.changes.map((c) => (
                <li key={c.key}>{c.message}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {confirm ? (
        <BreakingConfirm
          count={n}
          release={`bundle ${bundle} to ${confirm.environment}`}
          checked={confirm.checked}
          onChange={confirm.onChange}
          error={confirm.error}
        />
      ) : null}
    </section>
  );
}
