// What one Langfuse import reads, and how long it takes, at most (docs/security.md): the source chooses its
// numbers, and Lectern follows them this far. import-source.ts reads within them; import.ts holds the deadline.
import { AppError } from "../errors";

/**
 * What one import reads at most (docs/security.md). The source chooses its numbers — pages, versions, version
 * numbers, sizes —; Lectern follows them this far and no further.
 */
export const importLimits = {
  /** List pages of 100 prompts. */
  pages: 100,
  /** Versions of one prompt. */
  versionsPerPrompt: 1_000,
  /** Numbers one prompt's history skips (versions deleted in Langfuse), each filled with an archived copy. */
  gapsPerPrompt: 100,
  /** Versions read in one import, over every prompt. */
  versions: 20_000,
  /** Bytes of answers read in one import. */
  bytes: 200 * 2 ** 20,
  /** How long one import may take, reading and writing. */
  deadlineMs: 5 * 60_000,
};

/** Why an import's signal ended it: its deadline, or the person or program that asked went away. */
export function stopped(signal: AbortSignal): AppError {
  const timeout = (signal.reason as Error | undefined)?.name === "TimeoutError";
  return new AppError(
    "unprocessable",
    timeout
      ? `The import stopped at its deadline (${importLimits.deadlineMs / 60_000} minutes); prompts imported before it stay. Import one folder at a time (folder).`
      : "The import stopped: the request that asked for it went away. Prompts imported before that stay.",
    { field: "folder" },
  );
}

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
