// One operation, one answer, whatever the surface (docs/decisions/one-answer-per-operation.md), for a guarded rollout's
// control (pause, resume, advance, roll back) and a bundle's release: called through the REST route handler (an admin
// key, or a runtime key as the viewer) and the UI server action (a signed-in approver, or a viewer). Each case starts
// every surface from the same state (a prompt, or a bundle of two, of its own) and compares the status (REST's; the
// action's error code through lib/errors' status table, its success as REST's status), what it did, what it wrote, the
// events published and what is live. A viewer is refused before the input is read on both surfaces (the two
// actions used to read it first: 400 where REST said 403).
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { queryRows } from "@/db/client";
import { errorStatus, type ErrorCode } from "@/lib/errors";
import { actOnRollout, type RolloutActionName } from "@/lib/experiments/rollouts/rollout-control";
import { startRollout } from "@/lib/experiments/rollouts/rollouts";
import { createBundle } from "@/lib/release/bundles/bundles";
import { promoteVersion } from "@/lib/release/promote";
import * as fixtures from "../../../test/domain-fixtures";
import { params, promptState, request, written, type Answer, type PromptState } from "./surfaces-harness";
import { bearer, f, published, setUpSurfaces, signIn, t, wiring } from "./surfaces-setup";

vi.mock("../wiring/db", () => wiring.db);
vi.mock("../wiring/env", () => wiring.env);
vi.mock("../wiring/events-wiring", () => wiring.events);
vi.mock("../wiring/session", () => wiring.session);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const controlRoutes = {
  pause: await import("@/app/api/v1/rollouts/[id]/pause/route"),
  resume: await import("@/app/api/v1/rollouts/[id]/resume/route"),
  advance: await import("@/app/api/v1/rollouts/[id]/advance/route"),
  rollback: await import("@/app/api/v1/rollouts/[id]/rollback/route"),
};
const releasesRoute = await import("@/app/api/v1/bundles/[name]/releases/route");
const promptActions = await import("@/app/(dashboard)/[project]/prompts/[...name]/_actions");
const bundleActions = await import("@/app/(dashboard)/[project]/bundles/_actions");

const slug = "rollout-surfaces";

setUpSurfaces(slug);

type Who = "member" | "viewer";
type Surface = "rest" | "ui";
type Op = RolloutActionName | "release";
type Input = Record<string, unknown>;

type Json = {
  error?: { code: string };
  rollout?: { status: string; percent: number; version: number };
  release?: { action: string };
};

/** REST: POST /api/v1/rollouts/{id}/{op}, or /api/v1/bundles/{name}/releases; `target` is the id or the name. */
async function viaRest(who: Who, op: Op, target: string, input: Input): Promise<Answer> {
  const auth = bearer(who);
  const res =
    op === "release"
      ? await releasesRoute.POST(
          request(`/api/v1/bundles/${target}/releases`, "POST", auth, input),
          params({ name: target }),
        )
      : await controlRoutes[op].POST(
          request(`/api/v1/rollouts/${target}/${op}`, "POST", auth, input),
          params({ id: target }),
        );
  const json = (await res.json()) as Json;
  if (res.status >= 400) return { status: res.status, outcome: json.error!.code };
  if (op === "release") return { status: res.status, outcome: json.release!.action };
  const r = json.rollout!;
  return { status: res.status, outcome: `${r.status} at ${r.percent}%`, version: r.version };
}

/** The UI: the prompt page's rollout control, the bundle page's release, as a signed-in approver or viewer. */
async function viaAction(who: Who, op: Op, target: string, input: Input): Promise<Answer> {
  const member = f[who === "viewer" ? "viewer" : "approver"];
  signIn(member);
  if (op === "release") {
    const r = await bundleActions.releaseBundleAction(slug, {
      name: target,
      ...(input as { environment: string; versions: Record<string, number> }),
    });
    return r.ok ? { status: 201, outcome: r.data.release.action } : failed(r);
  }
  const r = await promptActions.rolloutControlAction(slug, {
    id: target,
    action: op,
    ...(input as { reason: string }),
  });
  if (!r.ok) return failed(r);
  const rollout = r.data.rollout;
  return { status: 200, outcome: `${rollout.status} at ${rollout.percent}%`, version: rollout.version };
}
const failed = (r: { code: string }): Answer => ({ status: errorStatus[r.code as ErrorCode], outcome: r.code });

