// The client against a real (small) HTTP server: caching, stale-while-revalidate, deduplication,
// ETags, fallbacks and typed errors. Push and polling are in updates.test.ts.
import { describe, expect, it } from "vitest";
import { closedPort, eventually, goodKey } from "../test/fake-server";
import { fakeLecternEachTest } from "../test/fake-lectern-each-test";
import { createClient } from "./client";
import { LecternAuthError, LecternError, LecternNetworkError, LecternNotFoundError } from "./errors";
import type { LecternClient } from "./types";

const lectern = fakeLecternEachTest({ apiKey: goodKey, push: false, pollIntervalMs: 0 });
const { client, errors } = lectern;

const count = (name: string, status?: number) =>
  lectern.fake.requests.filter((r) => r.name === name && (status === undefined || r.status === status)).length;
/** A clock the tests move by hand, so a cache lifetime passes without waiting for it. */
const clock = { t: 1_800_000_000_000, now: () => clock.t, pass: (ms: number) => void (clock.t += ms) };

describe("cache", () => {
  it("fetches once, then serves from memory", async () => {
    lectern.fake.serve({
      name: "greet",
      version: 1,
      template: "Hi {{name}}",
      variables: [{ name: "name", type: "string", required: true }],
      config: { model: "m" },
    });
    const c = client();
    const first = await c.getPrompt("greet");
    expect(first).toMatchObject({
      name: "greet",
      version: 1,
      environment: "production",
      type: "text",
      source: "network",
      isFallback: false,
      config: { model: "m" },
      experiment: null,
    });
    expect(first.render({ name: "Ada" })).toBe("Hi Ada");
    const second = await c.getPrompt("greet");
    expect(second.source).toBe("cache");
    expect(second.render({ name: "Bo" })).toBe("Hi Bo");
    expect(count("greet")).toBe(1);
  });

  it("keys by environment, version and subject", async () => {
    lectern.fake.serve({ name: "p", version: 3 });
    lectern.fake.serve({ name: "p", version: 2, environment: "staging" });
    const c = client();
    expect((await c.getPrompt("p")).version).toBe(3);
    expect((await c.getPrompt("p", { environment: "staging" })).version).toBe(2);
    await c.getPrompt("p", { subject: "u1" });
    await c.getPrompt("p", { subject: "u2" });
    await c.getPrompt("p", { subject: "u1" });
    expect(lectern.fake.requests.map((r) => r.environment)).toEqual([
      "production",
      "staging",
      "production",
      "production",
    ]);
  });

  it("shares one entry across subjects when the server says the answer does not depend on them", async () => {
    lectern.fake.serve({ name: "shared", version: 1, subjectDependent: false });
    lectern.fake.serve({ name: "split", version: 1, subjectDependent: true });
    const c = client();
    for (const subject of ["u1", "u2", "u3"]) {
      expect((await c.getPrompt("shared", { subject })).version).toBe(1);
      expect((await c.getPrompt("split", { subject })).version).toBe(1);
    }
    expect((await c.getPrompt("shared")).source).toBe("cache");
    expect(count("shared")).toBe(1);
    // One answer without a subject first (it could have carried an experiment's variants), then one per subject.
    expect(count("split")).toBe(4);
  });

  it("sends one request for many concurrent misses", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    lectern.fake.resolveDelayMs = 50;
    const c = client();
    const all = await Promise.all(Array.from({ length: 20 }, () => c.getPrompt("p")));
    expect(all.every((p) => p.version === 1)).toBe(true);
    expect(count("p")).toBe(1);
  });

  it("serves a stale entry at once and refreshes it in the background, once", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ cacheTtlMs: 60_000, now: clock.now });
    await c.getPrompt("p");
    lectern.fake.serve({ name: "p", version: 2 });
    lectern.fake.resolveDelayMs = 300;
    clock.pass(60_000);
    const stale = await Promise.all(Array.from({ length: 10 }, () => c.getPrompt("p")));
    expect(count("p")).toBe(1); // answered before the (slow) refresh came back
    expect(stale.every((p) => p.version === 1 && p.source === "cache")).toBe(true);
    await eventually(async () => (await c.getPrompt("p")).version === 2, 2_000, "the refreshed version");
    expect(count("p")).toBe(2);
  });

  it("revalidates with If-None-Match and treats 304 as still fresh", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ cacheTtlMs: 60_000, now: clock.now });
    await c.getPrompt("p");
    clock.pass(60_000);
    await c.getPrompt("p");
    await eventually(() => count("p", 304) === 1, 2_000, "a 304");
    expect(lectern.fake.requests[1]!.ifNoneMatch).toBe('"p-1-"');
    const again = await c.getPrompt("p");
    expect(again.version).toBe(1);
    expect(count("p")).toBe(2); // fresh again after the 304: no third request
  });

  it("keeps serving what it has when a refresh fails, and reports the failure", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ cacheTtlMs: 60_000, now: clock.now });
    await c.getPrompt("p");
    lectern.fake.resolveStatus = 503;
    clock.pass(60_000);
    expect((await c.getPrompt("p")).version).toBe(1);
    await eventually(() => errors.length > 0, 2_000, "an onError call");
    expect(errors[0]).toBeInstanceOf(LecternError);
    expect((errors[0] as LecternError).status).toBe(503);
    expect((await c.getPrompt("p")).version).toBe(1);
  });

  it("drops an entry the server no longer serves", async () => {
    lectern.fake.serve({ name: "p", version: 1 });
    const c = client({ cacheTtlMs: 60_000, now: clock.now });
    await c.getPrompt("p");
    lectern.fake.unserve("p");
    clock.pass(60_000);
    expect((await c.getPrompt("p")).version).toBe(1); // stale: served, and the refresh learns of the 404
    await eventually(() => count("p", 404) === 1);
    await eventually(() => errors.some((e) => e instanceof LecternNotFoundError));
    await expect(c.getPrompt("p")).rejects.toBeInstanceOf(LecternNotFoundError);
  });
});

