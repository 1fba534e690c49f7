// The resource rules are the wrapper's (lib/server/http/endpoint.ts, `resource`): what the row an operation acts on
// needs beyond the endpoint's permission — deploying into a protected environment needs deploy.protected, cancelling
// someone else's review needs review.decide — is declared once and checked once, by `route` and `actionFrom` (or a
// `projectAction` that declares it), on the parsed input, before the operation runs. The operations check nothing
// (action-permissions.int.test.ts proves the same for the declared permissions). Here: every action made from an
// endpoint carries its rule, and the rule is what refuses an editor's promotion, bundle release and cancel.
import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { noEvents, type EventSink } from "@/lib/announcements";
import { createApiKey } from "@/lib/auth/api-keys";
import { runtimePermissions } from "@/lib/auth/permissions";
import { projectContext } from "@/lib/context";
import { createPrompt, findPrompt } from "@/lib/registry/prompts";
import { createVersion } from "@/lib/registry/versions";
import { promote } from "@/lib/release/promote";
import { loadResolved } from "@/lib/runtime/load";
import { createBundle } from "@/lib/release/bundles/bundles";
import { requestReview } from "@/lib/release/reviews/reviews";
import * as fixtures from "../../../test/domain-fixtures";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { checkResource } from "../http/endpoint";
import * as bundles from "../http/endpoints/bundles";
import * as deployments from "../http/endpoints/deployments";
import * as rollouts from "../http/endpoints/rollouts";
import { declaredEndpoints } from "../http/endpoints";
import { parseEnv } from "../wiring/parse-env";
import type { SessionUser } from "../wiring/session";
import { declarationOf, type ActionResult } from "./action";

