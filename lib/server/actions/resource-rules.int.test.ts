// The resource rules are the wrapper's (lib/server/http/endpoint.ts, `resource`): what the row an operation acts on
// needs beyond the endpoint's permission — deploying into a protected environment needs deploy.protected, cancelling
// someone else's review needs review.decide — is declared once and checked once, by `route` and `actionFrom` (or a
// `projectAction` that declares it), on the parsed input, before the operation runs. The operations check nothing
// (action-permissions.int.test.ts proves the same for the declared permissions). Here: every action made from an
// endpoint carries its rule, and the rule is what refuses an editor's promotion, bundle release and cancel.
// First: the route and action modules imported below read the wiring this mocks.
import { bearer, f, setUpSurfaces, signIn, t, wiring } from "../http/surfaces-setup";
import { describe, expect, it, vi } from "vitest";
import { runtimePermissions } from "@/lib/auth/permissions";
import { createPrompt, findPrompt } from "@/lib/registry/prompts";
import { createVersion } from "@/lib/registry/versions";
import { promoteVersion } from "@/lib/release/promote";
import { loadResolved } from "@/lib/runtime/load";
import { createBundle } from "@/lib/release/bundles/bundles";
import { requestReview } from "@/lib/release/reviews/reviews";
import * as fixtures from "../../../test/domain-fixtures";
import { checkResource } from "../http/endpoint";
import * as bundles from "../http/endpoints/bundles";
import * as deployments from "../http/endpoints/deployments";
import * as rollouts from "../http/endpoints/rollouts";
import { declaredEndpoints } from "../http/endpoints";
import { callEndpoint, routeFileOf } from "../http/surfaces-harness";
import { declarationOf, type ActionResult } from "./action";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Action = (slug: string, input: unknown) => Promise<ActionResult<unknown>>;
const promptActions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const bundleActions = await import("@/app/(dashboard)/[project]/bundles/_actions");

const slug = "resource-rules";
const promoteAs = (m: fixtures.Member, environment: string, version: number) =>
  promoteVersion(f.ctx(m), "ruled", { environment, version });
const codeOf = (r: ActionResult<unknown>) => (r.ok ? "ok" : r.code);

setUpSurfaces(slug, async () => {
  await createPrompt(f.ctx(f.admin), { name: "ruled", type: "text", template: "Hello" });
  await createBundle(f.ctx(f.admin), { name: "ruled-bundle", prompts: ["ruled"] });
});

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
    signIn(f.editor);
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
    signIn(f.editor);
    const r = await (promptActions.rollbackAction as Action)(slug, { name: "ruled", environment: "development" });
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    expect(r.ok ? "" : r.message).toMatch(/cannot roll back/);
    expect((await loadResolved(t.db, f.projectId, "ruled", "development")).version).toBe(2);
  });

  it("the UI's new prompt: a viewer is refused (prompt.create) and nothing is written", async () => {
    signIn(f.viewer);
    const create = (await import("@/app/(dashboard)/[project]/new/_actions")).createPromptAction as Action;
    expect(codeOf(await create(slug, { name: "by-viewer", content: { type: "text", template: "Hi" } }))).toBe(
      "forbidden",
    );
    expect(await findPrompt(t.db, f.projectId, "by-viewer")).toBeUndefined();
  });

  it("the UI's bundle release: an editor is refused production by the rule", async () => {
    signIn(f.editor);
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
    signIn(f.editor2);
    const refused = await cancel(slug, { id: first.id });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(refused.ok ? "" : refused.message).toMatch(/approve or reject reviews/);
    signIn(f.editor);
    expect(codeOf(await cancel(slug, { id: first.id }))).toBe("ok");
    const second = await request();
    signIn(f.approver);
    expect(codeOf(await cancel(slug, { id: second.id }))).toBe("ok");
    // An unknown review needs nothing of the rule: the operation answers not_found.
    signIn(f.editor2);
    expect(codeOf(await cancel(slug, { id: "00000000-0000-4000-8000-000000000000" }))).toBe("not_found");
  });
});

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
      expect(routeFileOf(e.path), e.path).toBeDefined();
      const res = await callEndpoint(e, bearer("viewer"));
      expect(res.status, JSON.stringify(res.body)).toBe(403);
    },
  );
});