describe("eventFields", () => {
  it("attributes an event to the version, and to the subject's variant in an experiment", async () => {
    lectern.fake.serve({ name: "plain", version: 3 });
    lectern.fake.serve({ name: "tested", version: 2, experiment: { id: "exp-1", variant: "B", phase: 2 } });
    const c = client();
    expect((await c.getPrompt("plain")).eventFields("u1")).toEqual({
      prompt: "plain",
      version: 3,
      environment: "production",
      subject: "u1",
    });
    expect((await c.getPrompt("tested", { subject: "u2" })).eventFields("u2")).toEqual({
      prompt: "tested",
      version: 2,
      environment: "production",
      subject: "u2",
      experimentId: "exp-1",
      variant: "B",
      phase: 2,
    });
  });
});

describe("telemetry", () => {
  it("gives the span attributes that link a model call to the version, its variant and its input", async () => {
    lectern.fake.serve({ name: "plain", version: 3 });
    lectern.fake.serve({ name: "tested", version: 2, experiment: { id: "exp-1", variant: "B", phase: 2 } });
    const c = client();
    expect((await c.getPrompt("plain")).telemetry()).toEqual({
      "lectern.prompt.name": "plain",
      "lectern.prompt.version": 3,
      "lectern.environment": "production",
    });
    expect(
      (await c.getPrompt("tested", { subject: "u2" })).telemetry({ subject: "u2", variables: { city: "Oslo" } }),
    ).toEqual({
      "lectern.prompt.name": "tested",
      "lectern.prompt.version": 2,
      "lectern.environment": "production",
      "lectern.subject": "u2",
      "lectern.variables": '{"city":"Oslo"}',
      "lectern.experiment.id": "exp-1",
      "lectern.experiment.variant": "B",
      "lectern.experiment.phase": 2,
    });
  });
});

