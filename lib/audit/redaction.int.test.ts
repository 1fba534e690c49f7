// Audit rows are read by every member (Activity page, /api/v1/audit) and sent to webhooks: secrets in
// what an action changed (a webhook URL's user:password, its path token, its query) must not be there.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema";
import { f as fx, t, withReleaseDatabase } from "../../test/release-fixture";
import { createWebhook, deleteWebhook, type WebhookConfig } from "../webhooks/webhooks";
import { listAuditLog, listAudit } from "./record";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

const config: WebhookConfig = { encryptionKey: randomBytes(32), allowPrivate: true };
const secretUrl = "https://alice:pa55word-9@127.0.0.1:9/services/T0001/B0002/sEcReTtOkEn1234567890?token=qwerty-77";
const secrets = /pa55word|alice|sEcReTtOkEn|qwerty|T0001|B0002/;

withReleaseDatabase("redact");

describe("audit rows", () => {
  it("keep a webhook URL's origin only: no credentials, path or query, when written and when read", async () => {
    const hook = await createWebhook(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      { url: secretUrl, events: ["prompt.deployed"] },
      config,
    );
    await deleteWebhook(projectContext(t.db, fx.admin, fx.projectId, noEvents), hook.id);
    const rows = await listAudit(t.db, fx.projectId, { objectType: "webhook" });
    expect(rows.map((r) => r.action).sort()).toEqual(["webhook.create", "webhook.delete"]);
    expect(JSON.stringify(rows)).not.toMatch(secrets);
    expect(JSON.stringify(rows)).toContain("https://127.0.0.1:9/…");
    // Rows written before redaction existed are redacted when read.
    await t.db.insert(auditLog).values({
      projectId: fx.projectId,
      actorType: "system",
      actorLabel: "old",
      action: "webhook.create",
      objectType: "webhook",
      objectId: hook.id,
      after: { url: secretUrl, nested: { password: "hunter2-old", apiKey: "…abcd" } },
    });
    const old = (await listAudit(t.db, fx.projectId, { objectType: "webhook" }))[0]!;
    expect(JSON.stringify(old)).not.toMatch(/pa55word|sEcReTtOkEn|qwerty|hunter2/);
    // A key's mask is not a secret and stays.
    expect(old.after).toMatchObject({ nested: { apiKey: "…abcd" } });
    // The API's page: redacted too, newest first, `next` the cursor of the next page while pages are full.
    const first = await listAuditLog(t.db, fx.projectId, { objectType: "webhook", limit: 2 });
    expect(first.data.map((r) => r.action)).toEqual(["webhook.create", "webhook.delete"]);
    expect(JSON.stringify(first)).not.toMatch(/pa55word|sEcReTtOkEn|qwerty|hunter2/);
    expect(first.next).toBe(first.data[1]!.id);
    const last = await listAuditLog(t.db, fx.projectId, { objectType: "webhook", before: first.next!, limit: 2 });
    expect([last.data.map((r) => r.action), last.next]).toEqual([["webhook.create"], null]);
  });
});
