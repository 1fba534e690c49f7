// Deliveries in the Slack format to slack webhooks.
import { describe, expect, it } from "vitest";
import { attemptDelivery } from "./deliver";
import { config, dropHook, fx, hookAt, newDelivery, promptSeq, rx, setUpWebhooks, t } from "./webhooks.fixture";

setUpWebhooks();

describe("deliveries", () => {
  it("sends the Slack format to slack webhooks", async () => {
    const hook = await hookAt("/slack", { format: "slack" });
    rx.secret = hook.secret;
    await attemptDelivery(t.db, await newDelivery(hook.id), config);
    const body = JSON.parse(rx.requests[0]!.body);
    expect(body.text).toBe(`*p-${promptSeq}*: version 1 saved by ${fx.editor.label}`);
    expect(body.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: body.text } });
    expect(rx.requests[0]!.signature?.ok).toBe(true);
    await dropHook(hook.id);
  });
});
