// One release operation, one answer, whatever the surface (docs/decisions/one-answer-per-operation.md), for the
// operations beside promote and rollback (release-surfaces.int.test.ts) that have both a REST route (an API key) and a
// UI server action (a signed-in member): request a review, decide one, merge a draft, start a guarded rollout. Each
// case starts every surface from the same state (a prompt of its own) and compares the status (REST's; the action's
// error code through lib/errors' status table, its success as REST's status), what it did, what it wrote and what is
// live. One difference is by design: an API key never decides a review (403; a key is not a person), so deciding is
// compared on the bad input and the viewer, and the key's refusal is a row of its own. A viewer is refused before
// the input is read on both surfaces (the actions used to read it first: 400 where REST said 403).
import { describe, expect, it, vi } from "vitest";
import { errorStatus, type ErrorCode } from "@/lib/errors";
import { createDraft, mergeDraft, updateDraft } from "@/lib/release/drafts/drafts";
import { promoteVersion } from "@/lib/release/promote";
import { decideReview, requestReview } from "@/lib/release/reviews/reviews";
import * as fixtures from "../../../test/domain-fixtures";
import { params, promptState, request, written, type Answer, type PromptState } from "./surfaces-harness";
import { bearer, f, published, setUpSurfaces, signIn, t, wiring } from "./surfaces-setup";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const reviewsRoute = await import("@/app/api/v1/prompts/[name]/reviews/route");
const decideRoute = await import("@/app/api/v1/reviews/[id]/route");
const mergeRoute = await import("@/app/api/v1/drafts/[id]/merge/route");
const rolloutsRoute = await import("@/app/api/v1/prompts/[name]/rollouts/route");
const actions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const draftActions = await import("@/app/(dashboard)/[project]/drafts/[id]/_actions");

const slug = "review-surfaces";

setUpSurfaces(slug);

type Who = "member" | "viewer";
type Surface = "rest" | "ui";
type Op = "request" | "decide" | "merge" | "rollout";
type Input = Record<string, unknown>;
/** The member each action is called as: the least role that may do it (the draft is the editor's own). */
const members = { request: "editor", decide: "approver", merge: "editor", rollout: "approver" } as const;
/** REST's status for a success, which the action's success is compared as. */
const okStatus: Record<Op, number> = { request: 201, decide: 200, merge: 201, rollout: 201 };
/** REST's path for the operation on `target` (a prompt's name, or a review's or a draft's id). */
const paths: Record<Op, (target: string) => string> = {
  request: (name) => `/api/v1/prompts/${encodeURIComponent(name)}/reviews`,
  decide: (id) => `/api/v1/reviews/${id}`,
  merge: (id) => `/api/v1/drafts/${id}/merge`,
  rollout: (name) => `/api/v1/prompts/${encodeURIComponent(name)}/rollouts`,
};

type Json = {
  error?: { code: string };
  status?: string;
  version?: number;
  deployed?: { version: number } | null;
  rollout?: { status: string; percent: number; version: number };
};

async function viaRest(who: Who, op: Op, target: string, input: Input): Promise<Answer> {
  const req = request(paths[op](target), "POST", bearer(who), input);
  const res =
    op === "request"
      ? await reviewsRoute.POST(req, params({ name: target }))
      : op === "decide"
        ? await decideRoute.POST(req, params({ id: target }))
        : op === "merge"
          ? await mergeRoute.POST(req, params({ id: target }))
          : await rolloutsRoute.POST(req, params({ name: target }));
  const json = (await res.json()) as Json;
  if (res.status >= 400) return { status: res.status, outcome: json.error!.code };
  if (op === "merge") return { status: res.status, outcome: "merged", version: json.version };
  if (op === "rollout")
    return {
      status: res.status,
      outcome: `${json.rollout!.status} at ${json.rollout!.percent}%`,
      version: json.rollout!.version,
    };
  return { status: res.status, outcome: json.status!, version: json.deployed?.version };
}

