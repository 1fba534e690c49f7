// REST and the UI answer one DTO (docs/decisions/one-answer-per-operation.md): an action made from an endpoint
// (`actionFrom`) answers what the endpoint's route answers. With LECTERN_CHECK_RESPONSES on (the api and e2e tiers,
// and here) `actionFrom` parses every answer with the endpoint's `response` schema, as the REST wrapper does: a drift
// is an internal error. Here: that check refusing a drift, and representative pairs called through both surfaces,
// whose answers must have the same shape (the same keys, the same kinds of value) and pass the same schema.
import type { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Endpoint } from "../http/endpoint";
import { params, request } from "../http/surfaces-harness";
import { bearer, f, setUpSurfaces, signIn, t, wiring } from "../http/surfaces-setup";
import { promoteVersion } from "@/lib/release/promote";
import { promptWith } from "../../../test/domain-fixtures";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

// Imported once the wiring is mocked (as the surfaces tests do).
const { actionFrom } = await import("./action");
const { isOtherResponse } = await import("../http/endpoint");
const registry = await import("../http/endpoints/registry");
const deployments = await import("../http/endpoints/deployments");
const environments = await import("../http/endpoints/environments");
const evaluation = await import("../http/endpoints/evaluation");
const promptActions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const editActions = await import("@/app/(dashboard)/[project]/edit/[...name]/_actions");
const settingsActions = await import("@/app/(dashboard)/[project]/settings/_actions");
const datasetActions = await import("@/app/(dashboard)/[project]/datasets/_actions");
const deploymentsRoute = await import("@/app/api/v1/prompts/[name]/deployments/route");
const rollbackRoute = await import("@/app/api/v1/prompts/[name]/rollback/route");
const versionsRoute = await import("@/app/api/v1/prompts/[name]/versions/route");
const environmentsRoute = await import("@/app/api/v1/environments/route");
const datasetsRoute = await import("@/app/api/v1/datasets/route");
const datasetItemsRoute = await import("@/app/api/v1/datasets/[id]/items/route");

const slug = "answers";
setUpSurfaces(slug, async () => {
  // Two prompts of two versions, version 1 live in staging (a rollback's target later).
  for (const name of ["promote-ui", "promote-rest"]) {
    await promptWith(t.db, f, name, 2);
    await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 1 });
  }
});

