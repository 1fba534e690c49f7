// Project API keys: shown once, stored as SHA-256 hashes, scoped runtime|admin, revocable.
import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { apiKeys, environments, projects } from "../../db/schema";
import { isUuid, nameInput, parseInput } from "../validation";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { apiKeyScopes, type ApiKeyScope } from "./permissions";
import { projectContext, type DomainContext } from "../context";
import { noEvents } from "../announcements";

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export const createApiKeyInput = z
  .object({
    name: nameInput,
    scope: z.enum(apiKeyScopes, { error: `scope must be one of ${apiKeyScopes.join(", ")}` }),
    // A runtime key limited to these environments (it cannot read others, nor versions never live in them); a
    // skills key's one environment (the skills its URL lists are those that environment serves).
    environments: z
      .array(z.string().min(1).max(36), { error: "environments must be a list of environment names" })
      .min(1)
      .max(50)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "skills") {
      if (v.environments?.length !== 1)
        ctx.addIssue({
          code: "custom",
          path: ["environments"],
          message: "a skills key serves one environment's skills: environments must name exactly one",
        });
      return;
    }
    if (v.environments && v.scope !== "runtime")
      ctx.addIssue({
        code: "custom",
        path: ["environments"],
        message: "environments can only limit a runtime key (an admin key can change everything anyway)",
      });
  });

export type ApiKeySummary = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  environments: string[] | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const instant = z.iso.datetime({ offset: true });

/** A key as the API lists it: its prefix, never the key. */
export const apiKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(apiKeyScopes),
  environments: z.array(z.string()).nullable(),
  prefix: z.string(),
  createdAt: instant,
  lastUsedAt: instant.nullable(),
  revokedAt: instant.nullable(),
});
/**
 * POST /api/v1/api-keys: the key in full, shown this once; for a skills key also its URL (the key is in it),
 * the address `npx skills add` takes.
 */
export const createdApiKeyResponse = apiKeySummarySchema.extend({ key: z.string(), skillsUrl: z.string().optional() });
/** GET /api/v1/api-keys */
export const apiKeyListResponse = z.object({ data: z.array(apiKeySummarySchema) });

const summary = (r: typeof apiKeys.$inferSelect): ApiKeySummary => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  environments: r.environments ?? null,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

const _summary: (r: typeof apiKeys.$inferSelect) => z.input<typeof apiKeySummarySchema> = summary;
void _summary;

const keyPrefixes: Record<ApiKeyScope, string> = { admin: "adm", runtime: "rt", skills: "sk" };

export function generateKey(scope: ApiKeyScope): string {
  // base64url: a skills key travels inside a URL path as it is.
  return `lk_${keyPrefixes[scope]}_${randomBytes(24).toString("base64url")}`;
}

/**
 * A skills key's URL: `<base>/api/v1/skills/<key>`, under which `/.well-known/agent-skills/index.json` lists what
 * its environment serves (lib/skills). The key is the URL's only secret; it is stored hashed like any key.
 */
export const skillsUrl = (baseUrl: string, key: string): string =>
  `${baseUrl.replace(/\/+$/, "")}/api/v1/skills/${encodeURIComponent(key)}`;

