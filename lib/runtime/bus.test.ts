import { describe, expect, it } from "vitest";
import type { PromptChanged } from "../announcements";
import { InvalidationBus, type Invalidatable } from "./bus";
import { MemoryStore } from "./shared-store";

// The bus's link to the process beside it (`npm start` runs Next in a process of its own): what one side
// announces, the other applies, in order, after the shared epoch bump, whether or not the store answers.

/** Caches that write what was done to them into `log`. */
function recording(log: string[], failShared = false): { prompts: Invalidatable; keys: Invalidatable } {
  const cache = (name: string): Invalidatable => ({
    invalidateLocal: (scope) => void log.push(`${name} local ${scope}`),
    invalidateAllLocal: () => void log.push(`${name} all local`),
    invalidateShared: async (scope) => {
      await new Promise((r) => setTimeout(r, 5));
      if (failShared) throw new Error("store down");
      log.push(`${name} shared ${scope}`);
      return 1;
    },
    invalidateAllShared: async () => {
      if (failShared) throw new Error("store down");
      log.push(`${name} all shared`);
      return 1;
    },
  });
  return { prompts: cache("prompts"), keys: cache("keys") };
}

const change = (projectId: string, version: number): PromptChanged => ({
  projectId,
  prompt: "p",
  environment: "production",
  version,
  action: "promote",
  seq: version,
});

/** Two buses linked as Lectern's server and its Next process are (each on its own in-process store). */
function pair(opts: { failShared?: boolean } = {}) {
  const nextLog: string[] = [];
  const frontLog: string[] = [];
  const errors: string[] = [];
  const next = new InvalidationBus(
    new MemoryStore(),
    recording(nextLog, opts.failShared),
    (what) => void errors.push(what),
  );
  const front = new InvalidationBus(new MemoryStore(), recording(frontLog), (what) => void errors.push(what));
  next.link((raw) => {
    nextLog.push("told the front");
    front.receiveLinked(raw);
  });
  front.link((raw) => next.receiveLinked(raw));
  return { next, front, nextLog, frontLog, errors };
}

describe("InvalidationBus link", () => {
  it("applies each message once when it comes through both the link and Pub/Sub, in either order", async () => {
    const sent: string[] = [];
    const nextBus = new InvalidationBus(new MemoryStore(), recording([]));
    nextBus.link((raw) => void sent.push(raw));
    await nextBus.publish(change("proj", 1));
    await nextBus.keysChanged();
    await nextBus.publish(change("proj", 2));
    const frontLog: string[] = [];
    const front = new InvalidationBus(new MemoryStore(), recording(frontLog));
    const heard: number[] = [];
    front.listen("proj", (e) => heard.push(e.version));
    // The link's copies, then Pub/Sub's late copies of the first two; and the third by Pub/Sub before the link.
    const [a, b, c] = sent as [string, string, string];
    for (const raw of [a, b, a, c, b, c]) front.receiveLinked(raw);
    expect(frontLog).toEqual(["prompts local proj", "keys all local", "prompts local proj"]);
    expect(heard).toEqual([1, 2]);
    // Another instance numbers its own messages: its first is not a copy of this one's first.
    const other = new InvalidationBus(new MemoryStore(), recording([]));
    other.link((raw) => front.receiveLinked(raw));
    await other.publish(change("proj", 3));
    expect(heard).toEqual([1, 2, 3]);
    // A message without a number (a process of an earlier release) is applied each time.
    const unnumbered = JSON.stringify({ origin: "old", kind: "prompt", event: change("proj", 4) });
    front.receiveLinked(unnumbered);
    front.receiveLinked(unnumbered);
    expect(heard).toEqual([1, 2, 3, 4, 4]);
  });

  it("a change announced in one process is applied in the other, in order, and reaches its listeners", async () => {
    const { next, front, frontLog } = pair();
    const heard: number[] = [];
    front.listen("proj", (e) => heard.push(e.version));
    for (const v of [1, 2, 3]) await next.publish(change("proj", v));
    expect(frontLog).toEqual(["prompts local proj", "prompts local proj", "prompts local proj"]);
    expect(heard).toEqual([1, 2, 3]);
  });

  it("tells the linked process only after the shared epoch bump (it must not read the old entry back from L2)", async () => {
    const { next, nextLog } = pair();
    await next.publish(change("proj", 1));
    expect(nextLog).toEqual(["prompts local proj", "prompts shared proj", "told the front"]);
  });

  it("tells the linked process even when the store does not answer, and logs the failure", async () => {
    const { next, frontLog, errors } = pair({ failShared: true });
    await next.publish(change("proj", 1));
    await next.keysChanged();
    expect(frontLog).toEqual(["prompts local proj", "keys all local"]);
    expect(errors).toEqual(["publish invalidation", "publish key revocation"]);
  });

  it("key revocations and recoveries cross the link too; the other direction works the same", async () => {
    const { next, front, nextLog, frontLog } = pair();
    await next.keysChanged();
    expect(frontLog).toEqual(["keys all local"]);
    const resets: string[] = [];
    next.listen("", (e) => resets.push(e.action));
    await front.recover();
    expect(nextLog).toContain("keys all local");
    expect(nextLog).toContain("prompts all local");
    expect(resets).toEqual(["reset"]);
  });

  it("ignores what it sent itself when the store brings it back, and survives a link that throws", async () => {
    const errors: string[] = [];
    const store = new MemoryStore();
    const log: string[] = [];
    const bus = new InvalidationBus(store, recording(log), (what) => void errors.push(what));
    await bus.start();
    bus.link(() => {
      throw new Error("channel closed");
    });
    await bus.publish(change("proj", 1));
    await new Promise((r) => setTimeout(r, 10)); // the store delivers on a microtask
    expect(log).toEqual(["prompts local proj", "prompts shared proj"]); // dropped once: its own message from the store is skipped
    expect(errors).toEqual(["publish invalidation (to the linked process)"]);
  });
});
