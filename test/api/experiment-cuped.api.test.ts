// CUPED over HTTP: users with history of the metric before the experiment make the results carry the
// adjusted comparison beside the unadjusted one, in the response contract applications rely on; a
// look-back that excludes the history says why CUPED cannot apply; a bad look-back is refused (400).
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { assign } from "../../lib/experiments/assign";
import { resultsContract } from "../../lib/stats/contracts";
import { generators } from "../../lib/stats/random";
import { call, errorCode, expectContract } from "./client";
import { experimentBody } from "./experiment-body";

const DAY = 86_400_000;
let runtimeKey = "";

beforeAll(async () => {
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: "cuped runtime", scope: "runtime" } })).body.key;
});

describe("CUPED over HTTP", () => {
  it("adjusts by each user's history, says when the look-back excludes it, and refuses a bad look-back", async () => {
    const name = `cuped-${randomBytes(3).toString("hex")}`;
    expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Control" } })).status).toBe(
      201,
    );
    expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Variant" } })).status).toBe(
      201,
    );
    await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } });

    // Each user has a lasting level: 60 of 80 scored three times 2–4 days before the experiment.
    const g = generators(`api-cuped-${name}`);
    const level = Array.from({ length: 80 }, () => g.normal(50, 10));
    const score = (s: number) => level[s]! + g.normal(0, 5);
    const now = Date.now();
    const history = Array.from({ length: 60 }, (_, s) =>
      [2, 3, 4].map((d) => ({
        id: `pre-${name}-${s}-${d}`,
        type: "metric",
        name: "quality",
        prompt: name,
        version: 1,
        subject: `user-${s}`,
        value: score(s),
        at: new Date(now - d * DAY).toISOString(),
      })),
    ).flat();
    expect((await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: history } })).status).toBe(202);

    const created = await call("POST", "/api/v1/experiments", {
      body: experimentBody(name, "Variant", "b", {
        primaryMetric: { name: "quality", kind: "continuous", goal: "increase" },
        seed: `seed-${name}`,
      }),
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await call("POST", `/api/v1/experiments/${id}/start`)).status).toBe(200);

    const split = {
      seed: `seed-${name}`,
      coverage: 1,
      variants: [
        { key: "control", weight: 0.5 },
        { key: "b", weight: 0.5 },
      ],
    };
    const during = Array.from({ length: 80 }, (_, s) => {
      const variant = assign(split, `user-${s}`)!.key;
      return {
        id: `during-${name}-${s}`,
        type: "metric",
        name: "quality",
        prompt: name,
        version: variant === "b" ? 2 : 1,
        subject: `user-${s}`,
        value: score(s) + (variant === "b" ? 3 : 0),
      };
    });
    expect((await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: during } })).status).toBe(202);

    const results = expectContract(resultsContract, await call("GET", `/api/v1/experiments/${id}/results`));
    const quality = results.comparisons.find((c) => c.variant === "b")!.metrics.quality!;
    expect(quality.adjusted).toMatchObject({ lookbackDays: 14, covariate: { metric: "quality" } });
    expect(quality.adjusted!.covariate.subjectsWithHistory).toBe(60);
    expect(quality.adjusted!.varianceReduction).toBeGreaterThan(30);

    // A one-day look-back sees none of the history (2–4 days before): CUPED says why it cannot apply.
    const short = expectContract(
      resultsContract,
      await call("GET", `/api/v1/experiments/${id}/results?lookbackDays=1`),
    );
    const none = short.comparisons.find((c) => c.variant === "b")!.metrics.quality!;
    expect(none.adjusted).toBeUndefined();
    expect(none.adjustedReason).toBe("no subject has a value of this metric before its exposure");

    for (const bad of ["0", "91", "2.5", "week"]) {
      const r = await call("GET", `/api/v1/experiments/${id}/results?lookbackDays=${bad}`);
      expect([r.status, errorCode(r)]).toEqual([400, "invalid_input"]);
      expect(r.body.error.message).toMatch(/lookbackDays/);
    }
  });
});
