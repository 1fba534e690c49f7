// One release operation, one answer, whatever the surface (docs/decisions/one-answer-per-operation.md): promote and
// rollback called through the REST route handler (an API key), the prompt page's server action (a signed-in member)
// and, for promote, the Langfuse PATCH that moves a label. Each case starts every surface from the same state (a prompt
// of its own) and compares what is live afterwards, how many deployments, audit rows and events were written, and the
// status: REST's, the action's outcome or error code through lib/errors' status table, Langfuse's.
// Every answer is checked against its declared schema (LECTERN_CHECK_RESPONSES on), the other Langfuse routes' too.
import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { queryRows } from "@/db/client";
import { findProjectBySlug } from "@/lib/auth/projects";
import { errorStatus, type ErrorCode } from "@/lib/errors";
import { createEnvironment, updateEnvironment } from "@/lib/release/environments";
import { promoteVersion } from "@/lib/release/promote";
import * as fixtures from "../../../test/domain-fixtures";
// An answer's outcome here: whether a deployment was written ("deployed", "already_live") or the error's code.
import { params, request, type Answer } from "./surfaces-harness";
import { bearer, f, keys, published, setUpSurfaces, signIn, t, wiring } from "./surfaces-setup";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const deploymentsRoute = await import("@/app/api/v1/prompts/[name]/deployments/route");
const rollbackRoute = await import("@/app/api/v1/prompts/[name]/rollback/route");
const labelsRoute = await import("@/app/api/public/v2/prompts/[name]/versions/[version]/route");
const actions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const langfusePrompts = await import("@/app/api/public/v2/prompts/route");
const langfusePrompt = await import("@/app/api/public/v2/prompts/[name]/route");

const slug = "surfaces";
let publicId: string;

setUpSurfaces(slug, async () => {
  publicId = (await findProjectBySlug(t.db, slug))!.publicId;
  // An environment whose plan blocks every version: it requires an approved review.
  await createEnvironment(f.ctx(f.admin), { name: "reviewed" });
  await updateEnvironment(f.ctx(f.admin), "reviewed", { requiresReview: true });
});

type Who = "member" | "viewer";
type Surface = "rest" | "ui" | "langfuse";
type Op =
  | { kind: "promote"; environment: string; version: number }
  | { kind: "rollback"; environment: string; version?: number };

async function viaRest(who: Who, name: string, op: Op): Promise<Answer> {
  const auth = bearer(who);
  const { kind, ...body } = op;
  const path = `/api/v1/prompts/${encodeURIComponent(name)}/${kind === "promote" ? "deployments" : "rollback"}`;
  const handler = kind === "promote" ? deploymentsRoute.POST : rollbackRoute.POST;
  const res = await handler(request(path, "POST", auth, body), params({ name }));
  const json = (await res.json()) as { version?: number; unchanged?: boolean; error?: { code: string } };
  if (res.status >= 400) return { status: res.status, outcome: json.error!.code };
  expect(json.unchanged === true).toBe(res.status === 200);
  return { status: res.status, outcome: json.unchanged ? "already_live" : "deployed", version: json.version };
}

async function viaAction(who: Who, name: string, op: Op): Promise<Answer> {
  const member = who === "viewer" ? f.viewer : f.approver;
  signIn(member);
  const { environment, version } = op;
  const r =
    op.kind === "promote"
      ? await actions.promoteAction(slug, { name, environment, version: op.version })
      : await actions.rollbackAction(slug, { name, environment, version });
  if (!r.ok) return { status: errorStatus[r.code as ErrorCode], outcome: r.code };
  // The action answers REST's DTO; REST's status is 201 for a deployment written, 200 for "already live".
  const unchanged = r.data.unchanged === true;
  return { status: unchanged ? 200 : 201, outcome: unchanged ? "already_live" : "deployed", version: r.data.version };
}

