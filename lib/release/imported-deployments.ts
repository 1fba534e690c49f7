// Deployments replayed from a project snapshot (lib/snapshots). They are rows of another instance's
// log, appended here with their original instants, actions and actors, so that what each environment
// serves, what it served at any instant, version statuses and rollback targets all come out the same.
// Promotion rules are not checked again: they were checked where the deployments happened. The caller
// holds the transaction and the prompt's row lock, records the audit entry and publishes the change.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { deployments } from "../../db/schema";

export interface ImportedDeployment {
  promptId: string;
  environmentId: string;
  version: number;
  action: "promote" | "rollback" | "auto_rollback" | "auto_promote";
  actor: string;
  reason: string;
  /** UTC, with microseconds: 2026-11-22T10:00:00.123456Z. */
  at: string;
}

export async function appendImportedDeployments(tx: Db, rows: ImportedDeployment[]): Promise<void> {
  // One at a time, in order: the log's order is its id order, and ids must follow the source's order.
  for (const d of rows) {
    await tx.insert(deployments).values({
      promptId: d.promptId,
      environmentId: d.environmentId,
      version: d.version,
      action: d.action,
      actorId: null,
      actorLabel: d.actor,
      reason: d.reason,
      createdAt: sql`${d.at}::timestamptz`,
    });
  }
}