/** Creates a key and returns it in full; this is the only time the key itself is available. */
export async function createApiKey(ctx: DomainContext, input: z.input<typeof createApiKeyInput>, key?: string) {
  const { db, actor, projectId } = ctx;
  const data = parseInput(createApiKeyInput, input);
  if (data.environments) {
    const known = new Set(
      (
        await db
          .select({ name: environments.name })
          .from(environments)
          .where(eq(environments.projectId, projectId))
          .orderBy(asc(environments.position), asc(environments.name))
      ).map((e) => e.name),
    );
    const unknown = data.environments.filter((e) => !known.has(e));
    if (unknown.length)
      throw new AppError(
        "invalid_input",
        `environments: no environment named ${unknown.join(", ")}. This project has: ${[...known].join(", ")}.`,
        {
          field: "environments",
          unknown,
        },
      );
  }
  const secret = key ?? generateKey(data.scope);
  const [row] = await db
    .insert(apiKeys)
    .values({
      projectId,
      name: data.name,
      scope: data.scope,
      environments: data.environments ? [...new Set(data.environments)] : null,
      keyHash: hashKey(secret),
      prefix: secret.slice(0, 10),
      createdBy: actor.type === "user" ? actor.id : null,
    })
    .returning();
  await recordAudit(db, {
    projectId,
    actor,
    action: "apikey.create",
    objectType: "api_key",
    objectId: row!.id,
    after: { name: data.name, scope: data.scope, environments: row!.environments },
  });
  return { ...summary(row!), key: secret };
}

export async function listApiKeys(ctx: DomainContext): Promise<ApiKeySummary[]> {
  const { db, projectId } = ctx;
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.projectId, projectId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(summary);
}

/** Revokes a key; what every instance cached of it is dropped through `ctx.events` (no context skips that). */
export async function revokeApiKey(ctx: DomainContext, id: string): Promise<ApiKeySummary> {
  const { db, actor, projectId, events } = ctx;
  if (!isUuid(id)) throw new AppError("not_found", `No API key with id ${id}.`);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) {
    const [existing] = await db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.projectId, projectId)));
    if (!existing) throw new AppError("not_found", `No API key with id ${id}.`);
    return summary(existing); // already revoked: revoking again changes nothing
  }
  await recordAudit(db, {
    projectId,
    actor,
    action: "apikey.revoke",
    objectType: "api_key",
    objectId: id,
    before: { revokedAt: null },
    after: { revokedAt: row.revokedAt },
  });
  await events.keysChanged?.();
  return summary(row);
}

export type KeyPrincipal = {
  keyId: string;
  name: string;
  scope: ApiKeyScope;
  projectId: string;
  projectSlug: string;
  revoked: boolean;
  environments: string[] | null;
};

/** A key limited to some environments may read only those. */
export function assertEnvironmentAllowed(
  principal: { environments: string[] | null; name: string },
  environment: string,
): void {
  if (principal.environments && !principal.environments.includes(environment))
    throw new AppError(
      "forbidden",
      `This API key may only read ${principal.environments.join(", ")}; ${environment} is not one of them.`,
      { environment, allowed: principal.environments },
    );
}

/** Looks a presented key up by its hash. Returns undefined for an unknown key. */
export async function findKey(db: Db, key: string): Promise<KeyPrincipal | undefined> {
  const [row] = await db
    .select({ key: apiKeys, slug: projects.slug })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(eq(apiKeys.keyHash, hashKey(key)));
  if (!row) return undefined;
  return {
    keyId: row.key.id,
    name: row.key.name,
    scope: row.key.scope,
    projectId: row.key.projectId,
    projectSlug: row.slug,
    revoked: row.key.revokedAt !== null,
    environments: row.key.environments ?? null,
  };
}

/** Records use, at most once a minute per key, so a hot key does not write on every request. */
export async function touchKey(db: Db, keyId: string, now = new Date()): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000))),
      ),
    );
}

/** Makes sure a given admin key exists for a project (LECTERN_BOOTSTRAP_ADMIN_KEY). */
export async function ensureBootstrapKey(db: Db, projectId: string, key: string): Promise<void> {
  const existing = await findKey(db, key);
  if (existing && existing.projectId === projectId && !existing.revoked && existing.scope === "admin") return;
  if (existing) {
    await db.update(apiKeys).set({ revokedAt: null, scope: "admin", projectId }).where(eq(apiKeys.id, existing.keyId));
    return;
  }
  await createApiKey(
    projectContext(db, { type: "system", label: "bootstrap" }, projectId, noEvents),
    { name: "bootstrap", scope: "admin" },
    key,
  );
}