async function viaAction(who: Who, op: Op, target: string, input: Input): Promise<Answer> {
  const member = f[who === "viewer" ? "viewer" : members[op]];
  signIn(member);
  const answer = (outcome: string, version?: number): Answer => ({ status: okStatus[op], outcome, version });
  if (op === "request") {
    const r = await actions.requestReviewAction(slug, {
      name: target,
      ...(input as { version: number; environment: string }),
    });
    return r.ok ? answer("pending") : failed(r);
  }
  if (op === "decide") {
    const r = await actions.decideReviewAction(slug, { id: target, ...(input as { decision: "approve" }) });
    return r.ok ? answer(r.data.status, r.data.deployed?.version) : failed(r);
  }
  if (op === "merge") {
    const r = await draftActions.mergeDraftAction(slug, { id: target, ...input });
    // A three-way conflict is REST's 409 conflict, with its details.
    return r.ok ? answer("merged", r.data.version) : failed(r);
  }
  const r = await actions.startRolloutAction(slug, {
    name: target,
    ...(input as { version: number; environment: string }),
  });
  return r.ok ? answer(`${r.data.rollout.status} at ${r.data.rollout.percent}%`, r.data.rollout.version) : failed(r);
}
const failed = (r: { code: string }): Answer => ({ status: errorStatus[r.code as ErrorCode], outcome: r.code });

const surfaces = { rest: viaRest, ui: viaAction };

/** What exists before the call, on a prompt with two versions (by the editor) unless "missing". */
type Given = "prompt" | "live" | "review" | "review-only" | "rejected" | "draft" | "stale-draft" | "merged" | "missing";
const unknownId = "00000000-0000-4000-8000-000000000000";

/** Builds `given` for the prompt `name` through lib/release; answers the operation's target (a name or an id). */
async function arrange(given: Given, op: Op, name: string): Promise<string> {
  if (given === "missing") return op === "decide" || op === "merge" ? unknownId : name;
  await fixtures.promptWith(t.db, f, name, 2);
  if (given === "live") await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 1 });
  if (given.startsWith("review") || given === "rejected") {
    const deployOnApprove = given !== "review-only";
    const r = await requestReview(f.ctx(f.admin), name, { version: 2, environment: "staging", deployOnApprove });
    if (given === "rejected") await decideReview(f.ctx(f.approver2), r.id, { decision: "reject" });
    if (op === "decide") return r.id;
  }
  if (given.endsWith("draft") || given === "merged") {
    const d = await createDraft(f.ctx(f.editor), name, { name: "d", fromVersion: given === "stale-draft" ? 1 : 2 });
    await updateDraft(f.ctx(f.editor), d.id, { content: { type: "text", template: "from the draft" } });
    if (given === "merged") await mergeDraft(f.ctx(f.editor), d.id, {});
    if (op === "merge") return d.id;
  }
  return name;
}

/** `events`: how many were published (a deployment's, a new version's, a rollout's); `live`: if it changed. */
type Expected = { status: number; outcome: string; version?: number; written: Partial<PromptState> } & {
  events?: number;
  live?: number;
};
type Case = { name: string; op: Op; given: Given; input: Input; expected: Expected; surfaces: Surface[]; who?: Who };

const both: Surface[] = ["rest", "ui"];
const row = (name: string, op: Op, given: Given, input: Input, expected: Expected, surfaces = both, who?: Who) =>
  ({ name, op, given, input, expected, surfaces, who }) satisfies Case;
/** Nothing written: a refusal. */
const none = (status: number, outcome: string): Expected => ({ status, outcome, written: {} });
const viewer = (name: string, op: Op, given: Given, input: Input) =>
  row(name, op, given, input, none(403, "forbidden"), both, "viewer");
