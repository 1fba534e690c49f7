// The dispatcher on the real database: which audit entries become which deliveries, exactly once,
// a long backlog processed in batches, and the whole path through the job queue and NOTIFY (its
// test uses the prompt the first one creates).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { testLog, waitFor } from "../../test/jobs";
import { dispatchAll } from "../../test/webhook-receiver";
import { JobRegistry, startJobs } from "../jobs";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { rollbackPrompt } from "../release/rollback";
import { decideReview, requestReview } from "../release/reviews/reviews";
import { auditBacklog, dispatchAuditEvents } from "./dispatch";
import { webhookEvents } from "./events";
import { watchAudit, webhookJobs } from "./webhook-jobs";
import { config, deliveriesOf, fx, hookAt, rx, setUpWebhooks, t } from "./webhooks.fixture";

setUpWebhooks("dispatch");

describe("audit entries → deliveries", () => {
  it("maps a release workflow to events, each once, only for subscribed webhooks created before the entry", async () => {
    await dispatchAll(t.db); // start from a clean position
    const all = await hookAt("/all", { events: [...webhookEvents] });
    const rollbacks = await hookAt("/rb", { events: ["prompt.rolled_back"] });
    const ed = fx.ctx(fx.editor);
    await createPrompt(ed, { name: "flow", type: "text", template: "one" });
    await createVersion(ed, "flow", { template: "two", commitMessage: "second" });
    await promoteVersion(ed, "flow", { environment: "development", version: 1 });
    await promoteVersion(ed, "flow", { environment: "development", version: 2, reason: "ship it" });
    await rollbackPrompt(fx.ctx(fx.approver), "flow", { environment: "development", reason: "bad answers" });
    await rollbackPrompt(
      fx.ctx(fx.approver),
      "flow",
      { environment: "development", version: 2, reason: "thumbs down 12%", confirmRolledBack: true },
      { action: "auto_rollback" },
    );
    const approved = await requestReview(ed, "flow", { version: 2, environment: "production" });
    await decideReview(fx.ctx(fx.approver), approved.id, { decision: "approve", comment: "lgtm" });
    const rejected = await requestReview(ed, "flow", { version: 1, environment: "staging", deployOnApprove: false });
    await decideReview(fx.ctx(fx.approver2), rejected.id, { decision: "reject", comment: "no" });

    const first = await dispatchAll(t.db);
    expect(first.examined).toBe(11);
    const got = await deliveriesOf(all.id);
    expect(got.map((d) => d.type)).toEqual([
      "prompt.version_created",
      "prompt.version_created",
      "prompt.deployed",
      "prompt.deployed",
      "prompt.rolled_back",
      "prompt.rolled_back",
      "review.requested",
      "review.decided",
      "prompt.deployed",
      "review.requested",
      "review.decided",
    ]);
    expect(got[1]!.data).toMatchObject({
      prompt: "flow",
      version: 2,
      commitMessage: "second",
      source: "save",
      actor: { type: "user", label: fx.editor.label },
    });
    expect(got[3]!.data).toMatchObject({
      prompt: "flow",
      environment: "development",
      version: 2,
      previousVersion: 1,
      reason: "ship it",
      automatic: false,
    });
    expect(got[4]!.data).toMatchObject({
      prompt: "flow",
      environment: "development",
      version: 1,
      previousVersion: 2,
      reason: "bad answers",
      automatic: false,
    });
    expect(got[5]!.data).toMatchObject({
      prompt: "flow",
      version: 2,
      previousVersion: 1,
      reason: "thumbs down 12%",
      automatic: true,
    });
    expect(got[6]!.data).toMatchObject({
      reviewId: approved.id,
      prompt: "flow",
      version: 2,
      environment: "production",
    });
    expect(got[7]!.data).toMatchObject({
      reviewId: approved.id,
      decision: "approved",
      comment: "lgtm",
      prompt: "flow",
      version: 2,
      environment: "production",
    });
    expect(got[8]!.data).toMatchObject({ prompt: "flow", environment: "production", version: 2 });
    expect(got[10]!.data).toMatchObject({
      reviewId: rejected.id,
      decision: "rejected",
      prompt: "flow",
      version: 1,
      environment: "staging",
    });
    expect(new Set(got.map((d) => d.eventId)).size).toBe(11);
    expect((await deliveriesOf(rollbacks.id)).map((d) => [d.type, d.data.automatic])).toEqual([
      ["prompt.rolled_back", false],
      ["prompt.rolled_back", true],
    ]);

    // Nothing new: nothing more.
    expect(await dispatchAll(t.db)).toEqual({ examined: 0, deliveries: [], waiting: false });
    expect(await deliveriesOf(all.id)).toHaveLength(11);

    // An entry written before a webhook existed is not sent to it (but is to older webhooks).
    await createVersion(ed, "flow", { template: "three" });
    const late = await hookAt("/late");
    await dispatchAll(t.db);
    expect(await deliveriesOf(late.id)).toEqual([]);
    expect(await deliveriesOf(all.id)).toHaveLength(12);
  });

  it("processes a long backlog in batches and resumes where it stopped", async () => {
    const hook = await hookAt("/batch");
    for (let i = 0; i < 7; i++)
      await createPrompt(fx.ctx(fx.editor), { name: `batch-${i}`, type: "text", template: "x" });
    await waitFor("the entries to be final", async () => (await auditBacklog(t.db)).waiting === 0);
    expect(await auditBacklog(t.db)).toEqual({ ready: 7, waiting: 0 });
    const partial = await dispatchAuditEvents(t.db, { batchSize: 3, maxBatches: 1 });
    expect(partial.examined).toBe(3);
    const rest = await dispatchAll(t.db, { batchSize: 3 });
    expect(rest.examined).toBe(4);
    const got = await deliveriesOf(hook.id);
    expect(got.map((d) => d.data.prompt)).toEqual(Array.from({ length: 7 }, (_, i) => `batch-${i}`));
  });
});

describe("through the job queue", () => {
  it("a change is delivered, signed, without anyone calling the dispatcher (NOTIFY → dispatch job → deliver job)", async () => {
    await dispatchAll(t.db);
    const log = testLog();
    const jobs = await startJobs({
      database: t,
      registry: new JobRegistry(webhookJobs(config)),
      schedulerEnabled: false,
      log,
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    const unwatch = await watchAudit(jobs.driver, jobs, log);
    try {
      const hook = await hookAt("/live", { events: ["prompt.deployed"] });
      rx.secret = hook.secret;
      rx.requests.length = 0;
      await promoteVersion(fx.ctx(fx.editor), "flow", { environment: "staging", version: 3, reason: "live test" });
      const req = await waitFor("the signed delivery", () => rx.requests.find((r) => r.path === "/live"));
      expect(req.signature).toMatchObject({ ok: true });
      expect(JSON.parse(req.body)).toMatchObject({
        type: "prompt.deployed",
        data: { prompt: "flow", environment: "staging", version: 3, reason: "live test" },
      });
      await waitFor(
        "the log to say delivered",
        async () =>
          (await deliveriesOf(hook.id)).length === 1 &&
          (await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id)))[0]!.status ===
            "delivered",
      );
    } finally {
      await unwatch();
      await jobs.stop();
    }
  });
});
