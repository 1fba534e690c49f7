// Which versions a person or a job rolled back, read from an environment's deployment log: a version
// that was ever rolled back there (manually or automatically) is not known-good, whatever its scores
// said later — someone judged it bad once. Pure.

/** Versions that a rollback ever replaced in the log (oldest row first). */
export function endedByRollback(history: readonly { version: number; action: string }[]): Set<number> {
  const rolledBack = new Set<number>();
  for (let i = 1; i < history.length; i++) {
    const before = history[i - 1]!;
    const row = history[i]!;
    if (row.version !== before.version && (row.action === "rollback" || row.action === "auto_rollback"))
      rolledBack.add(before.version);
  }
  return rolledBack;
}

/**
 * Versions whose latest time out of service was a rollback (not since put back by a person and replaced by a
 * release): never a baseline, since comparing with what was just judged bad says nothing about the live one.
 */
export function lastEndedByRollback(history: readonly { version: number; action: string }[]): Set<number> {
  const ended = new Map<number, boolean>();
  for (let i = 1; i < history.length; i++) {
    const before = history[i - 1]!;
    const row = history[i]!;
    if (row.version !== before.version)
      ended.set(before.version, row.action === "rollback" || row.action === "auto_rollback");
  }
  return new Set([...ended].filter(([, byRollback]) => byRollback).map(([version]) => version));
}
