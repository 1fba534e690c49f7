// The optimizer's queue over HTTP (docs/decisions/bounded-work.md) and its outcome: past the project's limit of queued
// or running optimizations POST is 429 rate_limited naming the setting (with Retry-After); POST …/cancel
// answers 200 with status cancelled, aborts the calls in flight, and 409 once it has ended; an optimization
// that finds nothing better ends with outcome no_improvement and no draft. The local model server plays the
// model (held answers keep optimizations running for as long as a test needs).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call, errorCode } from "./client";
import { promptToOptimize, startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const prompt = `queue-${suffix}`;
const dsName = `queue-set-${suffix}`;
const scorers = [{ type: "exact_match" }];
// The server's default (LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT, scripts/with-server.sh leaves it as is).
const LIMIT = 3;
let server: LlmServer;

const get = (id: string) => call("GET", `/api/v1/optimizations/${id}`);
const finished = (id: string) =>
  waitFor(
    `optimization ${id}`,
    async () => {
      const r = await get(id);
      return r.status === 200 && !["queued", "running"].includes(r.body.status) && r.body;
    },
    60_000,
  );
const start = (budget = { calls: 200, costUsd: 10 }) =>
  call("POST", "/api/v1/optimizations", {
    body: { prompt, version: 1, dataset: dsName, scorers, budget, heldOutShare: 0.34 },
  });
const cancel = (id: string, body: unknown = {}) => call("POST", `/api/v1/optimizations/${id}/cancel`, { body });

beforeAll(async () => {
  // Every answer is held until released: optimizations stay running or queued while the test looks.
  server = await startScriptedModel({ rules: [{ match: "", text: "bad answer", hold: true }] });
  await promptToOptimize(prompt, dsName, 12);
});
afterAll(async () => {
  server?.release();
  await server?.stop();
});

describe("the optimizer's queue over HTTP", () => {
  it("is 429 past the project's limit, naming it; cancel answers 200 cancelled, aborts the calls in flight, then 409", async () => {
    const ids: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const r = await start();
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      ids.push(r.body.optimization.id);
    }
    const over = await start();
    expect([over.status, errorCode(over)]).toEqual([429, "rate_limited"]);
    expect(over.body.error.message).toContain(`already has ${LIMIT} optimizations queued or running`);
    expect(over.body.error.message).toContain("LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT");
    expect(over.headers.get("retry-after")).toBe("60");

    // One of them runs (the project's share is one at a time), its first answer held in flight.
    const running = await waitFor(
      "a running optimization with a call in flight",
      async () => {
        for (const id of ids) if ((await get(id)).body.status === "running" && server.inFlight > 0) return id;
        return undefined;
      },
      60_000,
    );
    // The others are cancelled first: once the running one ends, the next would take its turn and hold a
    // call of its own, and "nothing in flight" below could not tell the two apart.
    for (const id of ids.filter((x) => x !== running)) {
      const c = await cancel(id);
      expect([c.status, c.body.status]).toEqual([200, "cancelled"]);
    }
    const bad = await cancel(running, { reason: 7 });
    expect([bad.status, bad.body.error?.details?.field]).toEqual([422, "reason"]);
    const r = await cancel(running, { reason: "wrong dataset" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: "cancelled", cancelled: { reason: "wrong dataset" }, outcome: null });
    expect((await get(running)).body.status).toBe("cancelled");
    // Its job saw the cancel and aborted the held answer: nothing is in flight, nothing was released.
    await waitFor("the call in flight to be aborted", async () => server.inFlight === 0 || undefined, 15_000);
    const again = await cancel(running);
    expect([again.status, errorCode(again), again.body.error.details.status]).toEqual([409, "conflict", "cancelled"]);
    // The place it held is free again.
    const next = await start();
    expect(next.status, JSON.stringify(next.body)).toBe(202);
    const c = await cancel(next.body.optimization.id);
    expect([c.status, c.body.status]).toEqual([200, "cancelled"]);
    expect((await call("POST", "/api/v1/optimizations/00000000-0000-4000-8000-000000000000/cancel")).status).toBe(404);
  });

  it("a budget past the server's ceiling is 422 naming the field and the setting", async () => {
    const r = await start({ calls: 10_001, costUsd: 1 });
    expect([r.status, r.body.error.details.field]).toEqual([422, "budget.calls"]);
    expect(r.body.error.message).toContain("LECTERN_OPTIMIZATION_MAX_CALLS");
  });

  it("says when it found nothing: outcome no_improvement, no draft", async () => {
    server.release();
    // The reflection's proposals drop {{question}}, so none can be used, and every answer is as bad.
    server.script({
      rules: [{ match: "New Value", text: "newValue: Just answer." }],
      default: { text: "bad answer" },
    });
    const r = await start();
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const o = await finished(r.body.optimization.id);
    expect(o).toMatchObject({ status: "completed", outcome: "no_improvement" });
    expect(o.draft).toBeUndefined();
    expect(o.noImprovement).toMatch(/found no instruction or examples that scored better/);
    const p = await call("GET", `/api/v1/prompts/${prompt}`);
    expect(p.body.prompt.latestVersion).toBe(1);
  });
});
