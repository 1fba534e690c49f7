// A bundle release's changes that break the environment's callers, member by member, read from each member's
// plan (its breaking step; ../plan/plan.ts holds the rule). Pure: the review dialog and the bundle's release form both
// list them and send the keys of one confirmation.
import type { ReleasePlan } from "../plan/plan";

/** One member's changes that break the environment's callers and still need a person's confirmation. */
export type MemberBreaking = { prompt: string; version: number; changes: { key: string; message: string }[] };

/** Each member whose plan has an unmet breaking step, with its changes, in the members' order. */
export function breakingByMember(plans: { prompt: string; plan: ReleasePlan | null }[]): MemberBreaking[] {
  const out: MemberBreaking[] = [];
  for (const { prompt, plan } of plans) {
    const step = plan?.steps.find((s) => s.id === "breaking" && !s.met);
    if (plan && step?.breaking?.length) out.push({ prompt, version: plan.version, changes: step.breaking });
  }
  return out;
}

/** The keys a confirmation of every member's breaking changes names (what the dialog sends when ticked). */
export const breakingKeys = (members: MemberBreaking[]): string[] => [
  ...new Set(members.flatMap((m) => m.changes.map((c) => c.key))),
];
