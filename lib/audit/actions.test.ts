import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { replayAs } from "../runtime/replay";
import { auditEventMap } from "../webhooks/events";
import { AUDIT_ACTIONS, auditActionInfo, auditAreas, describeAction, isAuditAction, type AuditAction } from "./actions";
import { recordAudit, type AuditEntry } from "./record";

const actor = { type: "system", label: "test" } as const;

describe("the closed list of audit actions", () => {
  it("has no duplicates and only dotted lower-case ids", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const a of AUDIT_ACTIONS) expect(a).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it.each(AUDIT_ACTIONS)("%s has a plain-words description in a known area", (action) => {
    const { description, area } = auditActionInfo[action];
    expect(description).toMatch(/^[A-Z][^.]{5,}$/);
    expect(description).not.toContain(action);
    expect(auditAreas).toContain(area);
  });

  it("describes every action differently, so the Activity filter can tell them apart", () => {
    const descriptions = AUDIT_ACTIONS.map((a) => auditActionInfo[a].description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it.each(AUDIT_ACTIONS)("%s has a webhook decision and an SSE replay decision", (action) => {
    // `null` is a decision ("sends nothing"); a missing key would be `undefined`.
    expect(Object.hasOwn(auditEventMap, action)).toBe(true);
    expect(auditEventMap[action]).not.toBeUndefined();
    expect(Object.hasOwn(replayAs, action)).toBe(true);
    expect(replayAs[action]).not.toBeUndefined();
  });

  it("the consumer tables name no action outside the list", () => {
    expect(Object.keys(auditEventMap).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(Object.keys(replayAs).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it("recognises its own ids and nothing else", () => {
    expect(isAuditAction("playground.run")).toBe(true);
    for (const bad of ["playground.runs", "toString", "constructor", "", 3, null, undefined])
      expect(isAuditAction(bad)).toBe(false);
    expect(describeAction("member.join")).toBe("Joined the project");
    expect(describeAction("legacy.thing")).toBe("legacy.thing");
  });
});

describe("recordAudit refuses unknown actions", () => {
  it("in the type: a typo does not compile (checked by tsc)", () => {
    const ok: AuditAction = "connection.create";
    // @ts-expect-error -- "connection.created" is not an audit action
    const typo: AuditEntry = { projectId: null, actor, action: "connection.created", objectType: "x" };
    expect(isAuditAction(ok)).toBe(true);
    expect(isAuditAction(typo.action)).toBe(false);
  });

  it("at run time, before touching the database", async () => {
    const db = {} as Db; // any use of it would throw a TypeError, not the refusal below
    const entry = { projectId: null, actor, action: "version.created", objectType: "prompt" };
    await expect(recordAudit(db, entry as unknown as AuditEntry)).rejects.toMatchObject({
      code: "internal",
      message: 'Unknown audit action "version.created".',
    });
  });
});
