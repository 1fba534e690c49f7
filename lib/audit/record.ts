// The append-only audit log: every mutation in lib/ records who did what to which object.
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from "./actions";
import type { AuditState } from "./contracts";
import { redactAudit } from "./redact";
import { countParam } from "../number-params";

export interface AuditEntry {
  projectId: string | null;
  actor: Actor;
  action: AuditAction;
  objectType: string;
  objectId?: string | null;
  before?: AuditState | null;
  after?: AuditState | null;
}

/** Appends an entry and returns its id (a global, increasing sequence: SSE event ids reuse it). */
export async function recordAudit(db: Db, e: AuditEntry): Promise<number> {
  // The type already refuses unknown actions; this catches casts and plain-JS callers before the row exists.
  if (!isAuditAction(e.action)) throw new AppError("internal", `Unknown audit action "${String(e.action)}".`);
  const [row] = await db
    .insert(auditLog)
    .values({
      projectId: e.projectId,
      actorType: e.actor.type,
      actorId: e.actor.type === "system" ? null : e.actor.id,
      actorLabel: e.actor.label,
      action: e.action,
      objectType: e.objectType,
      objectId: e.objectId ?? null,
      before: e.before === undefined || e.before === null ? null : (redactAudit(e.before) as AuditState),
      after: e.after === undefined || e.after === null ? null : (redactAudit(e.after) as AuditState),
    })
    .returning({ id: auditLog.id });
  return row!.id;
}

export interface AuditQuery {
  objectType?: string;
  objectId?: string;
  action?: AuditAction;
  actorId?: string;
  /** Return entries older than this id (keyset pagination). */
  before?: number;
  limit?: number;
}

export async function listAudit(db: Db, projectId: string, q: AuditQuery = {}) {
  const where: SQL[] = [eq(auditLog.projectId, projectId)];
  if (q.objectType) where.push(eq(auditLog.objectType, q.objectType));
  if (q.objectId) where.push(eq(auditLog.objectId, q.objectId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.before) where.push(lt(auditLog.id, q.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(Math.min(q.limit ?? 50, 500));
  // Rows written before redaction existed (see redact.ts).
  return rows.map((r) => ({ ...r, before: redactAudit(r.before), after: redactAudit(r.after) }));
}

/** GET /api/v1/audit: entries newest first (before and after redacted); `next` is the `before` of the next page. */
export const auditPageResponse = z.object({
  data: z.array(
    z.object({
      id: z.number().int(),
      at: z.iso.datetime({ offset: true }),
      actor: z.string(),
      actorType: z.enum(["user", "api_key", "system"]),
      action: z.string(),
      objectType: z.string(),
      objectId: z.string().nullable(),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  next: z.number().int().nullable(),
});

/** GET /api/v1/audit: a page of the log as the API shows it, newest first; `next` is the `before` of the next page. */
export async function listAuditLog(db: Db, projectId: string, q: AuditQuery & { limit: number }) {
  const rows = await listAudit(db, projectId, q);
  return {
    data: rows.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      actor: r.actorLabel,
      actorType: r.actorType,
      action: r.action,
      objectType: r.objectType,
      objectId: r.objectId,
      before: r.before,
      after: r.after,
    })),
    next: rows.length === q.limit ? rows.at(-1)!.id : null,
  };
}

/** GET /api/v1/audit: the query of listAuditLog. */
export const auditQuery = z.object({
  objectType: z.string().optional().describe("Only entries about this kind of object (prompt, environment, api_key…)"),
  objectId: z.string().optional().describe("Only entries about this object (its id or name)"),
  action: z
    .enum(AUDIT_ACTIONS, { error: "action must be one of the audited actions." })
    .optional()
    .describe("Only entries of this action"),
  before: countParam("before", 1, Number.MAX_SAFE_INTEGER)
    .optional()
    .describe("Entries older than this id: the previous page's `next`"),
  limit: countParam("limit", 1, 500).default(50).describe("How many entries, newest first (1–500)"),
});
