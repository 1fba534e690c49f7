// Reads that tolerate lag go to a streaming replica when one is configured (DATABASE_READ_URL). How far
// behind it is decides what the page says, never what is written: writes, the release path and the decisions
// jobs take read the primary.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "./client";

/** Where a lag-tolerant read went: the primary (lag null) or a replica this many seconds behind. */
export type ReadSource = { db: Db; replicaLagSeconds: number | null };

/**
 * Seconds of the primary's committed work that the replica has received but not yet replayed: 0 when replay has
 * caught up with what was received (an idle primary is not "behind"), else the time since the last transaction
 * it replayed. Throws when `replica` is not a standby (`pg_is_in_recovery()` false): a read URL that names the
 * primary is a configuration mistake worth saying.
 */
export async function replicaLagSeconds(replica: Db): Promise<number> {
  const [row] = await queryRows<{ standby: boolean; lag: number | null }>(
    replica,
    sql`select pg_is_in_recovery() as standby,
      case when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
           else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag`,
  );
  if (!row?.standby) throw new Error("DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false)");
  return Math.max(0, Number(row.lag ?? 0));
}

/**
 * The replica with its lag, checked at most once a second; the primary when there is no replica or the replica
 * cannot be read (`onError` is told why). After a failed check the replica is left alone for 30 seconds, so that
 * an unreachable one costs one connection timeout per half minute, not one per read.
 */
export function replicaReader(
  primary: Db,
  replica: Db | null,
  onError: (e: unknown) => void,
  clock: () => number = () => Date.now(),
): () => Promise<ReadSource> {
  let checked: { at: number; lag: Promise<number | null> } | undefined;
  return async () => {
    if (!replica) return { db: primary, replicaLagSeconds: null };
    if (!checked || clock() - checked.at >= 1000) {
      const check: { at: number; lag: Promise<number | null> } = { at: clock(), lag: Promise.resolve(null) };
      check.lag = replicaLagSeconds(replica).catch((e) => {
        onError(e);
        check.at = clock() + 29_000;
        return null;
      });
      checked = check;
    }
    const lag = await checked.lag;
    return lag === null ? { db: primary, replicaLagSeconds: null } : { db: replica, replicaLagSeconds: lag };
  };
}
