"use server";

import { z } from "zod";
import { createApiKey, createApiKeyInput, revokeApiKey, skillsUrl } from "@/lib/auth/api-keys";
import { roleInput } from "@/lib/auth/permissions";
import { addMember, addMemberInput, revokeInvitation } from "@/lib/auth/invitations";
import { createPasswordReset, mayRevealResetLink } from "@/lib/auth/passwords";
import { findRole, removeMember, setMemberRole } from "@/lib/auth/projects";
import { AppError } from "@/lib/errors";
import { mailConfigured, publicBaseUrl, sendMail } from "@/lib/server/wiring/mail";
import {
  createEnvironment,
  environmentInput,
  environmentDto,
  environmentRulesInput,
  updateEnvironment,
} from "@/lib/release/environments";
import { importFromLangfuse, importLangfuseInput } from "@/lib/langfuse/import";
import { actionFrom, projectAction } from "@/lib/server/actions/action";
import { refreshing, refreshProject as refresh } from "../_action-bodies";
import * as environments from "@/lib/server/http/endpoints/environments";
import * as platform from "@/lib/server/http/endpoints/platform";
import * as pricesEndpoints from "@/lib/server/http/endpoints/prices";
import * as langfuseImport from "@/lib/server/http/endpoints/langfuse-import";
import { queueDelivery, webhookConfig } from "@/lib/server/jobs/jobs";
import { testConnection, testConnectionInput } from "@/lib/llm/connection-test";
import {
  createConnection,
  createConnectionInput,
  deleteConnection,
  updateConnection,
  updateConnectionInput,
} from "@/lib/llm/connections";
import { replacePriceOverrides, setPricesInput } from "@/lib/llm/project-prices";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { callerResolver, connectionPolicy, outboundFetch } from "@/lib/server/wiring/models-wiring";
import {
  createWebhook,
  createWebhookInput,
  deleteWebhook,
  listWebhookDeliveries,
  listDeliveriesInput,
  redeliverWebhookDelivery,
} from "@/lib/webhooks";

// Project settings: members, API keys, environments, webhooks. Each action declares the permission it needs (an
// admin's), checked once before the input is read; the lib functions do not check it again.
// Where the API has the same operation, the input schema is its (lib); ids the API takes from the path are added.

const id = z.string().max(64);

/**
 * Adds an existing account with a role, or invites the email: the one-time link is emailed when
 * mail is configured, else returned for the admin to pass on. No password is ever set here.
 */
export const addMemberAction = projectAction("member.manage", addMemberInput, async (c, input) => {
  const r = await addMember(c.domain, { email: input.email, role: input.role });
  refresh(c);
  if (r.kind === "added") return { kind: "added" as const, email: r.email, role: r.role };
  const link = `${await publicBaseUrl()}/invite/${r.token}`;
  if (mailConfigured()) {
    await sendMail({
      to: r.email,
      subject: `You are invited to ${c.project.slug} on Lectern`,
      text: `${c.user.email} invited you to the Lectern project "${c.project.slug}" as ${r.role}.\n\nChoose your password and join: ${link}\n\nThe link works once and expires on ${r.expiresAt.toUTCString()}.`,
    });
    return { kind: "invited" as const, email: r.email, role: r.role, emailed: true, link: null };
  }
  return { kind: "invited" as const, email: r.email, role: r.role, emailed: false, link };
});

export const revokeInvitationAction = projectAction(
  "member.manage",
  z.object({ id }),
  refreshing(async (c, input) => {
    await revokeInvitation(c.domain, input.id);
    return { revoked: input.id };
  }),
);

/**
 * A password reset for a member: emailed to them when mail is configured; otherwise shown to this
 * admin only if they administer every project the member belongs to.
 */
export const passwordResetAction = projectAction("member.manage", z.object({ userId: id }), async (c, input) => {
  if (!(await findRole(c.db, c.project.id, input.userId)))
    throw new AppError("not_found", "That user is not a member of this project.");
  if (!mailConfigured() && !(await mayRevealResetLink(c.domain, input.userId)))
    throw new AppError(
      "forbidden",
      "This member also belongs to projects you do not administer, so their reset link can only be emailed to them. Configure SMTP_URL, or ask the server operator to run `npm run user:reset-password -- <email>`.",
    );
  const reset = await createPasswordReset(c.domain, input.userId);
  const link = `${await publicBaseUrl()}/reset/${reset.token}`;
  if (mailConfigured()) {
    await sendMail({
      to: reset.email,
      subject: "Reset your Lectern password",
      text: `A project admin asked for a password reset for ${reset.email}.\n\nChoose a new password: ${link}\n\nThe link works once and expires in an hour. Your other sessions end when you use it.`,
    });
    return { email: reset.email, emailed: true, link: null };
  }
  return { email: reset.email, emailed: false, link };
});

