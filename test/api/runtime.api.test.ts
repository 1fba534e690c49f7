// The runtime resolve API and its events, black-box against a running server.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, errorCode } from "./client";

const uniq = () => randomBytes(4).toString("hex");
let runtimeKey = "";

beforeAll(async () => {
  const k = await call("POST", "/api/v1/api-keys", { body: { name: "runtime tests", scope: "runtime" } });
  runtimeKey = k.body.key;
});

async function livePrompt(extra: Record<string, unknown> = {}, environment = "production") {
  const name = `rt-${uniq()}`;
  const created = await call("POST", "/api/v1/prompts", {
    body: {
      name,
      type: "text",
      template: "Hello {{name}}{{#vip}}, welcome back{{/vip}}!",
      variables: [{ name: "name" }, { name: "vip", type: "boolean", required: false, default: false }],
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(
    (
      await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, {
        body: { environment, version: 1 },
      })
    ).status,
  ).toBe(201);
  return name;
}

const resolve = (q: string, headers: Record<string, string> = {}) =>
  call("GET", `/api/v1/prompts/resolve?${q}`, { key: runtimeKey, headers });

describe("GET /api/v1/prompts/resolve", () => {
  it("serves the live version with an ETag, 304 on If-None-Match, and echoes the subject", async () => {
    const name = await livePrompt();
    const r = await resolve(`name=${name}&subject=user-42`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name,
      version: 1,
      environment: "production",
      type: "text",
      experiment: null,
      subjectDependent: false,
      subject: "user-42",
    });
    expect(r.body.template).toContain("{{name}}");
    const etag = r.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const again = await resolve(`name=${name}`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("x-lectern-cache")).toBe("l1");
  });

  it("a rollback is served by the very next resolve, and the ETag changes", async () => {
    const name = await livePrompt();
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmBreaking: true },
    });
    const v2 = await resolve(`name=${name}`);
    expect(v2.body.version).toBe(2);
    await resolve(`name=${name}`); // now cached
    const rb = await call("POST", `/api/v1/prompts/${name}/rollback`, { body: { environment: "production" } });
    expect(rb.status).toBe(201);
    const after = await resolve(`name=${name}`, { "if-none-match": v2.headers.get("etag")! });
    expect(after.status).toBe(200);
    expect(after.body.version).toBe(1);
  });

  it("pins a version and answers what was live at an instant", async () => {
    const name = await livePrompt();
    const t1 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await call("POST", `/api/v1/prompts/${name}/versions`, {
      body: { template: "V2 {{name}}", variables: [{ name: "name" }] },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmBreaking: true },
    });
    expect((await resolve(`name=${name}&version=1`)).body.version).toBe(1);
    expect((await resolve(`name=${name}`)).body.version).toBe(2);
    expect((await resolve(`name=${name}&at=${encodeURIComponent(t1)}`)).body.version).toBe(1);
    const before = await resolve(`name=${name}&at=2001-01-01T00:00:00Z`);
    expect(before.status).toBe(404);
    expect(errorCode(before)).toBe("not_deployed");
  });

  it.each([
    ["name=does-not-exist", 404, "not_found"],
    ["name=Bad%7CName", 400, "invalid_input"],
    ["environment=production", 400, "invalid_input"],
    ["name=x&at=yesterday", 400, "invalid_input"],
    ["name=x&version=0", 400, "invalid_input"],
  ])("%s → %i %s", async (q, status, code) => {
    const r = await resolve(q);
    expect(r.status).toBe(status);
    expect(errorCode(r)).toBe(code);
  });

  it("404 not_deployed when nothing is live in that environment; unknown environment is not_found", async () => {
    const name = await livePrompt({}, "staging");
    const r = await resolve(`name=${name}`);
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe("not_deployed");
    expect(errorCode(await resolve(`name=${name}&environment=nowhere`))).toBe("not_found");
  });

  it("a runtime key cannot use the management API", async () => {
    const r = await call("POST", "/api/v1/prompts", {
      key: runtimeKey,
      body: { name: `x-${uniq()}`, type: "text", template: "x" },
    });
    expect(r.status).toBe(403);
  });
});