describe("fallback and typed errors", () => {
  it("serves the fallback when the server is unreachable and nothing is cached", async () => {
    const c = client({ baseUrl: await closedPort() });
    const p = await c.getPrompt("greet", { fallback: "Hello {{name}}" });
    expect(p).toMatchObject({ name: "greet", version: 0, isFallback: true, source: "fallback", type: "text" });
    expect(p.render({ name: "Ada" })).toBe("Hello Ada");
    expect(errors.some((e) => e instanceof LecternError && e.code === "fallback")).toBe(true);
    await expect(c.getPrompt("other")).rejects.toBeInstanceOf(LecternNetworkError);
  });

  it("serves the fallback on 5xx and on a timeout", async () => {
    lectern.fake.resolveStatus = 500;
    const c = client({ timeoutMs: 50 });
    expect(
      (await c.getPrompt("a", { fallback: { type: "chat", template: [{ role: "user", content: "x" }] } })).isFallback,
    ).toBe(true);
    lectern.fake.resolveStatus = undefined;
    lectern.fake.serve({ name: "b", version: 1 });
    lectern.fake.resolveDelayMs = 300;
    const err = await c.getPrompt("b").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LecternNetworkError);
    expect((err as LecternNetworkError).code).toBe("timeout");
  });

  it("answers from the fallback at once while backing off after a failure", async () => {
    lectern.fake.resolveStatus = 500;
    const c = client();
    await c.getPrompt("a", { fallback: "x" });
    await c.getPrompt("a", { fallback: "x" });
    await c.getPrompt("a", { fallback: "x" });
    expect(count("a")).toBe(1);
  });

  it("never uses the fallback for 404 or 401", async () => {
    const c = client();
    const missing = await c.getPrompt("nope", { fallback: "x" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LecternNotFoundError);
    expect(missing).toMatchObject({ code: "not_found", status: 404, details: { prompt: "nope" } });
    const badKey = client({ apiKey: "lk_rt_wrong" });
    const denied = await badKey.getPrompt("nope", { fallback: "x" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(LecternAuthError);
    expect(denied).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("reports a baseUrl that does not answer like Lectern as a network error", async () => {
    const c = client({ baseUrl: `${lectern.fake.url}/html/` });
    const err = await c.getPrompt("p").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LecternNetworkError);
    expect(err).toMatchObject({ code: "invalid_response", status: 200 });
    expect((await c.getPrompt("p", { fallback: "f" })).isFallback).toBe(true);
  });

  it("rejects bad options up front", () => {
    expect(() => createClient({ baseUrl: "localhost:3000", apiKey: "k" })).toThrow(/baseUrl/);
    expect(() => createClient({ baseUrl: "http://x", apiKey: "" })).toThrow(/apiKey/);
    expect(() => createClient({ baseUrl: "http://x", apiKey: "k", cacheTtlMs: -1 })).toThrow(/cacheTtlMs/);
    expect(() => createClient({ baseUrl: "http://x", apiKey: "k", now: 5 as unknown as () => number })).toThrow(/now/);
    expect(() => createClient({ baseUrl: "http://x", apiKey: "k", bootstrap: {} as never })).toThrow(/snapshot/);
  });
});

describe("snapshot and bootstrap", () => {
  it("starts from a snapshot without the network, then revalidates it with its ETag", async () => {
    lectern.fake.serve({
      name: "a",
      version: 4,
      template: "A {{x}}",
      variables: [{ name: "x", type: "number", required: true }],
    });
    lectern.fake.serve({
      name: "b",
      version: 2,
      environment: "staging",
      type: "chat",
      template: [{ role: "system", content: "B" }],
    });
    const source = client({ now: clock.now });
    await source.getPrompt("a");
    await source.getPrompt("b", { environment: "staging", subject: "u1" });
    const snap = JSON.parse(JSON.stringify(source.snapshot())) as ReturnType<LecternClient["snapshot"]>;
    expect(snap.createdAt).toBe(new Date(clock.t).toISOString()); // dated by the client's clock
    // b: the answer shared by all subjects (asked first), and u1's own.
    expect(snap.entries).toHaveLength(3);

    const offline = client({ baseUrl: await closedPort(), bootstrap: snap });
    const a = await offline.getPrompt("a");
    expect(a).toMatchObject({ version: 4, source: "bootstrap", isFallback: false });
    expect(a.render({ x: 1 })).toBe("A 1");
    // Another subject is not in the snapshot; in an outage the snapshot's entry is still the best answer.
    expect((await offline.getPrompt("b", { environment: "staging", subject: "u2" })).version).toBe(2);

    const online = client({ bootstrap: snap });
    expect((await online.getPrompt("a")).source).toBe("bootstrap");
    await eventually(async () => (await online.getPrompt("a")).source === "cache", 2_000, "revalidation");
    expect(lectern.fake.requests.at(-1)).toMatchObject({ name: "a", status: 304 });
  });
});
