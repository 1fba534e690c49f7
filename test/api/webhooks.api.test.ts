// Webhooks over HTTP against a receiver in this process (the api-tier server may send to loopback):
// create (secret once), list, bad input, a change delivered and verified, the delivery log, a 500
// recorded for retry, redelivery, delete, permissions and 405s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../webhook-receiver";
import { call, errorCode } from "./client";
import { waitFor } from "../waits";

let rx: Receiver;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});

const count = async () => (await call("GET", "/api/v1/webhooks")).body.data.length as number;

describe("webhooks API", () => {
  it("refuses bad input with 400 naming the field, and writes nothing", async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{ events: ["prompt.deployed"] }, "url"],
      [{ url: "ftp://example.com/x", events: ["prompt.deployed"] }, "url"],
      [{ url: "https://example.com/x", events: [] }, "events"],
      [{ url: "https://example.com/x", events: ["prompt.exploded"] }, "events.0"],
      [{ url: "https://example.com/x", events: "prompt.deployed" }, "events"],
      [{ url: "https://example.com/x", events: ["prompt.deployed"], format: "xml" }, "format"],
      [{ url: "https://example.com/x", events: ["prompt.deployed"], description: "d".repeat(501) }, "description"],
    ];
    for (const [body, field] of cases) {
      const r = await call("POST", "/api/v1/webhooks", { body });
      expect([r.status, errorCode(r), r.body.error.details?.field]).toEqual([400, "invalid_input", field]);
      expect(r.body.error.message).toContain(field.split(".")[0]);
    }
    const badJson = await call("POST", "/api/v1/webhooks", {
      raw: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(badJson.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("a runtime key may not manage webhooks", async () => {
    const key = (await call("POST", "/api/v1/api-keys", { body: { name: `rt-${suffix}`, scope: "runtime" } })).body
      .key as string;
    for (const [method, path, body] of [
      ["GET", "/api/v1/webhooks", undefined],
      ["POST", "/api/v1/webhooks", { url: `${rx.url}/x`, events: ["prompt.deployed"] }],
    ] as const) {
      const r = await call(method, path, { key, body });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("forbidden");
    }
    expect((await call("GET", "/api/v1/webhooks", { key: null })).status).toBe(401);
  });

  it("delivers a change signed, logs it, records a failure for retry, redelivers, and stops after delete", async () => {
    const created = await call("POST", "/api/v1/webhooks", {
      body: {
        url: `${rx.url}/lectern`,
        events: ["prompt.version_created", "prompt.deployed"],
        description: `api ${suffix}`,
      },
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(created.body).toMatchObject({
      url: `${rx.url}/lectern`,
      events: ["prompt.version_created", "prompt.deployed"],
      format: "json",
      secretHint: `…${secret.slice(-4)}`,
    });
    const id: string = created.body.id;
    rx.secret = secret;

    const list = await call("GET", "/api/v1/webhooks");
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.data.find((w: { id: string }) => w.id === id)).toMatchObject({ description: `api ${suffix}` });

    // A change through the API reaches the receiver without anyone calling a cron route.
    const name = `hooked-${suffix}`;
    expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Hello" } })).status).toBe(
      201,
    );
    const first = await waitFor("the first delivery", () => rx.requests.find((r) => r.path === "/lectern"));
    expect(first.signature).toMatchObject({ ok: true });
    const event = JSON.parse(first.body);
    expect(event).toMatchObject({
      type: "prompt.version_created",
      data: { prompt: name, version: 1, source: "create" },
    });
    expect(event.id).toMatch(/^evt_\d+$/);

    const log = await waitFor("the log to say delivered", async () => {
      const r = await call("GET", `/api/v1/webhooks/${id}/deliveries`);
      return r.body.data[0]?.status === "delivered" ? r.body.data : null;
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      eventId: event.id,
      type: "prompt.version_created",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      redeliveryOf: null,
    });

    // The receiver fails the next one: the log shows a retry about 30 s later.
    rx.script = [{ status: 500, body: "down for maintenance" }];
    expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Hello again" } })).status).toBe(
      201,
    );
    const retrying = await waitFor("the failed attempt to be logged", async () => {
      const r = await call("GET", `/api/v1/webhooks/${id}/deliveries`);
      return r.body.data.find((d: { status: string }) => d.status === "retrying");
    });
    expect(retrying).toMatchObject({
      type: "prompt.version_created",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500: down for maintenance",
    });
    expect(Date.parse(retrying.nextAttemptAt) - Date.now()).toBeGreaterThan(5_000);

    // Redeliver the first event: a new delivery, same event id and body.
    const again = await call("POST", `/api/v1/webhooks/${id}/deliveries/${log[0].id}/redeliver`);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ eventId: event.id, redeliveryOf: log[0].id, status: "pending" });
    const repeat = await waitFor(
      "the redelivery",
      () => rx.requests.filter((r) => r.path === "/lectern" && r.body === first.body)[1],
    );
    expect(repeat.signature).toMatchObject({ ok: true });

    const page = await call("GET", `/api/v1/webhooks/${id}/deliveries?limit=1`);
    expect([page.status, page.body.data.length, typeof page.body.next]).toEqual([200, 1, "string"]);
    expect((await call("GET", `/api/v1/webhooks/${id}/deliveries?limit=0`)).body.error.details.field).toBe(
      "query.limit",
    );

    const deleted = await call("DELETE", `/api/v1/webhooks/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).toEqual(expect.any(String));
    expect((await call("GET", "/api/v1/webhooks")).body.data.some((w: { id: string }) => w.id === id)).toBe(false);
    expect((await call("GET", `/api/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${id}`)).status).toBe(404);
    const seen = rx.requests.length;
    expect(
      (await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "After delete" } })).status,
    ).toBe(201);
    await call("POST", "/api/cron/webhooks", { key: process.env.LECTERN_TEST_CRON_SECRET ?? "" }); // a sweep sends nothing either
    expect(rx.requests.length).toBe(seen);
  });

  it("unknown ids are 404; unsupported methods are 405 in the error shape", async () => {
    const zero = "00000000-0000-0000-0000-000000000000";
    for (const path of [`/api/v1/webhooks/${zero}`, `/api/v1/webhooks/not-a-uuid`])
      expect((await call("DELETE", path)).status).toBe(404);
    expect((await call("GET", `/api/v1/webhooks/${zero}/deliveries`)).status).toBe(404);
    expect((await call("POST", `/api/v1/webhooks/${zero}/deliveries/${zero}/redeliver`)).status).toBe(404);
    for (const [method, path] of [
      ["PUT", "/api/v1/webhooks"],
      ["GET", `/api/v1/webhooks/${zero}`],
      ["POST", `/api/v1/webhooks/${zero}/deliveries`],
      ["GET", `/api/v1/webhooks/${zero}/deliveries/${zero}/redeliver`],
    ] as const) {
      const r = await call(method, path);
      expect([r.status, errorCode(r)]).toEqual([405, "method_not_allowed"]);
    }
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/webhooks",
        "/api/v1/webhooks/{id}",
        "/api/v1/webhooks/{id}/deliveries",
        "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
      ]),
    );
    expect(
      doc.paths["/api/v1/webhooks"].post.requestBody.content["application/json"].schema.properties.events,
    ).toBeDefined();
  });
});
