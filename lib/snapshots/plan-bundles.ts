// What importing a snapshot does to bundles, as a pure function: a bundle the target lacks is created, one it
// has (by name) takes the snapshot's description and members (settings, like a prompt's details), one only
// the target has is kept. A member must be a prompt of the snapshot or of the target; every member that is
// neither is listed, and the import refuses them before writing anything.
import { deepEqual } from "../registry/json";
import type { ProjectSnapshot, SnapshotBundle } from "./format";

export const bundleFields = ["description", "prompts"] as const;

export interface BundleUpdate {
  name: string;
  fields: (typeof bundleFields)[number][];
  before: SnapshotBundle;
  after: SnapshotBundle;
}

/** A member the snapshot's bundle names that neither the snapshot nor the target has. */
export interface MissingMember {
  bundle: string;
  prompt: string;
  field: string;
}

export interface BundlePlan {
  create: SnapshotBundle[];
  update: BundleUpdate[];
  missing: MissingMember[];
}

export function planBundles(
  target: SnapshotBundle[],
  targetPrompts: Iterable<string>,
  snapshot: Pick<ProjectSnapshot, "bundles" | "prompts">,
): BundlePlan {
  const prompts = new Set([...targetPrompts, ...snapshot.prompts.map((p) => p.name)]);
  const byName = new Map(target.map((b) => [b.name, b]));
  const plan: BundlePlan = { create: [], update: [], missing: [] };
  snapshot.bundles.forEach((b, i) => {
    b.prompts.forEach((prompt, j) => {
      if (!prompts.has(prompt)) plan.missing.push({ bundle: b.name, prompt, field: `bundles[${i}].prompts[${j}]` });
    });
    const t = byName.get(b.name);
    if (!t) {
      plan.create.push(b);
      return;
    }
    const fields = bundleFields.filter((f) => !deepEqual(t[f], b[f]));
    if (fields.length) plan.update.push({ name: b.name, fields, before: t, after: b });
  });
  return plan;
}
