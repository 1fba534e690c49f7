// Reading connections: the admin list, the choices members see, and a reference resolved to this project's row.
import type { DomainContext } from "../../context";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { modelConnections } from "../../../db/schema";
import { AppError } from "../../errors";
import { connectionSummary, type ConnectionRow, type ConnectionSummary } from "./rows";
import { isUuid } from "../../validation";

/** Connections of a project, the default first, then by name. */
export async function listConnections(ctx: DomainContext): Promise<ConnectionSummary[]> {
  const { db, projectId } = ctx;
  const rows = await db
    .select()
    .from(modelConnections)
    .where(eq(modelConnections.projectId, projectId))
    .orderBy(sql`${modelConnections.isDefault} desc`, asc(modelConnections.name));
  return rows.map(connectionSummary);
}

export type ConnectionChoice = {
  id: string;
  name: string;
  provider: string;
  defaultModel: string | null;
  isDefault: boolean;
};

/** What members may choose from (the playground, run forms): names only, no endpoints or key masks. */
export async function connectionChoices(ctx: DomainContext): Promise<ConnectionChoice[]> {
  const { db, projectId } = ctx;
  const rows = await db
    .select({
      id: modelConnections.id,
      name: modelConnections.name,
      provider: modelConnections.provider,
      defaultModel: modelConnections.defaultModel,
      isDefault: modelConnections.isDefault,
    })
    .from(modelConnections)
    .where(eq(modelConnections.projectId, projectId))
    .orderBy(sql`${modelConnections.isDefault} desc`, asc(modelConnections.name));
  return rows;
}

/** The row of a connection in this project, by id or name; not_found otherwise (also for another project's id). */
export async function getConnection(db: Db, projectId: string, ref: string): Promise<ConnectionRow> {
  const byId = isUuid(ref);
  const [row] = await db
    .select()
    .from(modelConnections)
    .where(
      and(
        eq(modelConnections.projectId, projectId),
        byId ? eq(modelConnections.id, ref) : eq(modelConnections.name, ref),
      ),
    );
  if (!row) throw new AppError("not_found", `No model connection ${ref} in this project.`, { field: "connection" });
  return row;
}

/**
 * Refuses (unprocessable, naming the field) any reference that is not one of this project's
 * connections. A rule or run naming another project's connection id would otherwise be saved and fail
 * later, or wait for a connection of that id to appear; none (or "default") means the project's default.
 */
export async function assertProjectConnections(
  db: Db,
  projectId: string,
  refs: readonly { field: string; ref: string | null | undefined }[],
): Promise<void> {
  for (const { field, ref } of refs) {
    if (ref === undefined || ref === null || ref === "" || ref === "default") continue;
    try {
      await getConnection(db, projectId, ref);
    } catch (e) {
      if (e instanceof AppError && e.code === "not_found") throw new AppError("unprocessable", e.message, { field });
      throw e;
    }
  }
}

/** The `connection` of each scorer that names one, with its field (scorers.i.connection). */
export const scorerConnections = (scorers: readonly object[], prefix = "scorers") =>
  scorers.flatMap((s, i) =>
    "connection" in s && typeof s.connection === "string"
      ? [{ field: `${prefix}.${i}.connection`, ref: s.connection }]
      : [],
  );

/** Model-backed scorers (judges, embeddings) that name no connection: they call the project's default. */
export const defaultConnectionScorers = (scorers: readonly object[], prefix = "scorers") =>
  scorers.flatMap((s, i) =>
    "type" in s &&
    (s.type === "llm_judge" || s.type === "embedding_similarity") &&
    !("connection" in s && typeof s.connection === "string" && s.connection)
      ? [{ field: `${prefix}.${i}.connection`, ref: undefined }]
      : [],
  );
