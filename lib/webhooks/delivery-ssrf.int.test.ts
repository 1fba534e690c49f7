// The SSRF guard at delivery time: the address connected to is checked, not the one seen at creation.
import { describe, expect, it } from "vitest";
import { attemptDelivery } from "./deliver";
import { createWebhook } from "./webhooks";
import { config, dropHook, fx, hookAt, makeDue, names, newDelivery, rx, setUpWebhooks, t } from "./webhooks.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpWebhooks();

describe("deliveries", () => {
  it("checks the address it connects to: a name that now resolves to loopback is refused at delivery", async () => {
    // At creation the name resolved to a public address; by delivery time it points at 127.0.0.1.
    const hook = await createWebhook(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      { url: `http://rebind.test:${rx.port}/x`, events: ["prompt.version_created"] },
      { ...config, allowPrivate: false, resolver: names({ "rebind.test": "93.184.215.14" }) },
    );
    const rebound = names({ "rebind.test": "127.0.0.1" });
    const id = await newDelivery(hook.id);
    const out = await attemptDelivery(t.db, id, { ...config, allowPrivate: false, resolver: rebound });
    expect(out).toMatchObject({
      status: "retrying",
      statusCode: null,
      error: "refused: rebind.test resolves to 127.0.0.1, a loopback address",
    });
    expect(rx.requests).toHaveLength(0);
    // Control: the same resolver, private targets allowed — the request reaches the receiver through it.
    await makeDue(id);
    expect(await attemptDelivery(t.db, id, { ...config, allowPrivate: true, resolver: rebound })).toMatchObject({
      status: "delivered",
    });
    expect(rx.requests.map((r) => r.headers.host)).toEqual([`rebind.test:${rx.port}`]);
    await dropHook(hook.id);
  });

  it("refuses a literal private address at delivery when private targets are no longer allowed", async () => {
    const hook = await hookAt("/lit");
    const out = await attemptDelivery(t.db, await newDelivery(hook.id), {
      ...config,
      allowPrivate: false,
    });
    expect(out).toMatchObject({ status: "retrying", error: "refused: 127.0.0.1 is a loopback address" });
    expect(rx.requests).toHaveLength(0);
    await dropHook(hook.id);
  });
});