const invalid = none(400, "invalid_input");
const ask = { version: 2, environment: "staging" };
const approve = { decision: "approve" };
const decided = { pendingReviews: -1, decidedReviews: 1 };
const cases: Case[] = [
  row("request a review", "request", "prompt", ask, {
    status: 201,
    outcome: "pending",
    written: { pendingReviews: 1, audits: 1 },
  }),
  row("request a review with a bad input", "request", "prompt", { ...ask, deployOnApprove: "yes" }, invalid),
  viewer("request a review as a viewer (or with a runtime key)", "request", "prompt", ask),
  viewer("request a review as a viewer with a bad input: 403 first", "request", "prompt", { version: "x" }),
  viewer("request a review of an unknown prompt as a viewer: 403, not 404", "request", "missing", ask),
  row("request a second review of the same version", "request", "review", ask, none(409, "conflict")),

  row(
    "approve a review that deploys on approval",
    "decide",
    "review",
    approve,
    {
      status: 200,
      outcome: "approved",
      version: 2,
      live: 2,
      events: 1,
      written: { ...decided, deployments: 1, audits: 2 },
    },
    ["ui"],
  ),
  row(
    "approve a review that does not deploy",
    "decide",
    "review-only",
    approve,
    { status: 200, outcome: "approved", written: { ...decided, audits: 1 } },
    ["ui"],
  ),
  row(
    "reject a review",
    "decide",
    "review",
    { decision: "reject" },
    { status: 200, outcome: "rejected", written: { ...decided, audits: 1 } },
    ["ui"],
  ),
  // By design, not a disagreement: four eyes are a person's, and a key could approve what it requested.
  row(
    "decide a review with an admin API key: 403 (a key is not a person)",
    "decide",
    "review",
    approve,
    none(403, "forbidden"),
    ["rest"],
  ),
  row("decide a review with a bad input", "decide", "review", { decision: "maybe" }, invalid),
  viewer("decide a review as a viewer (or with a runtime key)", "decide", "review", approve),
  viewer("decide a review as a viewer with a bad input: 403 first", "decide", "review", { decision: "x" }),
  viewer("decide an unknown review as a viewer: 403, not 404", "decide", "missing", approve),
  row("decide a review already decided", "decide", "rejected", approve, none(409, "conflict"), ["ui"]),

  row(
    "merge a draft",
    "merge",
    "draft",
    { commitMessage: "from the draft" },
    { status: 201, outcome: "merged", version: 3, events: 1, written: { versions: 1, openDrafts: -1, audits: 1 } },
  ),
  row("merge a draft with a bad input", "merge", "draft", { commitMessage: "x".repeat(1001) }, invalid),
  viewer("merge a draft as a viewer (or with a runtime key)", "merge", "draft", {}),
  viewer("merge a draft as a viewer with a bad input: 403 first", "merge", "draft", { commitMessage: 1 }),
  viewer("merge an unknown draft as a viewer: 403, not 404", "merge", "missing", {}),
  row("merge a draft already merged", "merge", "merged", {}, none(409, "conflict")),
  // The action answers it as data for the editor to resolve (no error); REST as 409 with the same details.
  row(
    "merge a draft the latest version changed too (three-way conflict)",
    "merge",
    "stale-draft",
    {},
    none(409, "conflict"),
  ),

  row("start a guarded rollout", "rollout", "live", ask, {
    status: 201,
    outcome: "running at 5%",
    version: 2,
    events: 1,
    written: { rollouts: 1, audits: 1 },
  }),
  row("start a rollout with a bad input", "rollout", "live", { ...ask, margin: 2 }, invalid),
  row(
    "start a rollout watching an unknown metric",
    "rollout",
    "live",
    { ...ask, guardrails: ["nope"] },
    none(422, "unprocessable"),
  ),
  viewer("start a rollout as a viewer (or with a runtime key)", "rollout", "live", ask),
  viewer("start a rollout as a viewer with a bad input: 403 first", "rollout", "live", { margin: 2 }),
  viewer("start a rollout of an unknown prompt as a viewer: 403, not 404", "rollout", "missing", ask),
  row("start a rollout where nothing is live", "rollout", "prompt", ask, none(409, "conflict")),
];

/** What staging serves, if the prompt exists. */
const live = async (name: string) =>
  (await promptState(t.db, f.projectId, name)).versions ? fixtures.liveVersion(t.db, f, name, "staging") : undefined;

let n = 0;
describe.each(cases)("$name", (c) => {
  it.each(c.surfaces)("through %s", async (surface) => {
    const name = `review-surfaces/p${++n}`;
    const target = await arrange(c.given, c.op, name);
    const [before, liveBefore] = [await promptState(t.db, f.projectId, name), await live(name)];
    published.length = 0;
    const answer = await surfaces[surface](c.who ?? "member", c.op, target, c.input);
    const { status, outcome, version } = c.expected;
    expect(answer).toEqual({ status, outcome, version });
    expect(written(before, await promptState(t.db, f.projectId, name))).toEqual(c.expected.written);
    expect(published).toHaveLength(c.expected.events ?? 0);
    expect(await live(name)).toBe("live" in c.expected ? c.expected.live : liveBefore);
  });
});