/** Langfuse's PATCH answers 200 with the version either way; an error carries Lectern's code beside Langfuse's name. */
async function viaLangfuse(who: Who, name: string, op: Op): Promise<Answer> {
  const key = who === "viewer" ? keys.runtime : keys.admin;
  const auth = `Basic ${Buffer.from(`${publicId}:${key}`).toString("base64")}`;
  const version = String(op.version);
  const path = `/api/public/v2/prompts/${encodeURIComponent(name)}/versions/${version}`;
  const res = await labelsRoute.PATCH(
    request(path, "PATCH", auth, { newLabels: [op.environment] }),
    params({ name, version }),
  );
  const json = (await res.json()) as { version?: number; labels?: string[]; code?: string };
  if (res.status >= 400) return { status: res.status, outcome: json.code! };
  expect(json.labels).toContain(op.environment);
  return { status: res.status, outcome: "ok", version: json.version };
}

const surfaces = { rest: viaRest, ui: viaAction, langfuse: viaLangfuse };

/** What the prompt's history holds: deployments, their audit rows, and the version each environment serves. */
async function state(name: string) {
  const [row] = await queryRows<{ deployments: number; audits: number }>(
    t.db,
    sql`select (select count(*)::int from deployments d where d.prompt_id = p.id) as deployments,
               (select count(*)::int from audit_log a where a.object_id = p.id::text and a.action like 'deployment.%') as audits
        from prompts p where p.project_id = ${f.projectId} and p.name = ${name}`,
  );
  return row ?? { deployments: 0, audits: 0 };
}

type Case = {
  name: string;
  who?: Who;
  /** Versions promoted to `environment` before, in order (by an approver, through lib/release). */
  before: number[];
  op: Op;
  /** Whether the prompt exists (a viewer learns nothing either way). */
  missing?: boolean;
  expected: { status: number; outcome: string; live: number | undefined; written: number };
  surfaces: Surface[];
};

const all: Surface[] = ["rest", "ui", "langfuse"];
const cases: Case[] = [
  {
    name: "promote a new version",
    before: [1],
    op: { kind: "promote", environment: "staging", version: 2 },
    expected: { status: 201, outcome: "deployed", live: 2, written: 1 },
    surfaces: all,
  },
  {
    name: "promote the version already live",
    before: [1, 2],
    op: { kind: "promote", environment: "staging", version: 2 },
    expected: { status: 200, outcome: "already_live", live: 2, written: 0 },
    surfaces: all,
  },
  {
    name: "promote past an unmet plan (a required review)",
    before: [],
    op: { kind: "promote", environment: "reviewed", version: 1 },
    expected: { status: 409, outcome: "conflict", live: undefined, written: 0 },
    surfaces: all,
  },
  {
    name: "promote as a viewer (or with a runtime key)",
    who: "viewer",
    before: [1],
    op: { kind: "promote", environment: "staging", version: 2 },
    expected: { status: 403, outcome: "forbidden", live: 1, written: 0 },
    surfaces: all,
  },
  {
    name: "promote an unknown prompt as a viewer: 403, not 404",
    who: "viewer",
    before: [],
    missing: true,
    op: { kind: "promote", environment: "staging", version: 1 },
    expected: { status: 403, outcome: "forbidden", live: undefined, written: 0 },
    surfaces: all,
  },
  {
    name: "promote with a bad input (version 0)",
    before: [1],
    op: { kind: "promote", environment: "staging", version: 0 },
    expected: { status: 400, outcome: "invalid_input", live: 1, written: 0 },
    surfaces: ["rest", "ui"],
  },
  {
    name: "promote with a bad input as a viewer: 403 before the input is read",
    who: "viewer",
    before: [1],
    op: { kind: "promote", environment: "staging", version: 0 },
    expected: { status: 403, outcome: "forbidden", live: 1, written: 0 },
    surfaces: ["rest", "ui"],
  },
  {
    name: "roll back to the version served before",
    before: [1, 2],
    op: { kind: "rollback", environment: "staging" },
    expected: { status: 201, outcome: "deployed", live: 1, written: 1 },
    surfaces: ["rest", "ui"],
  },
  {
    name: "roll back to the version already live",
    before: [1, 2],
    op: { kind: "rollback", environment: "staging", version: 2 },
    expected: { status: 200, outcome: "already_live", live: 2, written: 0 },
    surfaces: ["rest", "ui"],
  },
  {
    name: "roll back as a viewer (or with a runtime key)",
    who: "viewer",
    before: [1, 2],
    op: { kind: "rollback", environment: "staging" },
    expected: { status: 403, outcome: "forbidden", live: 2, written: 0 },
    surfaces: ["rest", "ui"],
  },
];

