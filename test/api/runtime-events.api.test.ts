// The runtime event stream (GET /api/v1/events), black-box against a running server: pushes, replay
// from Last-Event-ID, resets, revoked keys.
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call } from "./client";
import { livePrompt, newRuntimeKey } from "./runtime-setup";

let runtimeKey = "";

beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
});

describe("GET /api/v1/events", () => {
  /** Opens the stream and resolves once the server has said it is connected; `collect` then reads frames. */
  async function openEvents(headers: Record<string, string> = {}) {
    const ac = new AbortController();
    const res = await fetch(`${baseUrl}/api/v1/events`, {
      headers: { authorization: `Bearer ${runtimeKey}`, ...headers },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    const frames: string[] = [];
    const pump = async (until: (frames: string[]) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline && !until(frames)) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<{ done: true; value: undefined }>((r) =>
            setTimeout(() => r({ done: true, value: undefined }), Math.max(0, deadline - Date.now())),
          ),
        ]);
        if (chunk.done) break;
        buf += decoder.decode(chunk.value, { stream: true });
        const parts = buf.split("\n\n");
        buf = parts.pop()!;
        frames.push(...parts);
      }
      return frames.filter((p) => p.includes("event: prompt.changed"));
    };
    await pump((f) => f.some((x) => x.includes(": connected")), 5000);
    return {
      frames,
      collect: async (until: (frames: string[]) => boolean, ms = 5000) => {
        const r = await pump((f) => until(f.filter((p) => p.includes("event: prompt.changed"))), ms);
        ac.abort();
        return r;
      },
    };
  }

  it("pushes prompt.changed on a deployment, and replays from Last-Event-ID", async () => {
    const name = await livePrompt();
    const stream = await openEvents();
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmBreaking: true },
    });
    await call("POST", `/api/v1/prompts/${name}/rollback`, { body: { environment: "production" } });
    const frames = await stream.collect((f) =>
      f.some((x) => x.includes(`"name":"${name}"`) && x.includes('"action":"rollback"')),
    );
    const mine = frames.filter((f) => f.includes(`"name":"${name}"`));
    expect(mine.map((f) => JSON.parse(f.split("data: ")[1]!).action)).toEqual(["version", "promote", "rollback"]);
    const ids = mine.map((f) => Number(/^id: (\d+)/m.exec(f)![1]));
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    // Reconnecting after the first event replays the two that followed.
    const replay = await (
      await openEvents({ "last-event-id": String(ids[0]) })
    ).collect((f) => f.filter((x) => x.includes(`"name":"${name}"`)).length >= 2, 3000);
    const replayed = replay.filter((f) => f.includes(`"name":"${name}"`)).map((f) => Number(/^id: (\d+)/m.exec(f)![1]));
    expect(replayed).toEqual([ids[1], ids[2]]);
  });

  it("a client that missed more than 500 changes gets every one of them, in order (not silently the first 500)", async () => {
    const name = await livePrompt();
    const before: number = (await call("GET", "/api/v1/audit?limit=1")).body.data[0].id;
    const n = 520;
    for (let i = 0; i < n; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, (_, j) =>
          call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: `V${i + j} {{name}}` } }),
        ),
      );
    const replay = await (
      await openEvents({ "last-event-id": String(before) })
    ).collect((f) => f.filter((x) => x.includes(`"name":"${name}"`)).length >= n, 30_000);
    const ids = replay.filter((f) => f.includes(`"name":"${name}"`)).map((f) => Number(/^id: (\d+)/m.exec(f)![1]));
    expect(ids).toHaveLength(n);
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);
  });

  it("a Last-Event-ID beyond the newest change gets an explicit reset, then live events", async () => {
    const name = await livePrompt();
    const stream = await openEvents({ "last-event-id": "999999999999" });
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } });
    const live = await stream.collect((f) => f.some((x) => x.includes(`"name":"${name}"`)));
    expect(stream.frames.some((f) => f.includes("event: reset"))).toBe(true);
    expect(
      live.filter((f) => f.includes(`"name":"${name}"`)).map((f) => JSON.parse(f.split("data: ")[1]!).environment),
    ).toEqual(["staging"]);
  });

  it("refuses a revoked key", async () => {
    const k = await call("POST", "/api/v1/api-keys", { body: { name: "short-lived", scope: "runtime" } });
    expect((await call("GET", "/api/v1/prompts/resolve?name=x", { key: k.body.key })).status).toBe(404);
    await call("DELETE", `/api/v1/api-keys/${k.body.id}`);
    const r = await call("GET", "/api/v1/events", { key: k.body.key });
    expect(r.status).toBe(401);
    expect((await call("GET", "/api/v1/prompts/resolve?name=x", { key: k.body.key })).status).toBe(401);
  });
});
