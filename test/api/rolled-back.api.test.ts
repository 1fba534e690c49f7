// A rolled-back version stays rolled back over HTTP (docs/decisions/rolled-back-versions.md): after a rollback,
// promoting the version again and starting an experiment that serves it are 409 rolled_back naming the rollback, with
// the plan in the details, until the body says confirmRolledBack: true; the plan endpoint shows the step first.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { experimentBody } from "./experiment-body";

/** A prompt with v1 and v2 where production served v2 and was rolled back to v1 by a person. */
async function rolledBack() {
  const name = `rolled-back-${randomBytes(4).toString("hex")}`;
  expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Hello." } })).status).toBe(
    201,
  );
  expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Hi." } })).status).toBe(201);
  for (const version of [1, 2])
    expect(
      (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version } }))
        .status,
    ).toBe(201);
  const back = await call("POST", `/api/v1/prompts/${name}/rollback`, {
    body: { environment: "production", reason: "answers got rude" },
  });
  expect([back.status, back.body.version]).toEqual([201, 1]);
  return name;
}

describe("a rolled-back version over HTTP", () => {
  it("is refused as rolled_back until the body confirms it", async () => {
    const name = await rolledBack();
    const plan = await call("GET", `/api/v1/prompts/${name}/versions/2/release-plan?environment=production`);
    expect(plan.body).toMatchObject({ status: "blocked", missing: ["rolled_back"] });
    expect(plan.body.steps[0].detail).toContain("(“answers got rude”)");

    const refused = await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2 },
    });
    expect([refused.status, errorCode(refused)]).toEqual([409, "rolled_back"]);
    expect(refused.body.error.details).toMatchObject({ field: "confirmRolledBack", rule: "rolledBack", version: 2 });
    expect(refused.body.error.message).toMatch(/^Version 2 was rolled back in production on .* back to version 1/);
    const bad = await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmRolledBack: "yes" },
    });
    expect([bad.status, bad.body.error.details.field]).toEqual([400, "confirmRolledBack"]);

    const confirmed = await call("POST", `/api/v1/prompts/${name}/deployments`, {
      body: { environment: "production", version: 2, confirmRolledBack: true },
    });
    expect([confirmed.status, confirmed.body.version]).toEqual([201, 2]);
  });

  it("an experiment serving it starts only with the confirmation", async () => {
    const name = await rolledBack();
    const created = await call("POST", "/api/v1/experiments", {
      body: experimentBody(name, "Try v2 again", "again"),
    });
    expect(created.status).toBe(201);
    const refused = await call("POST", `/api/v1/experiments/${created.body.id}/start`);
    expect([refused.status, errorCode(refused), refused.body.error.details.field]).toEqual([
      409,
      "rolled_back",
      "confirmRolledBack",
    ]);
    expect(refused.body.error.message).toContain("Version 2 was rolled back in production");
    const started = await call("POST", `/api/v1/experiments/${created.body.id}/start`, {
      body: { confirmRolledBack: true },
    });
    expect([started.status, started.body.status]).toEqual([200, "running"]);
  });
});
