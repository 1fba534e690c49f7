// Alerts for people: created by the regression loop (audited as alert.create, which the webhook
// dispatcher turns into alert.created deliveries), listed in the inbox and on the prompt page, and
// acknowledged by a person.
import type { DomainContext } from "../../context";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { alerts, environments, projects, prompts, users, type AlertKind } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { type Actor } from "../../auth/permissions";
import { AppError } from "../../errors";
import type { AlertDetails } from "./contracts";
import { isUuid } from "../../validation";

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlert = {
  projectId: string;
  promptId: string;
  environmentId: string;
  ruleId: string | null;
  kind: AlertKind;
  severity: "info" | "warning" | "critical";
  message: string;
  details: AlertDetails;
};

/** Creates an alert unless an unacknowledged one of the same kind already covers this rule and live version (a unique index decides, so two checks at once make one alert). */
export async function raiseAlert(db: Db, a: NewAlert, version: number, actor: Actor): Promise<AlertRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alerts)
      .values({ ...a, version })
      .onConflictDoNothing({
        target: [alerts.ruleId, alerts.kind, alerts.version],
        where: sql`${alerts.acknowledgedAt} is null`,
      })
      .returning();
    if (!row) return null;
    const [names] = await tx
      .select({ prompt: prompts.name, environment: environments.name, slug: projects.slug })
      .from(prompts)
      .innerJoin(environments, eq(environments.id, a.environmentId))
      .innerJoin(projects, eq(projects.id, prompts.projectId))
      .where(eq(prompts.id, a.promptId));
    await recordAudit(tx, {
      projectId: a.projectId,
      actor,
      action: "alert.create",
      objectType: "alert",
      objectId: row.id,
      after: { ...alertDto(row, names?.slug ?? "", names?.prompt ?? null, names?.environment ?? null) },
    });
    return row;
  });
}

/** An alert as the inbox and the API show it; `link` is relative to Lectern's address. */
export const alertSchema = z.object({
  id: z.string(),
  link: z.string(),
  kind: z.string(),
  version: z.number().int().nullable(),
  severity: z.enum(["info", "warning", "critical"]),
  message: z.string(),
  prompt: z.string().nullable(),
  environment: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime({ offset: true }),
  acknowledgedAt: z.iso.datetime({ offset: true }).nullable(),
  acknowledgedBy: z.string().nullable(),
});
/** GET /api/v1/alerts */
export const alertListResponse = z.object({ data: z.array(alertSchema) });

export function alertDto(
  a: AlertRow,
  projectSlug: string,
  prompt: string | null,
  environment: string | null,
  acknowledgedBy?: string | null,
) {
  return {
    id: a.id,
    // Where to look, relative to Lectern's address: the prompt's online evaluation in that environment.
    link: prompt
      ? `/${projectSlug}/online/${prompt.split("/").map(encodeURIComponent).join("/")}${environment ? `?environment=${encodeURIComponent(environment)}` : ""}`
      : `/${projectSlug}/alerts`,
    kind: a.kind,
    version: a.version,
    severity: a.severity,
    message: a.message,
    prompt,
    environment,
    details: a.details,
    createdAt: a.createdAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: acknowledgedBy ?? null,
  };
}

// The builder's type satisfies its schema: a field renamed in one and not the other fails the typecheck.
const _alert: (a: AlertRow, slug: string, p: string | null, e: string | null) => z.input<typeof alertSchema> = alertDto;
void _alert;

export async function listAlerts(
  db: Db,
  projectId: string,
  opts: { open?: boolean; prompt?: string; promptId?: string; limit?: number } = {},
) {
  const where: SQL[] = [eq(alerts.projectId, projectId)];
  if (opts.prompt) where.push(eq(prompts.name, opts.prompt));
  if (opts.open) where.push(isNull(alerts.acknowledgedAt));
  if (opts.promptId) where.push(eq(alerts.promptId, opts.promptId));
  const rows = await db
    .select({
      alert: alerts,
      prompt: prompts.name,
      environment: environments.name,
      by: users.name,
      slug: projects.slug,
    })
    .from(alerts)
    .innerJoin(projects, eq(projects.id, alerts.projectId))
    .leftJoin(prompts, eq(prompts.id, alerts.promptId))
    .leftJoin(environments, eq(environments.id, alerts.environmentId))
    .leftJoin(users, eq(users.id, alerts.acknowledgedBy))
    .where(and(...where))
    .orderBy(desc(alerts.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
  return rows.map((r) => alertDto(r.alert, r.slug, r.prompt, r.environment, r.by));
}

/** Someone has seen it (a person, or an admin key on behalf of an on-call tool). Acknowledging twice changes nothing. */
export async function acknowledgeAlert(ctx: DomainContext, id: string) {
  const { db, actor, projectId } = ctx;
  if (!isUuid(id)) throw new AppError("not_found", `No alert with id ${id}.`);
  const [row] = await db
    .update(alerts)
    .set({ acknowledgedAt: new Date(), acknowledgedBy: actor.type === "user" ? actor.id : null })
    .where(and(eq(alerts.id, id), eq(alerts.projectId, projectId), isNull(alerts.acknowledgedAt)))
    .returning();
  if (!row) {
    const [exists] = await db
      .select({ id: alerts.id })
      .from(alerts)
      .where(and(eq(alerts.id, id), eq(alerts.projectId, projectId)));
    if (!exists) throw new AppError("not_found", `No alert with id ${id}.`);
    return;
  }
  await recordAudit(db, { projectId, actor, action: "alert.acknowledge", objectType: "alert", objectId: id });
}

/** Unacknowledged alerts of a project (the navigation's badge). */
export async function countOpenAlerts(db: Db, projectId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alerts)
    .where(and(eq(alerts.projectId, projectId), isNull(alerts.acknowledgedAt)));
  return row?.n ?? 0;
}

/** GET /api/v1/alerts: the query of listAlerts. */
export const alertsQuery = z.object({
  open: z
    .enum(["true", "false"], { error: "open must be true or false" })
    .optional()
    .describe("true: only alerts not yet acknowledged"),
  prompt: z.string().min(1).max(200).optional().describe("Only this prompt's alerts"),
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int()
    .min(1)
    .max(500, { error: "limit must be at most 500" })
    .default(100)
    .describe("How many alerts, newest first (1–500)"),
});
