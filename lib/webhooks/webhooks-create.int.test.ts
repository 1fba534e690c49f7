// Creating webhooks against a real database: the secret shown once and stored encrypted, bad input
// and SSRF refused, admins only.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhooks } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { decryptSecret } from "../llm/secrets";
import { createWebhook, listWebhooks } from "./webhooks";
import { config, dropHook, fx, hookAt, key, names, rx, setUpWebhooks, t } from "./webhooks.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpWebhooks();

describe("creating webhooks", () => {
  it("shows the secret once, stores it encrypted, lists without it", async () => {
    const created = await hookAt("/in", { description: "ci" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.select().from(webhooks).where(eq(webhooks.id, created.id));
    expect(row!.secret).not.toContain(created.secret);
    expect(row!.secret).toMatch(/^v1\./);
    expect(decryptSecret(row!.secret, key, `webhook:${created.id}`)).toBe(created.secret);
    expect(() => decryptSecret(row!.secret, randomBytes(32), `webhook:${created.id}`)).toThrow();
    const listed = await listWebhooks(projectContext(t.db, fx.admin, fx.projectId, noEvents));
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed.find((w) => w.id === created.id)).toMatchObject({
      url: `${rx.url}/in`,
      events: ["prompt.version_created"],
      description: "ci",
      format: "json",
      secretHint: created.secret.slice(-4).padStart(5, "…"),
    });
    await dropHook(created.id);
  });

  it.each([
    [{ url: "ftp://example.com/x", events: ["prompt.deployed"] }, "invalid_input", "url"],
    [{ url: "not a url", events: ["prompt.deployed"] }, "invalid_input", "url"],
    [{ url: "https://example.com/x", events: [] }, "invalid_input", "events"],
    [{ url: "https://example.com/x", events: ["prompt.exploded"] }, "invalid_input", "events.0"],
    [{ url: "https://example.com/x", events: ["prompt.deployed", "prompt.deployed"] }, "invalid_input", "events"],
    [{ url: "https://example.com/x", events: ["prompt.deployed"], format: "xml" }, "invalid_input", "format"],
    [{ events: ["prompt.deployed"] }, "invalid_input", "url"],
  ])("refuses %j (%s, field %s) and writes nothing", async (input, code, field) => {
    const before = (await t.db.select().from(webhooks)).length;
    const e = await failure(
      createWebhook(projectContext(t.db, fx.admin, fx.projectId, noEvents), input as never, {
        ...config,
        resolver: names({ "example.com": "93.184.215.14" }),
      }),
    );
    expect([e.code, e.details?.field]).toEqual([code, field]);
    expect((await t.db.select().from(webhooks)).length).toBe(before);
  });

  it.each([
    ["http://127.0.0.1:9/x", "loopback"],
    ["http://[::1]/x", "loopback"],
    ["http://10.0.0.8/x", "private"],
    ["http://169.254.169.254/latest/meta-data/", "metadata"],
    ["http://internal.test/x", "private"],
    ["http://localhost:3000/x", "loopback"],
  ])("refuses %s (%s) unless private targets are allowed", async (url, kind) => {
    const strict = { ...config, allowPrivate: false, resolver: names({ "internal.test": "192.168.1.20" }) };
    const e = await failure(
      createWebhook(
        projectContext(t.db, fx.admin, fx.projectId, noEvents),
        { url, events: ["prompt.deployed"] },
        strict,
      ),
    );
    expect(e.code).toBe("unprocessable");
    expect(e.details).toMatchObject({ field: "url", kind });
    expect(
      (await listWebhooks(projectContext(t.db, fx.admin, fx.projectId, noEvents))).some((w) =>
        w.url.startsWith(url.slice(0, 15)),
      ),
    ).toBe(false);
  });

  // That only admins manage webhooks is the wrapper's (action-permissions.int.test.ts, own-action-permissions.int.test.ts).
});