let t: TestDatabase;
vi.mock("../wiring/db", () => ({ getDb: async () => t.db, readyDb: () => t.db }));
const settings = { ...parseEnv({ LECTERN_LOG_LEVEL: "error" }), LECTERN_CHECK_RESPONSES: true };
vi.mock("../wiring/env", () => ({ env: () => settings }));
const sink: EventSink = { publish: async () => {} };
vi.mock("../wiring/events", () => ({ getEvents: async () => sink }));
let signedIn: SessionUser | null = null;
vi.mock("../wiring/session", () => ({ currentUser: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Action = (slug: string, input: unknown) => Promise<ActionResult<unknown>>;
const promptActions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const bundleActions = await import("@/app/(dashboard)/[project]/bundles/_actions");

let f: fixtures.Fixture;
const slug = "resource-rules";
const as = (m: fixtures.Member) => (signedIn = { id: m.id, email: m.label, name: m.label });
const promoteAs = (m: fixtures.Member, environment: string, version: number) =>
  promote(f.ctx(m), "ruled", { environment, version });
const codeOf = (r: ActionResult<unknown>) => (r.ok ? "ok" : r.code);

let runtimeKey = "";
beforeAll(async () => {
  t = await createTestDatabase();
  f = await fixtures.seedProject(t.db, slug);
  runtimeKey = (
    await createApiKey(projectContext(t.db, f.admin, f.projectId, noEvents), { name: "runtime", scope: "runtime" })
  ).key;
  await createPrompt(f.ctx(f.admin), { name: "ruled", type: "text", template: "Hello" });
  await createBundle(f.ctx(f.admin), { name: "ruled-bundle", prompts: ["ruled"] });
});
afterAll(async () => t.drop());

describe("resource rules are declared on the endpoint and carried by its action", () => {
  it("the endpoints that deploy declare the environment's rule", () => {
    for (const e of [
      deployments.promoteVersion,
      bundles.releaseBundle,
      bundles.createBundleRollout,
      rollouts.startRollout,
      rollouts.pauseRollout,
      rollouts.resumeRollout,
      rollouts.advanceRollout,
      rollouts.rollbackRollout,
    ])
      expect(e.resource, `${e.method} ${e.path}`).toBeDefined();
  });

  it("every action made from an endpoint checks that endpoint's rule, and only it", async () => {
    const modules = [
      promptActions,
      bundleActions,
      await import("@/app/(dashboard)/[project]/experiments/_actions"),
      await import("@/app/(dashboard)/[project]/settings/_actions"),
      await import("@/app/(dashboard)/[project]/drafts/[id]/_actions"),
      await import("@/app/(dashboard)/[project]/edit/[...name]/_actions"),
      await import("@/app/(dashboard)/[project]/new/_actions"),
    ];
    const endpoints = new Set(declaredEndpoints.map((d) => d.endpoint));
    let withRule = 0;
    for (const mod of modules) {
      for (const [name, action] of Object.entries(mod as Record<string, unknown>)) {
        const d = declarationOf(action);
        for (const e of d?.endpoints ?? []) {
          expect(endpoints.has(e), name).toBe(true);
          expect(d!.resource, `${name} vs ${e.method} ${e.path}`).toBe(e.resource);
          if (e.resource) withRule += 1;
        }
      }
    }
    expect(withRule).toBeGreaterThanOrEqual(5);
  });
});

describe("the rule refuses what the row needs, before the operation runs", () => {
  it("the declaration's rule: an editor may deploy to staging, not to protected production; an approver may", async () => {
    const input = { name: "ruled", version: 1 };
    await expect(
      checkResource(deployments.promoteVersion, f.ctx(f.editor), { ...input, environment: "staging" }),
    ).resolves.toBeUndefined();
    await expect(
      checkResource(deployments.promoteVersion, f.ctx(f.editor), { ...input, environment: "production" }),
    ).rejects.toMatchObject({ code: "forbidden", details: { action: "deploy.protected", role: "editor" } });
    await expect(
      checkResource(deployments.promoteVersion, f.ctx(f.approver), { ...input, environment: "production" }),
    ).resolves.toBeUndefined();
    // An environment that does not exist needs nothing here: the operation answers its own not_found.
    await expect(
      checkResource(deployments.promoteVersion, f.ctx(f.editor), { ...input, environment: "nowhere" }),
    ).resolves.toBeUndefined();
  });

  it("the UI's promotion: an editor is refused production by the rule and may promote to staging", async () => {
    as(f.editor);
    const promote = promptActions.promoteAction as Action;
    const refused = await promote(slug, { name: "ruled", environment: "production", version: 1 });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(refused.ok ? "" : refused.message).toMatch(/cannot deploy to protected environments/);
    expect(await fixtures.code(loadResolved(t.db, f.projectId, "ruled", "production"))).not.toBe("ok");
    expect(codeOf(await promote(slug, { name: "ruled", environment: "staging", version: 1 }))).toBe("ok");
  });

  it("the UI's rollback: an editor is refused (release.rollback) and nothing is written", async () => {
    await createVersion(f.ctx(f.admin), "ruled", { template: "Hi there" });
    await promoteAs(f.admin, "development", 1);
    await promoteAs(f.admin, "development", 2);
    as(f.editor);
    const r = await (promptActions.rollbackAction as Action)(slug, { name: "ruled", environment: "development" });
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    expect(r.ok ? "" : r.message).toMatch(/cannot roll back/);
    expect((await loadResolved(t.db, f.projectId, "ruled", "development")).version).toBe(2);
  });

  it("the UI's new prompt: a viewer is refused (prompt.create) and nothing is written", async () => {
    as(f.viewer);
    const create = (await import("@/app/(dashboard)/[project]/new/_actions")).createPromptAction as Action;
    expect(codeOf(await create(slug, { name: "by-viewer", content: { type: "text", template: "Hi" } }))).toBe(
      "forbidden",
    );
    expect(await findPrompt(t.db, f.projectId, "by-viewer")).toBeUndefined();
  });

  it("the UI's bundle release: an editor is refused production by the rule", async () => {
    as(f.editor);
    const release = bundleActions.releaseBundleAction as Action;
    const r = await release(slug, { name: "ruled-bundle", environment: "production", versions: { ruled: 1 } });
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    expect(r.ok ? "" : r.message).toMatch(/cannot deploy to protected environments/);
  });

  it("cancelling a review: its requester may, another editor may not (review.decide), an approver may", async () => {
    const cancel = promptActions.cancelReviewAction as Action;
    const request = () =>
      requestReview(f.ctx(f.editor), "ruled", { version: 1, environment: "production", acknowledgeMissing: true });
    const first = await request();
    as(f.editor2);
    const refused = await cancel(slug, { id: first.id });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(refused.ok ? "" : refused.message).toMatch(/approve or reject reviews/);
    as(f.editor);
    expect(codeOf(await cancel(slug, { id: first.id }))).toBe("ok");
    const second = await request();
    as(f.approver);
    expect(codeOf(await cancel(slug, { id: second.id }))).toBe("ok");
    // An unknown review needs nothing of the rule: the operation answers not_found.
    as(f.editor2);
    expect(codeOf(await cancel(slug, { id: "00000000-0000-4000-8000-000000000000" }))).toBe("not_found");
  });
});

/** The route file serving an endpoint: /api/v1/prompts/{name}/deployments → app/api/v1/prompts/[name]/deployments. */
const root = path.resolve(import.meta.dirname, "../../..");
const routeFiles = (function walk(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.posix.join(dir, e.name)) : e.name === "route.ts" ? [path.posix.join(dir, e.name)] : [],
  );
})("app/api");
const routeFileOf = (p: string) =>
  routeFiles.find(
    (f) =>
      "/" +
        path.posix
          .dirname(f)
          .replace(/^app\//, "")
          .replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}") ===
      p,
  );

describe("REST: every declared endpoint refuses a key its permission does not allow, before the operation", () => {
  // The operations check nothing: an endpoint REST alone serves (updateBundle, publishSkills, the imports, the
  // compatible APIs' writes…) is refused by its route's declared permission, or not at all.
  const guarded = declaredEndpoints.filter(
    ({ endpoint: e }) => e.permission && !(runtimePermissions as readonly string[]).includes(e.permission),
  );
  it("has endpoints to check", () => expect(guarded.length).toBeGreaterThan(60));
  it.each(guarded.map((d) => [`${d.name} ${d.endpoint.method} ${d.endpoint.path}`, d.endpoint]))(
    "%s",
    async (_label, e) => {
      const file = routeFileOf(e.path);
      expect(file, e.path).toBeDefined();
      const mod = (await import(path.join(root, file!))) as Record<
        string,
        (req: NextRequest, args: { params: Promise<Record<string, string>> }) => Promise<Response>
      >;
      const params = Object.fromEntries([...e.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, "x"]));
      const req = new NextRequest(`http://localhost${e.path.replace(/\{(\w+)\}/g, "x")}`, {
        method: e.method,
        headers: { authorization: `Bearer ${runtimeKey}`, "content-type": "application/json" },
        body: e.method === "GET" || e.method === "DELETE" ? undefined : "{}",
      });
      const res = await mod[e.method]!(req, { params: Promise.resolve(params) });
      const body = (await res.json()) as { error?: { code: string }; message?: string };
      expect(res.status, JSON.stringify(body)).toBe(403);
    },
  );
});
