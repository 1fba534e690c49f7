import { describe, expect, it } from "vitest";
import { auditEventMap, eventForAudit, mappedActions, webhookEvents, type AuditEntryView } from "./events";
import { slackMessage } from "./slack";

const project = { id: "p1", slug: "demo", name: "Demo" };
const entry = (action: string, extra: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 42,
  action,
  objectType: "prompt",
  objectId: "prompt-uuid",
  actorType: "user",
  actorLabel: "ann@example.com",
  before: null,
  after: null,
  createdAt: new Date("2026-11-20T10:00:00Z"),
  ...extra,
});

describe("audit action → webhook event", () => {
  it.each([
    ["prompt.create", "prompt.version_created"],
    ["version.create", "prompt.version_created"],
    ["draft.merge", "prompt.version_created"],
    ["deployment.promote", "prompt.deployed"],
    ["deployment.auto_promote", "prompt.deployed"],
    ["deployment.rollback", "prompt.rolled_back"],
    ["deployment.auto_rollback", "prompt.rolled_back"],
    ["bundle.release", "bundle.released"],
    ["bundle.rollback", "bundle.rolled_back"],
    ["review.request", "review.requested"],
    ["review.approve", "review.decided"],
    ["review.reject", "review.decided"],
    ["experiment.start", "experiment.started"],
    ["experiment.stop", "experiment.stopped"],
    ["experiment.phase", "experiment.phase_started"],
    ["evaluation.complete", "evaluation.completed"],
    ["alert.create", "alert.created"],
  ])("%s → %s", (action, type) => {
    expect(eventForAudit(entry(action), project)?.type).toBe(type);
  });

  it.each([
    "review.cancel",
    "apikey.create",
    "draft.create",
    "member.add",
    "environment.update",
    "webhook.create",
    "bundle.create",
    "bundle.update",
    "deployment.unknown",
  ])("%s sends nothing", (action) => {
    expect(eventForAudit(entry(action), project)).toBeNull();
  });

  it("every event type has an action that produces it, and every mapped action a known type", () => {
    const produced = new Set(Object.values(auditEventMap).flatMap((m) => (m ? [m.type] : [])));
    expect([...produced].sort()).toEqual([...webhookEvents].sort());
    expect(mappedActions.length).toBe(24);
  });

  it("a new version", () => {
    const e = eventForAudit(
      entry("draft.merge", { after: { name: "support-reply", version: 7, commitMessage: "Merge draft" } }),
      project,
    )!;
    expect(e).toEqual({
      id: "evt_42",
      type: "prompt.version_created",
      createdAt: "2026-11-20T10:00:00.000Z",
      project,
      data: {
        prompt: "support-reply",
        version: 7,
        commitMessage: "Merge draft",
        source: "draft_merge",
        actor: { type: "user", label: "ann@example.com" },
      },
    });
  });

  it.each([
    ["deployment.promote", "prompt.deployed", false],
    ["deployment.auto_promote", "prompt.deployed", true],
    ["deployment.rollback", "prompt.rolled_back", false],
    ["deployment.auto_rollback", "prompt.rolled_back", true],
  ])("%s carries automatic=%s", (action, type, automatic) => {
    const e = eventForAudit(
      entry(action, {
        before: { environment: "production", version: 5 },
        after: { environment: "production", version: 4, reason: "error rate" },
      }),
      project,
      { promptName: "support-reply" },
    )!;
    expect(e.type).toBe(type);
    expect(e.data).toMatchObject({
      prompt: "support-reply",
      environment: "production",
      version: 4,
      previousVersion: 5,
      reason: "error rate",
      automatic,
    });
  });

  it("a first deployment has no previous version, and is part of no bundle", () => {
    expect(
      eventForAudit(entry("deployment.promote", { after: { environment: "staging", version: 1 } }), project)!.data,
    ).toMatchObject({ previousVersion: null, reason: null, prompt: null, bundle: null });
  });

  it.each([
    ["deployment.promote", "prompt.deployed"],
    ["deployment.rollback", "prompt.rolled_back"],
  ])("%s of a bundle member names the bundle release it is part of", (action, type) => {
    const e = eventForAudit(
      entry(action, {
        before: { environment: "production", version: 1 },
        after: {
          environment: "production",
          version: 2,
          reason: "Bundle agent: ship",
          bundle: { name: "agent", release: 12 },
        },
      }),
      project,
      { promptName: "agent/system" },
    )!;
    expect(e.type).toBe(type);
    expect(e.data).toMatchObject({ prompt: "agent/system", version: 2, bundle: { name: "agent", release: 12 } });
  });

  it.each([
    ["bundle.release", "bundle.released", undefined],
    ["bundle.rollback", "bundle.rolled_back", 11],
  ])("%s → one %s naming the release, its versions and the members it changed", (action, type, undoes) => {
    const after = {
      bundle: "agent",
      environment: "production",
      release: 12,
      versions: { "agent/system": 2, "agent/tools": 1, "agent/shared": 4 },
      previous: { "agent/system": 1, "agent/tools": null, "agent/shared": 4 },
      changed: ["agent/system", "agent/tools"],
      ...(undoes !== undefined && { undoes }),
      reason: "ship",
    };
    const e = eventForAudit(entry(action, { objectType: "bundle", objectId: "bundle-uuid", after }), project)!;
    expect(e).toEqual({
      id: "evt_42",
      type,
      createdAt: "2026-11-20T10:00:00.000Z",
      project,
      data: {
        bundle: "agent",
        environment: "production",
        release: 12,
        versions: after.versions,
        previousVersions: after.previous,
        changed: ["agent/system", "agent/tools"],
        undoes: undoes ?? null,
        reason: "ship",
        actor: { type: "user", label: "ann@example.com" },
      },
    });
  });

  it("a bundle release audited before members were recorded says it does not know which changed", () => {
    const after = { bundle: "agent", environment: "staging", release: 3, versions: { a: 1 }, reason: "" };
    expect(eventForAudit(entry("bundle.release", { after }), project)!.data).toMatchObject({
      versions: { a: 1 },
      previousVersions: null,
      changed: null,
    });
  });

  it("reviews", () => {
    const requested = eventForAudit(
      entry("review.request", {
        objectType: "review",
        objectId: "r1",
        after: { prompt: "p", version: 3, environment: "production" },
      }),
      project,
    )!;
    expect(requested.data).toMatchObject({ reviewId: "r1", prompt: "p", version: 3, environment: "production" });
    const decided = eventForAudit(
      entry("review.reject", { objectType: "review", objectId: "r1", after: { status: "rejected", comment: "no" } }),
      project,
      { review: { prompt: "p", version: 3, environment: "production" } },
    )!;
    expect(decided.data).toMatchObject({
      reviewId: "r1",
      decision: "rejected",
      comment: "no",
      prompt: "p",
      version: 3,
      environment: "production",
    });
  });

  it("future features pass their audit `after` through", () => {
    const e = eventForAudit(
      entry("alert.create", {
        objectType: "alert",
        objectId: "a1",
        after: { severity: "critical", metric: "thumbs", message: "thumbs dropped 12%" },
      }),
      project,
    )!;
    expect(e.data).toMatchObject({
      objectType: "alert",
      objectId: "a1",
      severity: "critical",
      metric: "thumbs",
      message: "thumbs dropped 12%",
    });
  });
});