export const setMemberRoleAction = projectAction(
  "member.manage",
  z.object({ userId: id, role: roleInput }),
  refreshing(async (c, input) => {
    await setMemberRole(c.domain, input.userId, input.role);
    return { userId: input.userId, role: input.role };
  }),
);

export const removeMemberAction = projectAction(
  "member.manage",
  z.object({ userId: id }),
  refreshing(async (c, input) => {
    await removeMember(c.domain, input.userId);
    return { removed: input.userId };
  }),
);

/** Creates a key; the response is the only time the secret is available. */
export const createApiKeyAction = actionFrom(platform.createApiKey, createApiKeyInput, async (c, input) => {
  const key = await createApiKey(c.domain, input);
  refresh(c);
  return key.scope === "skills" ? { ...key, skillsUrl: skillsUrl(await publicBaseUrl(), key.key) } : key;
});

export const revokeApiKeyAction = actionFrom(
  platform.revokeApiKey,
  z.object({ id }),
  refreshing((c, input) => revokeApiKey(c.domain, input.id)),
);

export const createEnvironmentAction = actionFrom(
  environments.createEnvironment,
  environmentInput,
  refreshing(async (c, input) => environmentDto(c.db, await createEnvironment(c.domain, input))),
);

/** The environment's name is the API's path; the rules are its body. */
export const updateEnvironmentAction = actionFrom(
  environments.updateEnvironment,
  environmentRulesInput.extend({ name: z.string().max(36) }),
  async (c, { name, ...input }) => {
    const env = await updateEnvironment(c.domain, name, input);
    refresh(c);
    return environmentDto(c.db, env);
  },
);

/** Creates a webhook; the response is the only time its signing secret is available. */
export const createWebhookAction = actionFrom(
  platform.createWebhook,
  createWebhookInput,
  refreshing((c, input) => createWebhook(c.domain, input, webhookConfig())),
);

export const deleteWebhookAction = actionFrom(
  platform.deleteWebhook,
  z.object({ id }),
  refreshing((c, input) => deleteWebhook(c.domain, input.id)),
);

export const listDeliveriesAction = actionFrom(
  platform.listWebhookDeliveries,
  listDeliveriesInput.extend({ webhookId: id }),
  async (c, { webhookId, ...query }) => listWebhookDeliveries(c.domain, webhookId, query),
);

export const redeliverAction = actionFrom(
  platform.redeliverWebhookDelivery,
  z.object({ webhookId: id, deliveryId: id }),
  async (c, input) => redeliverWebhookDelivery(c.domain, input.webhookId, input.deliveryId, queueDelivery),
);

// Model connections (admin). The key travels only from the form to createConnection/updateConnection;
// nothing sends it back. Cached callers are dropped at once on change.
export const createConnectionAction = actionFrom(
  platform.createConnection,
  createConnectionInput,
  refreshing((c, input) => createConnection(c.domain, input, encryptionKey(), connectionPolicy())),
);

export const updateConnectionAction = actionFrom(
  platform.updateConnection,
  // A new base URL clears the stored key unless a new one comes with it (lib/llm/connections/update.ts).
  updateConnectionInput.extend({ id }),
  refreshing((c, { id, ...input }) =>
    updateConnection(c.domain, id, input, encryptionKey(), connectionPolicy(), callerResolver()),
  ),
);

export const deleteConnectionAction = actionFrom(
  platform.deleteConnection,
  z.object({ id }),
  refreshing((c, input) => deleteConnection(c.domain, input.id, callerResolver())),
);

export const testConnectionAction = actionFrom(
  platform.testConnection,
  testConnectionInput.extend({ id }),
  async (c, { id, ...input }) => testConnection(c.domain, id, input, callerResolver()),
);

export const setPricesAction = actionFrom(
  pricesEndpoints.replacePriceOverrides,
  setPricesInput,
  refreshing((c, input) => replacePriceOverrides(c.domain, input)),
);

/** Settings → Import from Langfuse: the same importer as `lectern import langfuse` (dryRun plans). */
export const importLangfuseAction = actionFrom(
  langfuseImport.importFromLangfuse,
  importLangfuseInput,
  async (c, input) => {
    const report = await importFromLangfuse(c.domain, input, {
      fetcher: outboundFetch(),
      dryRun: input.dryRun,
      folder: input.folder || undefined,
    });
    if (!input.dryRun) refresh(c);
    return report;
  },
);