let n = 0;
describe.each(cases)("$name", (c) => {
  it.each(c.surfaces)("through %s", async (surface) => {
    const name = `surfaces/p${++n}`;
    if (!c.missing) await fixtures.promptWith(t.db, f, name, 2);
    for (const version of c.before)
      await promoteVersion(f.ctx(f.approver), name, { environment: c.op.environment, version });
    const before = await state(name);
    published.length = 0;
    const answer = await surfaces[surface](c.who ?? "member", name, c.op);
    const after = await state(name);
    const { status, outcome, live, written } = c.expected;
    // Langfuse's answer is the version either way: what was written says which it was.
    expect(answer).toMatchObject(
      surface === "langfuse" && status < 400 ? { status: 200, outcome: "ok" } : { status, outcome },
    );
    if (status < 400) expect(answer.version).toBe(live);
    expect(after.deployments - before.deployments).toBe(written);
    expect(after.audits - before.audits).toBe(written);
    expect(published).toHaveLength(written);
    expect(c.missing ? undefined : await fixtures.liveVersion(t.db, f, name, c.op.environment)).toBe(live);
  });
});

describe("two promotions of the same version at once", () => {
  it("write one deployment; the other is told it is already live", async () => {
    await fixtures.promptWith(t.db, f, "surfaces/race", 2);
    const before = await state("surfaces/race");
    const outcomes = await Promise.all(
      [0, 1].map(() => promoteVersion(f.ctx(f.approver), "surfaces/race", { environment: "staging", version: 2 })),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(["already_live", "deployed"]);
    expect(outcomes[0]!.deployment.id).toBe(outcomes[1]!.deployment.id);
    expect((await state("surfaces/race")).deployments - before.deployments).toBe(1);
  });
});

describe("the other Langfuse routes' answers", () => {
  it("fit their declared schemas (create, get, list, delete)", async () => {
    const auth = `Basic ${Buffer.from(`${publicId}:${keys.admin}`).toString("base64")}`;
    const base = "/api/public/v2/prompts";
    const prompt = [
      { role: "system", content: "Be brief." },
      { type: "placeholder", name: "history" },
      { role: "user", content: "{{question}}" },
    ];
    const body = { name: "surfaces-chat", type: "chat", prompt, labels: ["staging"], config: { model: "m" } };
    const created = await langfusePrompts.POST(request(base, "POST", auth, body), params({}));
    expect(created.status, await created.clone().text()).toBe(201);
    const get = (query: string) =>
      langfusePrompt.GET(
        new NextRequest(`http://localhost${base}/surfaces-chat${query}`, { headers: { authorization: auth } }),
        params({ name: "surfaces-chat" }),
      );
    const one = await get("?label=staging");
    expect([one.status, ((await one.json()) as { prompt: unknown }).prompt]).toEqual([200, prompt]);
    const list = await langfusePrompts.GET(
      new NextRequest(`http://localhost${base}?name=surfaces-chat`, { headers: { authorization: auth } }),
      params({}),
    );
    expect(list.status, await list.clone().text()).toBe(200);
    const gone = await langfusePrompt.DELETE(
      new NextRequest(`http://localhost${base}/surfaces-chat`, { method: "DELETE", headers: { authorization: auth } }),
      params({ name: "surfaces-chat" }),
    );
    expect(gone.status).toBe(204);
  });
});
