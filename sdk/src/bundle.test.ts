// getBundle against a real (small) HTTP server: a subject's side of the bundle's guarded rollout (every
// member new or every member live), never another subject's answer from a cache, and refused bad input.
import { beforeEach, describe, expect, it } from "vitest";
import { fakeBucket, goodKey } from "../test/fake-server";
import { fakeLecternEachTest } from "../test/fake-lectern-each-test";
import { LecternError } from "./errors";

/** Every request the client sent (method and path), through its fetch option. */
const sent: string[] = [];

const lectern = fakeLecternEachTest({
  apiKey: goodKey,
  push: false,
  pollIntervalMs: 0,
  onError: () => {},
  fetch: (input, init) => {
    sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  },
});
const { client } = lectern;

const rollout = {
  id: "bundle-rollout-1",
  share: 0.5,
  fresh: {
    "agent/system": { version: 4, template: "new system" },
    "agent/tools": { version: 9, template: "new tools" },
  },
};

beforeEach(() => {
  sent.length = 0;
  lectern.fake.serve({ name: "agent/system", version: 3, template: "live system" });
  lectern.fake.serve({ name: "agent/tools", version: 8, template: "live tools" });
  lectern.fake.serve({ name: "agent/style", version: 2, template: "style" });
  lectern.fake.serveBundle("agent", ["agent/system", "agent/tools", "agent/style"], rollout);
});

/** A subject the fake puts on the given side. */
function subjectOn(arm: "new" | "live", from = 0): string {
  for (let i = from; ; i++) if (fakeBucket(`user-${i}`) < rollout.share === (arm === "new")) return `user-${i}`;
}

describe("getBundle with a subject", () => {
  it("sends the subject and answers its side of the bundle's rollout for every member", async () => {
    const subject = subjectOn("new");
    const b = await client().getBundle("agent", { subject });
    expect(lectern.fake.bundleRequests.map((q) => [q.get("environment"), q.get("subject")])).toEqual([
      ["production", subject],
    ]);
    expect(b).toMatchObject({ name: "agent", environment: "production", subject });
    expect(b.rollout).toEqual({ id: rollout.id, arm: "new" });
    expect(b.prompts["agent/system"]).toMatchObject({
      version: 4,
      rollout: { id: `${rollout.id}/agent/system`, arm: "new" },
    });
    expect(b.prompts["agent/tools"]!.render()).toBe("new tools");
    // A member the release leaves as it is has no rollout of its own.
    expect(b.prompts["agent/style"]).toMatchObject({ version: 2, rollout: null });
    // A track() of a member attributes it to that member's rollout and arm.
    expect(b.prompts["agent/tools"]!.eventFields(subject)).toMatchObject({
      prompt: "agent/tools",
      version: 9,
      experimentId: `${rollout.id}/agent/tools`,
      variant: "new",
    });

    const live = subjectOn("live");
    const l = await client().getBundle("agent", { subject: live });
    expect(l.rollout).toEqual({ id: rollout.id, arm: "live" });
    expect(Object.values(l.prompts).map((p) => p.version)).toEqual([3, 8, 2]);
  });

  it("gives 200 subjects consistent sides, each asked of the server, never one subject's answer to another", async () => {
    const c = client();
    const sides = { new: 0, live: 0 };
    for (let i = 0; i < 200; i++) {
      const subject = `subject-${i}`;
      const b = await c.getBundle("agent", { subject });
      const arm = fakeBucket(subject) < rollout.share ? "new" : "live";
      expect(b.rollout?.arm, subject).toBe(arm);
      expect(b.subject).toBe(subject);
      const changed = [b.prompts["agent/system"]!, b.prompts["agent/tools"]!];
      expect(changed.map((p) => p.rollout?.arm)).toEqual([arm, arm]);
      expect(changed.map((p) => p.version)).toEqual(arm === "new" ? [4, 9] : [3, 8]);
      sides[arm]++;
    }
    expect(sides.new).toBeGreaterThan(0);
    expect(sides.live).toBeGreaterThan(0);
    expect(lectern.fake.bundleRequests.map((q) => q.get("subject"))).toEqual(
      Array.from({ length: 200 }, (_, i) => `subject-${i}`),
    );
    // The same subject again: the same side, from a fresh answer.
    const again = await c.getBundle("agent", { subject: "subject-0" });
    expect(again.rollout?.arm).toBe(fakeBucket("subject-0") < rollout.share ? "new" : "live");
    expect(lectern.fake.bundleRequests).toHaveLength(201);
  });

  it("leaves the prompt cache alone and records no exposure itself (the server does)", async () => {
    const c = client();
    const subject = subjectOn("new");
    await c.getBundle("agent", { subject });
    // getPrompt is not served a bundle's per-subject answer: it asks for its own.
    const p = await c.getPrompt("agent/system");
    expect(p).toMatchObject({ version: 3, source: "network", rollout: null });
    await c.flush();
    expect(sent.filter((s) => s.startsWith("POST"))).toEqual([]);
  });

  it("without a subject, answers what the environment serves, with no rollout", async () => {
    const b = await client().getBundle("agent", { environment: "production" });
    expect(lectern.fake.bundleRequests[0]!.has("subject")).toBe(false);
    expect(b).toMatchObject({ rollout: null, subject: null });
    expect(Object.values(b.prompts).map((p) => [p.version, p.rollout])).toEqual([
      [3, null],
      [8, null],
      [2, null],
    ]);
  });

  it.each([
    ["over 256 characters", "x".repeat(257)],
    ["not a string", 42],
    ["null", null],
  ])("refuses a subject %s, naming the field, without asking the server", async (_, subject) => {
    const err = await client()
      .getBundle("agent", { subject } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LecternError);
    expect(err).toMatchObject({ code: "invalid_input", details: { field: "subject" } });
    expect((err as Error).message).toMatch(/^subject must be a string of at most 256 characters/);
    expect(lectern.fake.bundleRequests).toHaveLength(0);
  });

  it("takes a subject of exactly 256 characters, and refuses a bad environment or options", async () => {
    const subject = "é".repeat(256);
    expect((await client().getBundle("agent", { subject })).subject).toBe(subject);
    await expect(client().getBundle("agent", { environment: 7 } as never)).rejects.toMatchObject({
      code: "invalid_input",
      details: { field: "environment" },
    });
    await expect(client().getBundle("agent", "production" as never)).rejects.toThrow(
      "getBundle's options must be an object",
    );
    expect(lectern.fake.bundleRequests).toHaveLength(1);
  });
});