describe("POST /api/v1/prompts/resolve (render)", () => {
  it("renders sections and partials live in the same environment", async () => {
    const partial = `shared-${uniq()}`;
    await call("POST", "/api/v1/prompts", {
      body: { name: partial, type: "text", template: "Sign off as {{agent}}.", variables: [{ name: "agent" }] },
    });
    await call("POST", `/api/v1/prompts/${partial}/deployments`, { body: { environment: "production", version: 1 } });
    const name = `chat-${uniq()}`;
    await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "chat",
        template: [
          { role: "system", content: `Be brief.\n{{> ${partial}}}\nDone.` },
          { role: "user", content: "{{#items}}- {{.}}\n{{/items}}" },
        ],
        variables: [{ name: "items", type: "json" }],
      },
    });
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } });
    const r = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { items: ["a", "b"], agent: "Sam", extra: 1 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rendered).toEqual([
      { role: "system", content: "Be brief.\nSign off as Sam.\nDone." },
      { role: "user", content: "- a\n- b\n" },
    ]);
    expect(r.body.warnings.join(" ")).toMatch(/extra/);
  });

  it("422 missing_variables and invalid_variables name the variables", async () => {
    const name = await livePrompt();
    const missing = await call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { name, variables: {} } });
    expect(missing.status).toBe(422);
    expect(errorCode(missing)).toBe("missing_variables");
    expect(missing.body.error.details.missing).toEqual(["name"]);
    const invalid = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { name: "A", vip: "yes" } },
    });
    expect(invalid.status).toBe(422);
    expect(errorCode(invalid)).toBe("invalid_variables");
    expect(invalid.body.error.details.invalid[0].name).toBe("vip");
    const ok = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, variables: { name: "Ann", vip: true } },
    });
    expect(ok.body.rendered).toBe("Hello Ann, welcome back!");
  });
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

describe("runtime keys limited to environments, and pinned answers", () => {
  it("a limited key reads only its environments and only versions released there; pins say they are pinned", async () => {
    const name = await livePrompt({}, "staging");
    await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Unreleased {{name}}" } });
    const limited = await call("POST", "/api/v1/api-keys", {
      body: { name: "staging only", scope: "runtime", environments: ["staging"] },
    });
    expect(limited.status).toBe(201);
    expect(limited.body.environments).toEqual(["staging"]);
    const key = limited.body.key as string;
    const staging = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging`, { key });
    expect(staging.status).toBe(200);
    expect(staging.body.pinned).toBe(false);
    const prod = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=production`, { key });
    expect(prod.status).toBe(403);
    expect(prod.body.error.message).toBe("This API key may only read staging; production is not one of them.");
    expect(
      (await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging&version=2`, { key })).status,
    ).toBe(403);
    expect(
      (
        await call("POST", "/api/v1/prompts/resolve", {
          key,
          body: { name, environment: "staging", version: 2, variables: { name: "x" } },
        })
      ).status,
    ).toBe(403);
    const pinned = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging&version=1`, { key });
    expect(pinned.status).toBe(200);
    expect(pinned.body.pinned).toBe(true);
    // An unlimited key may pin anything, and the answer says it is pinned rather than live.
    const any = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=production&version=2`, {
      key: runtimeKey,
    });
    expect(any.status).toBe(200);
    expect(any.body).toMatchObject({ version: 2, environment: "production", pinned: true, liveSince: null });
  });

  it("a limited key may send events only for its environments: the batch is refused with 403, nothing stored", async () => {
    const name = await livePrompt({}, "staging");
    const key = (
      await call("POST", "/api/v1/api-keys", {
        body: { name: "staging events", scope: "runtime", environments: ["staging"] },
      })
    ).body.key as string;
    const ev = (id: string, environment?: string) => ({
      id,
      type: "feedback",
      prompt: name,
      version: 1,
      subject: "u1",
      value: 1,
      ...(environment && { environment }),
    });
    const tag = randomBytes(3).toString("hex");
    for (const [bad, environment] of [
      [ev(`p-${tag}`, "production"), "production"],
      [ev(`d-${tag}`), "production"], // no environment: production, as ingest counts it
    ] as const) {
      const r = await call("POST", "/api/v1/events", { key, body: { events: [ev(`ok-${tag}`, "staging"), bad] } });
      expect([r.status, errorCode(r)]).toEqual([403, "forbidden"]);
      expect(r.body.error.message).toBe(
        `This API key may only send events for staging; events[1] is for ${environment}. Nothing was stored.`,
      );
      expect(r.body.error.details).toMatchObject({ field: "events[1].environment", environment, allowed: ["staging"] });
    }
    // Nothing of either batch was stored: the good event is accepted as new now.
    const ok = await call("POST", "/api/v1/events", { key, body: { events: [ev(`ok-${tag}`, "staging")] } });
    expect([ok.status, ok.body]).toEqual([202, { accepted: 1, duplicates: 0 }]);
  });

  it("refuses limits on admin keys and unknown environments, naming the field", async () => {
    const admin = await call("POST", "/api/v1/api-keys", {
      body: { name: "x", scope: "admin", environments: ["staging"] },
    });
    expect(admin.status).toBe(400);
    expect(admin.body.error.details.field).toBe("environments");
    const unknown = await call("POST", "/api/v1/api-keys", {
      body: { name: "x", scope: "runtime", environments: ["nope"] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("environments: no environment named nope in this project.");
  });
});