const surfaces = { rest: viaRest, ui: viaAction };

/**
 * What exists before the call: a rollout of version 2 over live version 1 in staging (running at 5 %, on its last
 * step before 100 %, paused, or rolled back), a bundle of two such prompts both serving version 1, or nothing.
 */
type Given = "running" | "last-step" | "paused" | "ended" | "missing" | "bundle" | "missing-bundle";
const unknownId = "00000000-0000-4000-8000-000000000000";
const twoSteps = [
  { percent: 50, minMinutes: 0, minSubjects: 0 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

/** The prompts of a case named `base`: one for a rollout, two for a bundle. */
const promptsOf = (given: Given, base: string) => (given.includes("bundle") ? [`${base}-a`, `${base}-b`] : [base]);

/** Builds `given` through lib (as an approver); answers the operation's target (a rollout's id, a bundle's name). */
async function arrange(given: Given, base: string, bundle: string): Promise<string> {
  if (given === "missing") return unknownId;
  if (given === "missing-bundle") return bundle;
  const as = f.ctx(f.approver);
  for (const name of promptsOf(given, base)) {
    await fixtures.promptWith(t.db, f, name, 2);
    await promoteVersion(as, name, { environment: "staging", version: 1 });
  }
  if (given === "bundle") {
    await createBundle(f.ctx(f.editor), { name: bundle, prompts: promptsOf(given, base) });
    return bundle;
  }
  const steps = given === "last-step" ? { steps: twoSteps } : {};
  const r = await startRollout(as, base, { version: 2, environment: "staging", ...steps });
  if (given === "paused") await actOnRollout(as, r.id, "pause", { reason: "hold" });
  if (given === "ended") await actOnRollout(as, r.id, "rollback", { reason: "stop" });
  return r.id;
}

/** What the case's prompts hold (summed), the project's audit rows and bundle releases (`written` diffs them all). */
type State = PromptState & { releases: number };
async function state(names: string[]): Promise<State> {
  const each = await Promise.all(names.map((n) => promptState(t.db, f.projectId, n)));
  const sum = Object.fromEntries(
    (Object.keys(each[0]!) as (keyof PromptState)[]).map((k) => [k, each.reduce((s, p) => s + p[k], 0)]),
  ) as PromptState;
  const [r] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from bundle_releases r join bundles b on b.id = r.bundle_id
        where b.project_id = ${f.projectId}`,
  );
  return { ...sum, audits: each[0]!.audits, releases: r!.n };
}

/** What staging serves, member by member (undefined for a prompt that does not exist). */
const live = async (names: string[]) =>
  Promise.all(
    names.map(async (n) =>
      (await promptState(t.db, f.projectId, n)).versions ? fixtures.liveVersion(t.db, f, n, "staging") : undefined,
    ),
  );

/** `events`: how many were published; `live`: what staging serves afterwards, if it changed. */
type Expected = Answer & { written: Partial<State>; events?: number; live?: (number | undefined)[] };
type Case = { name: string; op: Op; given: Given; input: Input; expected: Expected; who?: Who };

const row = (name: string, op: Op, given: Given, input: Input, expected: Expected, who?: Who) =>
  ({ name, op, given, input, expected, who }) satisfies Case;
/** Nothing written: a refusal. */
const none = (status: number, outcome: string): Expected => ({ status, outcome, written: {} });
const viewer = (name: string, op: Op, given: Given, input: Input) =>
  row(name, op, given, input, none(403, "forbidden"), "viewer");
const moved = (outcome: string, more: Partial<Expected> = {}): Expected => ({
  status: 200,
  outcome,
  version: 2,
  written: { audits: 1 },
  ...more,
});
const why = { reason: "the person's reason" };
const release = { environment: "staging", versions: { "-a": 2, "-b": 2 } };

const cases: Case[] = [
  row("pause a running rollout", "pause", "running", why, moved("paused at 5%")),
  row("resume a paused rollout", "resume", "paused", why, moved("running at 5%")),
  row("advance a running rollout", "advance", "running", why, moved("running at 25%", { events: 1 })),
  row(
    "advance from the step before 100 %: the version is deployed",
    "advance",
    "last-step",
    why,
    moved("completed at 100%", { events: 2, live: [2], written: { deployments: 1, audits: 2 } }),
  ),
  row("roll back a running rollout", "rollback", "running", why, moved("rolled_back at 0%", { events: 1 })),
  row("pause without a reason", "pause", "running", {}, none(400, "invalid_input")),
  row("resume a running rollout", "resume", "running", why, none(409, "conflict")),
  row("pause a paused rollout", "pause", "paused", why, none(409, "conflict")),
  row("advance a rolled-back rollout", "advance", "ended", why, none(409, "conflict")),
  row("roll back a rolled-back rollout", "rollback", "ended", why, none(409, "conflict")),
  row("pause an unknown rollout", "pause", "missing", why, none(404, "not_found")),
  viewer("pause as a viewer (or with a runtime key)", "pause", "running", why),
  viewer("roll back as a viewer (or with a runtime key)", "rollback", "running", why),
  viewer("advance as a viewer without a reason: 403 first", "advance", "running", {}),
  viewer("resume an unknown rollout as a viewer: 403, not 404", "resume", "missing", why),

  row("release a bundle", "release", "bundle", release, {
    status: 201,
    outcome: "release",
    events: 2,
    live: [2, 2],
    written: { deployments: 2, releases: 1, audits: 3 },
  }),
  row("release a bundle with a bad input", "release", "bundle", { environment: "staging" }, none(400, "invalid_input")),
  row(
    "release a bundle missing a member",
    "release",
    "bundle",
    { ...release, versions: { "-a": 2 } },
    none(400, "invalid_input"),
  ),
  viewer("release a bundle as a viewer (or with a runtime key)", "release", "bundle", release),
  viewer("release a bundle as a viewer with a bad input: 403 first", "release", "bundle", { versions: 1 }),
  viewer("release an unknown bundle as a viewer: 403, not 404", "release", "missing-bundle", release),
];

/** A bundle's versions are keyed by member suffix in the table ("-a"): here, by the case's prompt names. */
function inputFor(c: Case, base: string): Input {
  const versions = c.input.versions;
  if (c.op !== "release" || typeof versions !== "object" || versions === null) return c.input;
  const named = Object.entries(versions).map(([suffix, v]) => [`${base}${suffix}`, v]);
  return { ...c.input, versions: Object.fromEntries(named) };
}

let n = 0;
describe.each(cases)("$name", (c) => {
  it.each(["rest", "ui"] as Surface[])("through %s", async (surface) => {
    const base = `rollout-surfaces/p${++n}`;
    const names = promptsOf(c.given, base);
    const target = await arrange(c.given, base, `b${n}`);
    const [before, liveBefore] = [await state(names), await live(names)];
    published.length = 0;
    const answer = await surfaces[surface](c.who ?? "member", c.op, target, inputFor(c, base));
    const { status, outcome, version } = c.expected;
    expect(answer).toEqual({ status, outcome, version });
    expect(written(before, await state(names))).toEqual(c.expected.written);
    expect(published).toHaveLength(c.expected.events ?? 0);
    expect(await live(names)).toEqual(c.expected.live ?? liveBefore);
  });
});
