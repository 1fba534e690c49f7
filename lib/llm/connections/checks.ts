// Checks shared by create and update: where a base URL may point, the name's uniqueness, one default.
import { isIP } from "node:net";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { modelConnections } from "../../../db/schema";
import { AppError, pgConstraint } from "../../errors";
import { assertPublic, bareHost, BlockedAddressError, namedAddress, type PrivatePolicy } from "../../net/ssrf";

export type ConnectionPolicy = {
  /** Which private addresses connections may reach (LECTERN_CONNECTIONS_ALLOW_PRIVATE). */
  allowPrivate: PrivatePolicy;
};

/** The built-in scripted model calls no endpoint: a base URL or a key would suggest it sends something somewhere. */
export function checkScripted(provider: string, given: { baseUrl?: string | null; apiKey?: string | null }) {
  if (provider !== "scripted") return;
  for (const field of ["baseUrl", "apiKey"] as const)
    if (given[field])
      throw new AppError(
        "unprocessable",
        `${field} must not be set for provider scripted: the built-in scripted model calls no endpoint and needs no key`,
        { field },
      );
}

export function checkBaseUrl(provider: string, baseUrl: string | null | undefined, policy: ConnectionPolicy) {
  if (provider === "openai-compatible" && !baseUrl)
    throw new AppError("unprocessable", "baseUrl is required for provider openai-compatible", { field: "baseUrl" });
  if (!baseUrl) return;
  // Literal addresses and names that mean an inside address by themselves (localhost., localhost.localdomain,
  // metadata.google.internal: ssrf.ts namedAddress) are refused at once; other names are checked on every
  // call, on the address connected to (lib/llm/guarded-fetch.ts), since DNS answers change.
  const url = new URL(baseUrl);
  const host = bareHost(url);
  const literal = isIP(host) ? host : (namedAddress(host) ?? null);
  if (!literal) return;
  try {
    assertPublic(host, [{ address: literal, family: isIP(literal) }], policy.allowPrivate);
  } catch (e) {
    if (!(e instanceof BlockedAddressError)) throw e;
    throw new AppError(
      "invalid_input",
      `baseUrl is refused: ${e.message}. Model connections may only reach public addresses unless the operator allows private ones (LECTERN_CONNECTIONS_ALLOW_PRIVATE).`,
      { field: "baseUrl" },
    );
  }
}

export function conflictOnName(e: unknown, name: string | undefined): never {
  const c = pgConstraint(e);
  if (c === "model_connections_project_name")
    throw new AppError("conflict", `A connection named "${name}" already exists in this project.`, { field: "name" });
  throw e;
}

export async function clearDefault(tx: Db, projectId: string, except: string) {
  await tx
    .update(modelConnections)
    .set({ isDefault: false, updatedAt: sql`now()` })
    .where(
      and(
        eq(modelConnections.projectId, projectId),
        eq(modelConnections.isDefault, true),
        ne(modelConnections.id, except),
      ),
    );
}