/** A value's shape: objects by their keys, arrays by their first element, the rest by their kind. */
function shapeOf(v: unknown): unknown {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

/** The action's answer as REST would send it (JSON), checked with the endpoint's schema. */
function answerOf(e: Endpoint, r: { ok: true; data: unknown } | { ok: false; code: string; message: string }) {
  if (!r.ok) throw new Error(`the action failed: ${r.code} ${r.message}`);
  const json: unknown = JSON.parse(JSON.stringify(r.data));
  if (!isOtherResponse(e.response)) e.response.parse(json);
  return json;
}

/** REST's answer to `body` POSTed to a route handler as the member's key: a success, checked with the endpoint's schema. */
async function restAnswer<P extends Record<string, string>>(
  e: Endpoint,
  route: { POST: (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response> },
  path: string,
  body: unknown,
  p: P,
) {
  const res = await route.POST(request(path, "POST", bearer("member"), body), params(p));
  const json: unknown = await res.json();
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  if (!isOtherResponse(e.response)) e.response.parse(json);
  return json;
}

describe("actionFrom checks its answer against the endpoint's response schema", () => {
  const declared = {
    method: "POST",
    path: "/api/v1/things",
    permission: "prompt.read",
    summary: "A thing",
    scope: "admin",
    response: z.object({ id: z.string() }),
  } satisfies Endpoint;

  it("passes an answer the schema accepts, and refuses one it does not", async () => {
    signIn(f.viewer);
    const good = actionFrom(declared, z.object({}), async () => ({ id: "a", more: true }));
    const bad = actionFrom(declared, z.object({}), async () => ({ name: "a" }));
    expect(await good(slug, {})).toEqual({ ok: true, data: { id: "a", more: true } });
    expect(await bad(slug, {})).toMatchObject({ ok: false, code: "internal" });
  });

  it("checks the answer as JSON (a Date is its ISO string), and nothing for an endpoint answering 204", async () => {
    signIn(f.viewer);
    const at = { ...declared, response: z.object({ at: z.iso.datetime() }) };
    const dated = actionFrom(at, z.object({}), async () => ({ at: new Date() }));
    expect((await dated(slug, {})).ok).toBe(true);
    const noContent = { ...declared, response: { contentType: "", description: "No content" } };
    expect((await actionFrom(noContent, z.object({}), async () => undefined)(slug, {})).ok).toBe(true);
    expect(await actionFrom(noContent, z.object({}), async () => ({ done: true }))(slug, {})).toMatchObject({
      ok: false,
      code: "internal",
    });
  });
});

describe("an action answers what its REST route answers", () => {
  it("promote and rollback: the deployment (deployOutcomeDto)", async () => {
    signIn(f.approver);
    const ui = answerOf(
      deployments.promoteVersion,
      await promptActions.promoteAction(slug, { name: "promote-ui", environment: "staging", version: 2 }),
    );
    const rest = await restAnswer(
      deployments.promoteVersion,
      deploymentsRoute,
      "/api/v1/prompts/promote-rest/deployments",
      { environment: "staging", version: 2 },
      { name: "promote-rest" },
    );
    expect(ui).toMatchObject({ environment: "staging", version: 2 });
    expect(shapeOf(ui)).toEqual(shapeOf(rest));

    // Promoting what is live already: both answer the live deployment with `unchanged: true`.
    const again = answerOf(
      deployments.promoteVersion,
      await promptActions.promoteAction(slug, { name: "promote-ui", environment: "staging", version: 2 }),
    );
    expect(again).toMatchObject({ version: 2, unchanged: true });

    const back = answerOf(
      deployments.rollbackPrompt,
      await promptActions.rollbackAction(slug, { name: "promote-ui", environment: "staging", version: 1 }),
    );
    const restBack = await restAnswer(
      deployments.rollbackPrompt,
      rollbackRoute,
      "/api/v1/prompts/promote-rest/rollback",
      { environment: "staging", version: 1 },
      { name: "promote-rest" },
    );
    expect(shapeOf(back)).toEqual(shapeOf(restBack));
  });

  it("a new version: the version saved with its diff (createdVersionDto)", async () => {
    signIn(f.editor);
    const ui = answerOf(
      registry.createVersion,
      await editActions.saveVersionAction(slug, {
        name: "promote-ui",
        baseVersion: 2,
        fromVersion: 2,
        commitMessage: "ui",
        content: { type: "text", template: "v3" },
      }),
    );
    const rest = await restAnswer(
      registry.createVersion,
      versionsRoute,
      "/api/v1/prompts/promote-rest/versions",
      { type: "text", template: "v3", commitMessage: "rest", baseVersion: 2 },
      { name: "promote-rest" },
    );
    expect(ui).toMatchObject({ version: 3, data: { version: 3, status: "draft" } });
    expect(shapeOf(ui)).toEqual(shapeOf(rest));
  });

  it("a save based on an older version: REST's 409 conflict, with both versions in its details", async () => {
    signIn(f.editor);
    const r = await editActions.saveVersionAction(slug, {
      name: "promote-ui",
      baseVersion: 1,
      fromVersion: 1,
      content: { type: "text", template: "stale" },
    });
    expect(r).toMatchObject({ ok: false, code: "conflict", details: { latestVersion: 3, latest: { version: 3 } } });
  });

  it("an environment and a dataset: environmentDto, datasetDto", async () => {
    signIn(f.admin);
    const rules = { protected: false, requiresReview: false, requiresLiveIn: null, evaluationGate: null };
    const env = answerOf(
      environments.createEnvironment,
      await settingsActions.createEnvironmentAction(slug, { name: "env-ui", ...rules, autoPromote: null }),
    );
    const envRes = await restAnswer(
      environments.createEnvironment,
      environmentsRoute,
      "/api/v1/environments",
      { name: "env-rest" },
      {},
    );
    expect(shapeOf(env)).toEqual(shapeOf(envRes));

    const ds = answerOf(
      evaluation.createDataset,
      await datasetActions.createDatasetAction(slug, { name: "ds-ui", prompt: null, description: "" }),
    );
    const dsRes = await restAnswer(
      evaluation.createDataset,
      datasetsRoute,
      "/api/v1/datasets",
      { name: "ds-rest", prompt: null, description: "" },
      {},
    );
    expect(shapeOf(ds)).toEqual(shapeOf(dsRes));

    // The playground's "save to dataset" and REST's item upload: {version, added}, nothing more.
    const dataset = (ds as { id: string }).id;
    const saved = answerOf(
      evaluation.addDatasetItems,
      await datasetActions.saveCaseAction(slug, { dataset, input: { q: "1" }, expected: "a", tags: [] }),
    );
    const rest = await restAnswer(
      evaluation.addDatasetItems,
      datasetItemsRoute,
      `/api/v1/datasets/${dataset}/items`,
      { items: [{ input: { q: "2" } }] },
      { id: dataset },
    );
    expect(saved).toEqual({ version: 1, added: 1 });
    expect(rest).toEqual({ version: 2, added: 1 });
  });
});
