// An offline client (createClient({ offline: true })): what code whose Lectern settings are unset runs on.
// It makes no request at all, serves fallbacks, throws without one, and drops track() events.
import { describe, expect, it } from "vitest";
import { fakeLecternEachTest } from "../test/fake-lectern-each-test";
import { createClient } from "./client";
import { LecternNetworkError } from "./errors";

const lectern = fakeLecternEachTest({ apiKey: "k" });
const { client, errors } = lectern;

describe("offline", () => {
  it("needs no baseUrl or key, asks nothing, serves fallbacks and says so, and throws without one", async () => {
    lectern.fake.serve({ name: "p", version: 3, template: "From Lectern" });
    const asked: string[] = [];
    const fetch = ((url: string) => {
      asked.push(url);
      return Promise.reject(new Error("no request expected"));
    }) as unknown as typeof globalThis.fetch;
    const c = client({ baseUrl: "", apiKey: "", offline: true, fetch, push: true, pollIntervalMs: 10 });
    const p = await c.getPrompt("p", {
      fallback: { type: "text", template: "Hi {{who}}", variables: [{ name: "who" }] },
    });
    expect(p).toMatchObject({ version: 0, source: "fallback", isFallback: true });
    expect(p.render({ who: "Ann" })).toBe("Hi Ann");
    expect(errors.map((e) => e.message)).toEqual([
      "Serving the fallback of p: Lectern is not configured (the client is offline): no request was made",
    ]);
    const err = await c.getPrompt("q").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LecternNetworkError);
    expect(err).toMatchObject({ code: "offline" });
    c.track({ type: "metric", prompt: "p", version: 0, subject: "u", name: "thumbs", value: 1 });
    await c.flush();
    await new Promise((r) => setTimeout(r, 50)); // past a poll interval
    await c.close();
    expect(asked).toEqual([]);
    expect(lectern.fake.requests).toEqual([]);
    // The same options without offline are refused up front, as before.
    expect(() => createClient({ baseUrl: "", apiKey: "" })).toThrow(/baseUrl/);
  });
});
