// The permission of an operation is checked once, by the wrapper that serves it; the domain functions of
// lib/{evaluation,optimization,auth,llm,webhooks,snapshots} no longer check it again (a rule that depends on what
// was read stays: the gate dataset guard asks `can`). action-permissions.int.test.ts calls every action made from an
// endpoint as the role below the endpoint's permission; here (1) every project action REST does not serve
// (`projectAction`) is called the same way and must answer `forbidden` before it reads its input, and (2) each
// operation whose domain check was removed is served only by wrappers declaring a permission at least as strong as
// the one the domain used to check (a route's `permission`, an action's declaration).
// First: the route and action modules imported below read the wiring this mocks.
import { f, setUpSurfaces, signIn, wiring } from "../http/surfaces-setup";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { permissions, roles, type Permission, type Role } from "@/lib/auth/permissions";
import type { Endpoint } from "../http/endpoint";
import * as evaluation from "../http/endpoints/evaluation";
import * as evalRuns from "../http/endpoints/eval-runs";
import * as optimizations from "../http/endpoints/optimizations";
import * as platform from "../http/endpoints/platform";
import * as prices from "../http/endpoints/prices";
import * as registry from "../http/endpoints/registry";
import * as snapshots from "../http/endpoints/snapshots";
import { repoRoot as root } from "../http/surfaces-harness";
import { declarationOf, type ActionResult } from "./action";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actionsOf = async (page: string) =>
  (await import(path.join(root, "app/(dashboard)/[project]", page, "_actions.ts"))) as Record<string, unknown>;
const datasets = await actionsOf("datasets");
const online = await actionsOf("online/[...name]");
const annotate = await actionsOf("annotate");
const alerts = await actionsOf("alerts");
const runs = await actionsOf("evaluations");
const optimize = await actionsOf("optimizations");
const settingsPage = await actionsOf("settings");
const prompts = await actionsOf("prompts/[...name]");
const edit = await actionsOf("edit/[...name]");

const least = (p: Permission): Role => (permissions as Record<string, Role>)[p] ?? "admin";
const rank = (p: Permission) => roles.indexOf(least(p));
const permissionsOf = (wrapper: unknown): readonly Permission[] =>
  declarationOf(wrapper)?.permissions ?? ((wrapper as Endpoint).permission ? [(wrapper as Endpoint).permission!] : []);

/**
 * Each domain operation whose `authorize` was removed, the permission it checked, and every wrapper that calls it
 * (found with grep; the other callers are domain operations named beside it, seeding, or system actors).
 */
