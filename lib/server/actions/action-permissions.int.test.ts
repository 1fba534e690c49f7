// The UI and REST refuse the same role for every operation both serve (docs/decisions/one-answer-per-operation.md).
// Every project action declares its permission; an action for an operation an endpoint serves is made from the
// endpoint's declaration (`actionFrom`), so its permission is the endpoint's. Here every such pair is called below that
// permission, with an empty input: the action as the member whose role is just below it, the route handler with a
// runtime key (REST knows keys, not roles; a runtime key may do nothing a member's permission guards). Both must answer
// 403 `forbidden` before they read the input. The action's input schema must be the endpoint's, field by field (plus
// what REST takes from the path), and a source check makes sure no UI action restates, with a permission of its own, an
// operation a route serves.
// First: the route and action modules imported below read the wiring this mocks.
import { bearer, f, setUpSurfaces, signIn, wiring } from "../http/surfaces-setup";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describe, expect, it, vi } from "vitest";
import { permissions, roles, type Permission, type Role } from "@/lib/auth/permissions";
import * as fixtures from "../../../test/domain-fixtures";
import type { Endpoint } from "../http/endpoint";
import { declaredEndpoints } from "../http/endpoints";
import { callEndpoint, repoRoot as root, routeFileOf, routeFiles } from "../http/surfaces-harness";
import { declarationOf, type ActionDeclaration, type ActionResult } from "./action";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return filesNamed(rel, name);
    return e.name === name ? [rel] : [];
  });
}

type ProjectAction = ((slug: string, input: unknown) => Promise<ActionResult<unknown>>) & { name?: string };
type Declared = { file: string; name: string; action: ProjectAction; declaration: ActionDeclaration };
const actionFiles = filesNamed("app/(dashboard)", "_actions.ts");
const declared: Declared[] = [];
for (const file of actionFiles) {
  const mod = (await import(path.join(root, file))) as Record<string, unknown>;
  for (const [name, action] of Object.entries(mod)) {
    const declaration = declarationOf(action);
    if (declaration) declared.push({ file, name, action: action as ProjectAction, declaration });
  }
}
/** Each action made from an endpoint, once per endpoint it is made from. */
const pairs = declared.flatMap((d) => d.declaration.endpoints.map((endpoint) => ({ ...d, endpoint })));

/** The member role just below what `action` needs, if there is one. */
function roleBelow(action: Permission): Role | undefined {
  const least = (permissions as Record<string, Role>)[action];
  return least ? roles[roles.indexOf(least) - 1] : undefined;
}

const slug = "action-permissions";
setUpSurfaces(slug);

