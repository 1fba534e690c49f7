// Push updates over a real event stream (both transports), reconnects, polling, and not keeping
// the process alive.
import { describe, expect, it } from "vitest";
import { eventually, goodKey } from "../test/fake-server";
import { fakeLecternEachTest } from "../test/fake-lectern-each-test";
import { runChild } from "../test/run-child";
import type { LecternClient } from "./types";

const lectern = fakeLecternEachTest({ apiKey: goodKey });
const { client, errors } = lectern;

const count = (name: string) => lectern.fake.requests.filter((r) => r.name === name).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const version = async (c: LecternClient, name: string, environment?: string) =>
  (await c.getPrompt(name, { environment })).version;

describe.each([
  ["node:http", {}],
  ["fetch", { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) }],
])("push over %s", (_, transport) => {
  it("flips a cached prompt to the new version when a change is announced", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client(transport);
    expect(await version(c, "p")).toBe(1);
    await eventually(() => lectern.fake.openStreams() === 1, 2_000, "the event stream");
    // Opened without Last-Event-ID: everything cached is revalidated once, in case a change was missed.
    await eventually(() => count("p") === 2);
    lectern.fake.serve({ name: "p", version: 2 });
    lectern.fake.emit({ name: "p", environment: "production", version: 2 }, 10, true);
    await eventually(async () => (await version(c, "p")) === 2, 2_000, "version 2");
    expect(count("p")).toBe(3);
  });

  it("ignores changes to other environments and new versions that change no environment", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client(transport);
    await c.getPrompt("p");
    await eventually(() => lectern.fake.openStreams() === 1 && count("p") === 2);
    lectern.fake.emit({ name: "p", environment: "staging", version: 2 }, 11);
    lectern.fake.emit({ name: "p", environment: null, version: 2, action: "version" }, 12);
    lectern.fake.emit({ name: "q", environment: "production", version: 2 }, 13);
    // A change that does apply, sent last: once it is handled, the others have been too.
    lectern.fake.serve({ name: "p", version: 3 });
    lectern.fake.emit({ name: "p", environment: "production", version: 3 }, 14);
    await eventually(async () => (await version(c, "p")) === 3);
    expect(count("p")).toBe(3);
    expect(count("q")).toBe(0);
  });
});

describe("push", () => {
  it("refreshes prompts that include a changed partial", async () => {
    lectern.fake.serve({
      name: "outer",
      version: 1,
      template: "{{> tone}}",
      partials: { tone: { version: 1, template: "calm", variables: [] } },
    });
    const c = client();
    expect((await c.getPrompt("outer")).render()).toBe("calm");
    await eventually(() => lectern.fake.openStreams() === 1 && count("outer") === 2);
    lectern.fake.serve({
      name: "outer",
      version: 1,
      template: "{{> tone}}",
      partials: { tone: { version: 2, template: "warm", variables: [] } },
    });
    lectern.fake.emit({ name: "tone", environment: "production", version: 2 }, 20);
    await eventually(async () => (await c.getPrompt("outer")).render() === "warm");
  });

  it("refetches when a change arrives while a refresh that may have read the old state is in flight", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client();
    await c.getPrompt("p");
    await eventually(() => lectern.fake.openStreams() === 1 && count("p") === 2);
    lectern.fake.resolveDelayMs = 150;
    const arrived = lectern.fake.arrived;
    lectern.fake.emit({ name: "p", environment: "production", version: 1 }, 30); // starts a refresh that reads v1
    await eventually(() => lectern.fake.arrived === arrived + 1, 2_000, "the first refresh to reach the server");
    lectern.fake.serve({ name: "p", version: 2 });
    lectern.fake.emit({ name: "p", environment: "production", version: 2 }, 31);
    await eventually(async () => (await version(c, "p")) === 2, 3_000, "version 2");
  });

  it("reconnects with Last-Event-ID after the stream ends", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client();
    await c.getPrompt("p");
    await eventually(() => lectern.fake.openStreams() === 1);
    lectern.fake.emit({ name: "p", environment: "staging", version: 1 }, 41);
    await sleep(20);
    lectern.fake.dropStreams();
    await eventually(() => lectern.fake.streams.length === 2 && lectern.fake.openStreams() === 1, 3_000, "a reconnect");
    expect(lectern.fake.streams).toEqual(["", "41"]);
  });

  it("falls back to polling when the events endpoint is missing", async () => {
    lectern.fake.eventsStatus = 404;
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ pollIntervalMs: 30 });
    await c.getPrompt("p");
    lectern.fake.serve({ name: "p", version: 2 });
    await eventually(async () => (await version(c, "p")) === 2, 2_000, "polling to pick up version 2");
    expect(lectern.fake.streams).toEqual([""]); // one attempt, then no more
    expect(errors.some((e) => /polling/.test(e.message))).toBe(true);
  });

  it("polls when push is off, and close() stops everything", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ push: false, pollIntervalMs: 30 });
    await c.getPrompt("p");
    lectern.fake.serve({ name: "p", version: 2 });
    await eventually(async () => (await version(c, "p")) === 2);
    expect(lectern.fake.streams).toEqual([]);
    await c.close();
    const before = lectern.fake.requests.length;
    await sleep(100);
    expect(lectern.fake.requests.length).toBe(before);
  });

  it("closes the event stream on close()", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client();
    await c.getPrompt("p");
    await eventually(() => lectern.fake.openStreams() === 1);
    await c.close();
    await eventually(() => lectern.fake.openStreams() === 0, 2_000, "the stream to close");
    await sleep(150); // longer than the server's retry: 100
    expect(lectern.fake.streams).toHaveLength(1);
  });

  it("does not keep a Node process alive without close()", async () => {
    lectern.fake.serve({ name: "p", version: 7 });
    const { code, out } = await runChild("exit-child.ts", [lectern.fake.url, goodKey], 20_000);
    expect(out).toContain("served version 7");
    expect(code).toBe(0);
    expect(lectern.fake.streams.length).toBeGreaterThanOrEqual(1); // the stream was open, and still the process ended
  }, 30_000);
});
