// Projects take turns at delivering (turns.ts): while a project has its share of attempts in flight, another of
// its deliveries is deferred (its job comes again later) and another project's is attempted; the sweep takes due
// deliveries project by project, so a project with a flood of them does not fill it.
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../db/schema";
import { seedProject } from "../../test/domain-fixtures";
import { dispatchAll } from "../../test/webhook-receiver";
import { createPrompt } from "../registry/prompts";
import { attemptDelivery, deliverDue } from "./deliver";
import { DELIVERIES_PER_PROJECT } from "./turns";
import { config, dropHook, hookAt, newDelivery, rx, setUpWebhooks, t } from "./webhooks.fixture";
import { createWebhook } from "./webhooks";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpWebhooks("hook-turns");

/** A webhook at `path` of the receiver, in a new project `slug` (its admin's), and a version of `prompt` there. */
async function hookInNewProject(slug: string, path: string, prompt: string) {
  const other = await seedProject(t.db, slug);
  const hook = await createWebhook(
    projectContext(t.db, other.admin, other.projectId, noEvents),
    { url: `${rx.url}${path}`, events: ["prompt.version_created"] },
    config,
  );
  await createPrompt(other.ctx(other.editor), { name: prompt, type: "text", template: "hi" });
  return hook;
}

describe("projects take turns at delivering", () => {
  it("defers a project's delivery past its share in flight, and attempts another project's", async () => {
    const hook = await hookAt("/busy");
    const held: string[] = [];
    for (let i = 0; i < DELIVERIES_PER_PROJECT; i++) held.push(await newDelivery(hook.id));
    // Attempts in flight elsewhere (another instance, a slow receiver): their claims hold the project's places.
    await t.db
      .update(webhookDeliveries)
      .set({ claimedUntil: sql`now() + interval '1 minute'` })
      .where(inArray(webhookDeliveries.id, held));
    const next = await newDelivery(hook.id);
    expect(await attemptDelivery(t.db, next, config)).toEqual({ deliveryId: next, status: "deferred" });
    expect(rx.requests).toHaveLength(0);

    const theirs = await hookInNewProject("hook-turns-other", "/other", "theirs");
    const dispatched = await dispatchAll(t.db);
    const theirDelivery = dispatched.deliveries.find((d) => d.webhookId === theirs.id)!.id;
    expect(await attemptDelivery(t.db, theirDelivery, config)).toMatchObject({ status: "delivered" });

    // The places free again: the deferred delivery goes.
    await t.db.update(webhookDeliveries).set({ claimedUntil: null }).where(inArray(webhookDeliveries.id, held));
    expect(await attemptDelivery(t.db, next, config)).toMatchObject({ status: "delivered" });
    await t.db.update(webhookDeliveries).set({ status: "delivered" }).where(inArray(webhookDeliveries.id, held));
    await dropHook(hook.id);
  });

  it("the sweep takes due deliveries project by project: a flood in one leaves room for the other", async () => {
    const flood = await hookAt("/flood");
    for (let i = 0; i < 6; i++) await newDelivery(flood.id);
    const late = await hookInNewProject("hook-turns-late", "/late", "late");
    await dispatchAll(t.db);
    // Three places in this sweep: the other project's one delivery is among them, though it is the newest.
    const r = await deliverDue(t.db, config, { limit: 3 });
    expect(r.delivered).toBe(3);
    const lateRows = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, late.id));
    expect(lateRows.map((d) => d.status)).toEqual(["delivered"]);
    await dropHook(flood.id);
  });
});