describe("Slack format", () => {
  it("says what happened in one escaped line, with the same text in blocks", () => {
    const e = eventForAudit(
      entry("deployment.auto_rollback", {
        actorType: "system",
        actorLabel: "lectern",
        before: { environment: "production", version: 5 },
        after: { environment: "production", version: 4, reason: "thumbs <down> & out" },
      }),
      project,
      { promptName: "support-reply" },
    )!;
    const m = slackMessage(e);
    expect(m.text).toBe(
      ":rotating_light: Automatic rollback: *support-reply* in *production* back to version 4 from 5 — thumbs &lt;down&gt; &amp; out",
    );
    expect(m.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: m.text } });
    expect(JSON.stringify(m.blocks[1])).toContain("evt_42");
  });

  it("a bundle release in one line, and a member's deployment naming its release", () => {
    const release = eventForAudit(
      entry("bundle.release", {
        after: {
          bundle: "agent",
          environment: "production",
          release: 12,
          versions: { "agent/system": 2, "agent/tools": 1 },
          previous: { "agent/system": 1, "agent/tools": 1 },
          changed: ["agent/system"],
          reason: "new <tone>",
        },
      }),
      project,
    )!;
    expect(slackMessage(release).text).toBe(
      "Bundle *agent* released to *production* by ann@example.com: agent/system v2 — new &lt;tone&gt;",
    );
    const member = eventForAudit(
      entry("deployment.promote", {
        after: { environment: "production", version: 2, bundle: { name: "agent", release: 12 } },
      }),
      project,
      { promptName: "agent/system" },
    )!;
    expect(slackMessage(member).text).toBe(
      "*agent/system*: version 2 is live in *production* by ann@example.com (bundle *agent*, release 12)",
    );
  });
});
