// What a change to a dataset's items does to the evaluation gates using it, in sentences for the
// confirmation dialogs (the page computes GateImpact from lib/release/gates/gate-status).

export type GateImpact = {
  environment: string;
  /** The dataset version the gate is pinned to, or null: it checks the dataset's current items. */
  pinned: number | null;
  /** The versions whose gate run counts now ("faq v2"). */
  counting: string[];
};

const list = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

/** What removing items does to each gate: pinned gates keep their items, the others need new runs. */
export function removalEffects(gates: GateImpact[]): string[] {
  if (!gates.length) return ["No environment's evaluation gate uses this dataset."];
  return gates.map((g) =>
    g.pinned !== null
      ? `${g.environment}'s evaluation gate is pinned to version ${g.pinned} of this dataset: it is not affected.`
      : g.counting.length
        ? `${g.environment}'s evaluation gate uses this dataset's current items: the runs of ${list(g.counting)} will stop counting, and ${g.counting.length === 1 ? "it" : "they"} will need a new run before ${g.environment} takes ${g.counting.length === 1 ? "it" : "them"} — unless you undo the removal.`
        : `${g.environment}'s evaluation gate uses this dataset's current items: every version will need a run on the new version before ${g.environment} takes it.`,
  );
}

/** What restoring an earlier version does to each gate. */
export function restoreEffects(gates: GateImpact[], version: number): string[] {
  if (!gates.length) return ["No environment's evaluation gate uses this dataset."];
  return gates.map((g) =>
    g.pinned !== null
      ? `${g.environment}'s evaluation gate is pinned to version ${g.pinned} of this dataset: it is not affected.`
      : `${g.environment}'s evaluation gate will check these items: runs made on version ${version}'s items count again, and runs made only on the current items stop counting.`,
  );
}