const served: [operation: string, checked: Permission, wrappers: unknown[]][] = [
  ["runPromptPlayground", "evaluation.run", [registry.runPromptPlayground, prompts.runPlaygroundAction]],
  ["runUnsavedPlayground", "evaluation.run", [edit.runUnsavedPlaygroundAction]],
  // Also the .prompt.yml import (POST /api/v1/prompts/import, version.create: editor) and the snapshot import.
  ["createDataset", "evaluation.run", [evaluation.createDataset, datasets.createDatasetAction]],
  ["updateDataset", "evaluation.run", [evaluation.updateDataset]],
  ["deleteDataset", "evaluation.manage", [evaluation.deleteDataset]],
  // Also importItems, addItemsFromSamples and the snapshot import (settings.manage).
  ["addItems", "evaluation.run", [evaluation.addDatasetItems, datasets.saveCaseAction]],
  ["importItems", "evaluation.run", [evaluation.addDatasetItems, datasets.importItemsAction]],
  ["addItemsFromSamples", "evaluation.run", [evaluation.addDatasetItems, online.addSamplesToDatasetAction]],
  ["updateDatasetItem", "evaluation.run", [evaluation.updateDatasetItem]],
  ["removeItems", "evaluation.run", [evaluation.removeDatasetItem, datasets.removeItemsAction]],
  ["restoreDatasetVersion", "evaluation.run", [evaluation.restoreDatasetVersion, datasets.restoreDatasetVersionAction]],
  ["createAnnotation", "annotation.write", [evaluation.createAnnotation, annotate.annotateAction]],
  // The annotate page reads them too, as a member (any role has evaluation.read).
  ["nextToLabel", "evaluation.read", [evaluation.nextOutputToLabel]],
  ["nextRunItemToLabel", "evaluation.read", [evaluation.nextOutputToLabel]],
  ["acknowledgeAlert", "alert.acknowledge", [platform.acknowledgeAlert, alerts.acknowledgeAlertsAction]],
  ["putOnlineEvaluation", "evaluation.manage", [evaluation.putOnlineEvaluation, online.saveOnlineRuleAction]],
  ["deleteOnlineEvaluation", "evaluation.manage", [evaluation.deleteOnlineEvaluation, online.deleteOnlineRuleAction]],
  // Also runGateRuns (below) and recordRun (the demo's seeding).
  ["createEvalRun", "evaluation.run", [evalRuns.createEvalRun, runs.startRunAction, prompts.runGateEvaluationAction]],
  ["runGateRuns", "evaluation.run", [datasets.runGateRunsAction]],
  ["cancelEvalRun", "evaluation.run", [evalRuns.cancelEvalRun, runs.cancelRunAction]],
  ["createOptimization", "evaluation.run", [optimizations.createOptimization, optimize.startOptimizationAction]],
  ["cancelOptimization", "evaluation.run", [optimizations.cancelOptimization, optimize.cancelOptimizationAction]],
  ["setMemberRole", "member.manage", [settingsPage.setMemberRoleAction]],
  ["removeMember", "member.manage", [settingsPage.removeMemberAction]],
  ["addMember", "member.manage", [settingsPage.addMemberAction]],
  ["revokeInvitation", "member.manage", [settingsPage.revokeInvitationAction]],
  // Also ensureBootstrapKey (a system actor).
  ["createApiKey", "apikey.manage", [platform.createApiKey, settingsPage.createApiKeyAction]],
  // The settings page lists keys, webhooks and connections only when `can` says the member may manage them.
  ["listApiKeys", "apikey.manage", [platform.listApiKeys]],
  ["revokeApiKey", "apikey.manage", [platform.revokeApiKey, settingsPage.revokeApiKeyAction]],
  ["testConnection", "connection.manage", [platform.testConnection, settingsPage.testConnectionAction]],
  ["createConnection", "connection.manage", [platform.createConnection, settingsPage.createConnectionAction]],
  ["listConnections", "connection.manage", [platform.listConnections]],
  ["updateConnection", "connection.manage", [platform.updateConnection, settingsPage.updateConnectionAction]],
  ["deleteConnection", "connection.manage", [platform.deleteConnection, settingsPage.deleteConnectionAction]],
  ["getPriceSheet", "evaluation.read", [prices.getPriceSheet]],
  ["replacePriceOverrides", "settings.manage", [prices.replacePriceOverrides, settingsPage.setPricesAction]],
  ["createWebhook", "webhook.manage", [platform.createWebhook, settingsPage.createWebhookAction]],
  ["listWebhooks", "webhook.manage", [platform.listWebhooks]],
  ["deleteWebhook", "webhook.manage", [platform.deleteWebhook, settingsPage.deleteWebhookAction]],
  ["listDeliveries", "webhook.manage", [platform.listWebhookDeliveries, settingsPage.listDeliveriesAction]],
  ["redeliverWebhookDelivery", "webhook.manage", [platform.redeliverWebhookDelivery, settingsPage.redeliverAction]],
  ["importProjectSnapshot", "settings.manage", [snapshots.importProjectSnapshot]],
];

describe("an operation the domain no longer checks is served only by wrappers that do", () => {
  it.each(served)("%s (%s)", (_operation, checked, wrappers) => {
    expect(wrappers.length).toBeGreaterThan(0);
    for (const w of wrappers) {
      const declared = permissionsOf(w);
      expect(declared.length, "a wrapper with no permission").toBeGreaterThan(0);
      expect(Math.max(...declared.map(rank)), `${declared.join(", ")} vs ${checked}`).toBeGreaterThanOrEqual(
        rank(checked),
      );
    }
  });
});

type ProjectAction = (slug: string, input: unknown) => Promise<ActionResult<unknown>>;
const ownActions = [datasets, online, annotate, alerts, runs, optimize, settingsPage, prompts, edit].flatMap((mod) =>
  Object.entries(mod).flatMap(([name, action]) => {
    const d = declarationOf(action);
    if (!d || d.endpoints.length > 0) return [];
    const strongest = d.permissions.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    // An action any member may call (a read) has no role below it to refuse.
    const below = roles[rank(strongest) - 1];
    return below ? [{ name, action: action as ProjectAction, below }] : [];
  }),
);

const slug = "own-action-permissions";
setUpSurfaces(slug);

describe("a project action REST does not serve refuses the role below its permission", () => {
  it("covers the actions whose operation no longer checks", () => {
    const names = ownActions.map((a) => a.name);
    for (const name of [
      "runUnsavedPlaygroundAction",
      "importItemsAction",
      "addSamplesToDatasetAction",
      "runGateRunsAction",
      "addMemberAction",
      "revokeInvitationAction",
      "setMemberRoleAction",
      "removeMemberAction",
    ])
      expect(names).toContain(name);
  });

  it.each(ownActions.map((a) => [a.name, a] as const))("%s", async (_name, { action, below }) => {
    const member = { viewer: f.viewer, editor: f.editor, approver: f.approver, admin: f.admin }[below];
    signIn(member);
    const r = await action(slug, {});
    expect(r.ok ? "ok" : r.code, `as ${below}`).toBe("forbidden");
  });
});
