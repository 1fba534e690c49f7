// Deliveries in the Slack format to slack webhooks.
import { describe, expect, it } from "vitest";
import { attemptDelivery } from "./deliver";
import { createWebhook, deleteWebhook } from "./webhooks";
import { config, fx, newEvent, promptSeq, rx, setUpWebhooks, t } from "./webhooks.fixture";

setUpWebhooks();

describe("deliveries", () => {
  it("sends the Slack format to slack webhooks", async () => {
    const hook = await createWebhook(
      t.db,
      fx.admin,
      fx.projectId,
      { url: `${rx.url}/slack`, events: ["prompt.version_created"], format: "slack" },
      config,
    );
    rx.secret = hook.secret;
    const { deliveries } = await newEvent();
    await attemptDelivery(t.db, deliveries.find((d) => d.webhookId === hook.id)!.id, config);
    const body = JSON.parse(rx.requests[0]!.body);
    expect(body.text).toBe(`*p-${promptSeq}*: version 1 saved by ${fx.editor.label}`);
    expect(body.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: body.text } });
    expect(rx.requests[0]!.signature?.ok).toBe(true);
    await deleteWebhook(t.db, fx.admin, fx.projectId, hook.id);
  });
});