describe("every project action declares its permission", () => {
  it("finds the actions of every _actions.ts under app/(dashboard), each with at least one permission", () => {
    expect(actionFiles.length).toBeGreaterThan(10);
    expect(declared.length).toBeGreaterThan(60);
    for (const d of declared) expect(d.declaration.permissions.length, `${d.file} ${d.name}`).toBeGreaterThan(0);
    // Exported functions that are not built by lib/server/actions/action.ts would not check a permission here.
    const undeclared = actionFiles.flatMap((file) =>
      [
        ...readFileSync(path.join(root, file), "utf8").matchAll(/^export const (\w+) = (?!projectAction|actionFrom)/gm),
      ].map((m) => `${file} ${m[1]}`),
    );
    expect(undeclared).toEqual([]);
  });

  it("an action made from an endpoint has the endpoint's permission, and the endpoint is a declared one", () => {
    expect(pairs.length).toBeGreaterThan(30);
    const declaredSet = new Set(declaredEndpoints.map((d) => d.endpoint));
    for (const { file, name, declaration, endpoint: e } of pairs) {
      expect(declaredSet.has(e), `${file} ${name}`).toBe(true);
      expect(declaration.permissions, `${file} ${name} vs ${e.method} ${e.path}`).toEqual([e.permission]);
      expect(routeFileOf(e.path), `${e.method} ${e.path}`).toBeDefined();
    }
  });

  it("an action made from an endpoint takes the endpoint's input schema, field by field, plus the path's", () => {
    // Where both are objects, every field of the endpoint's body (or query) is the same zod schema in the action's,
    // but for these, which the page deliberately fixes or takes otherwise (each action's comment says why).
    const ownFields: Record<string, string[]> = {
      // The editor's content travels as one record that createVersion/createPrompt check field by field; the
      // editor always names the version it started from; a new prompt's name is trimmed as typed.
      saveVersionAction: ["type", "baseVersion"],
      createPromptAction: ["name", "targetModel"],
      // The page shows a fixed page size, and the samples of the one version it names.
      runItemsAction: ["limit"],
      listSamplesAction: ["version", "limit"],
    };
    const shapeOf = (s: unknown) => (s instanceof z.ZodObject ? (s.shape as Record<string, unknown>) : undefined);
    const differs = pairs.flatMap(({ file, name, declaration, endpoint: e }) => {
      const api = shapeOf(e.body ?? e.query);
      const ui = shapeOf(declaration.schema);
      if (!api || !ui) return [];
      return Object.keys(api)
        .filter((k) => ui[k] !== api[k] && !ownFields[name]?.includes(k))
        .map((k) => `${file} ${name}.${k} vs ${e.method} ${e.path}`);
    });
    expect(differs).toEqual([]);
  });

  it("no UI action declares a permission of its own for an operation a route serves under a declared one", () => {
    // The operations a route handler calls (`op(domain, …` or `op(db, actor, …`), by the endpoint it is declared with.
    const byOperation = new Map<string, Endpoint>();
    const endpointsByName = new Map(declaredEndpoints.map((d) => [d.name, d.endpoint]));
    for (const file of routeFiles) {
      const src = readFileSync(path.join(root, file), "utf8");
      for (const block of src.split(/(?=export const \w+ = route\()/).slice(1)) {
        const e = endpointsByName.get(/route\(endpoints\.(\w+)/.exec(block)?.[1] ?? "");
        if (!e?.permission) continue;
        for (const m of block.matchAll(/(\w+)\((?:domain|db, actor)\b/g)) byOperation.set(m[1]!, e);
      }
    }
    const restated = actionFiles.flatMap((file) => {
      const src = readFileSync(path.join(root, file), "utf8");
      return src
        .split(/(?=export const \w+ = )/)
        .filter((block) => /^export const \w+ = projectAction\(/.test(block))
        .flatMap((block) =>
          [...block.matchAll(/(\w+)\((?:c\.domain|c\.db, c\.actor|\{ db: c\.db|ctx)\b/g)]
            .map((m) => byOperation.get(m[1]!))
            .filter((e): e is Endpoint => !!e)
            .map((e) => `${file} ${/export const (\w+)/.exec(block)![1]} → ${e.method} ${e.path}: use actionFrom`),
        );
    });
    expect(restated).toEqual([]);
  });
});

describe("the UI and REST refuse the same role", () => {
  const members = (): Record<Role, fixtures.Member> => ({
    viewer: f.viewer,
    editor: f.editor,
    approver: f.approver,
    admin: f.admin,
  });
  const refusable = pairs.filter((p) => roleBelow(p.endpoint.permission!));

  it("has pairs to check", () => expect(refusable.length).toBeGreaterThan(25));

  it.each(refusable.map((p) => [`${p.name} / ${p.endpoint.method} ${p.endpoint.path}`, p]))(
    "%s",
    async (_label, { action, endpoint: e }) => {
      const below = roleBelow(e.permission!)!;
      const member = members()[below];
      signIn(member);
      const ui = await action(slug, {});
      expect(ui.ok ? "ok" : ui.code, `the action as ${below}`).toBe("forbidden");

      const res = await callEndpoint(e, bearer("viewer"));
      expect([res.status, res.body.error?.code], "REST with a runtime key").toEqual([403, "forbidden"]);
    },
  );
});
