// What one Langfuse import reads, and how long it takes, at most (docs/security.md): the source chooses its
// numbers, and Lectern follows them this far. import-source.ts reads within them; import.ts holds the deadline.
import { importLimits } from "../registry/imported";

export { importLimits, importStopped as stopped } from "../registry/imported";

/** Why a prompt's listed versions are beyond the limits, or null. */
export function listingProblem(versions: number[]): string | null {
  const n = versions.length;
  if (n > importLimits.versionsPerPrompt)
    return `Langfuse lists ${n.toLocaleString("en-US")} versions of it; an import takes at most ${importLimits.versionsPerPrompt.toLocaleString("en-US")} versions of one prompt`;
  const highest = Math.max(...versions);
  if (highest - n > importLimits.gapsPerPrompt)
    return `its version numbers go up to ${highest.toLocaleString("en-US")} for ${n} versions: the import fills at most ${importLimits.gapsPerPrompt} numbers deleted in Langfuse per prompt, and this history skips ${(highest - n).toLocaleString("en-US")}`;
  return null;
}
