// Runtime keys limited to environments, black-box against a running server: what they may read and
// send, and pinned answers saying they are pinned.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { livePrompt, newRuntimeKey } from "./runtime-setup";

let runtimeKey = "";

beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
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
    expect(unknown.body.error.message).toMatch(
      /^environments: no environment named nope\. This project has: .*staging/,
    );
  });
});
